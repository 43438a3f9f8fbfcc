#include <windows.h>

void fine(void) {
  VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE);
}
