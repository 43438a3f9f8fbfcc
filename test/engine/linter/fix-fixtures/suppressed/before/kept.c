#include <windows.h>

void kept(void) {
  // granule-disable-next-line virtualalloc-granularity -- guard page probe, 4 KB on purpose
  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);
  VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_READWRITE);
}
