/* Runtime shim fixture for merging with the static findings. */
#include <windows.h>
#include <stdlib.h>

static void *arena(SIZE_T n) {
  return VirtualAlloc(NULL, n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* @L:inner */
}

int main(int argc, char **argv) {
  void *a = VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* @L:direct */
  void *b = arena(8192); /* @L:wrapped */
  void *c = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); /* @L:fine */
  SIZE_T n = argc > 1 ? (SIZE_T)atoi(argv[1]) : 12288;
  void *d = VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); /* @L:dynamic */
  if (argc > 5) VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE); /* @L:unreached */
  return a && b && c && d ? 0 : 1;
}
