#include <windows.h>

void fine(void) {
  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);
}
