#include <windows.h>

void broken(void) {
  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);
  int x = ((;
}
