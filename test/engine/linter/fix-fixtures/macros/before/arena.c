#include <windows.h>
#include <string.h>
#include "sizes.h"

#define ARENA_SIZE 0x3000
#define SCRATCH (4 * 1024) /* one page for now */
#define SHARED 8192
#define ALSO_USED 12288
#define COMPUTED (ARENA_PAGES * 4096)
#define ARENA_PAGES 3

void arena(void) {
  VirtualAlloc(NULL, ARENA_SIZE, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(NULL, SCRATCH, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(NULL, SHARED, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(NULL, SHARED, MEM_RESERVE, PAGE_READWRITE);
  char *p = VirtualAlloc(NULL, ALSO_USED, MEM_RESERVE, PAGE_READWRITE);
  memset(p, 0, ALSO_USED);
  VirtualAlloc(NULL, COMPUTED, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(NULL, HEADER_SIZE, MEM_RESERVE, PAGE_READWRITE);
}
