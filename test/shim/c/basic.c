/* Runtime shim fixture: every call has a marker; the tests read the line
 * numbers from the markers. Builds with the Linux emulation and with mingw. */
#include <windows.h>
#include <stdio.h>

typedef LPVOID(WINAPI *alloc_fn)(LPVOID, SIZE_T, DWORD, DWORD);

static void *alloc_small(SIZE_T n) {
  return VirtualAlloc(NULL, n, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* @L:small */
}

int main(void) {
  void *small = alloc_small(4096);
  void *exact = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); /* @L:exact */
  void *commit = VirtualAlloc(exact, 4096, MEM_COMMIT, PAGE_READWRITE); /* @L:commit */
  void *ex = VirtualAllocEx(GetCurrentProcess(), NULL, 100000, MEM_RESERVE, PAGE_READWRITE); /* @L:ex */
  void *numa = VirtualAllocExNuma(GetCurrentProcess(), NULL, 12288, MEM_RESERVE | MEM_COMMIT, /* @L:numa */
                                  PAGE_READWRITE, NUMA_NO_PREFERRED_NODE);
  void *multi = VirtualAlloc(NULL, /* @L:multi */
                             8192,
                             MEM_RESERVE,
                             PAGE_READWRITE);
  void *loop[3];
  for (int i = 0; i < 3; i++)
    loop[i] = VirtualAlloc(NULL, 20000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* @L:loop */
  void *in_tail = VirtualAlloc((char *)small + 0x8000, 4096, MEM_RESERVE, PAGE_READWRITE); /* @L:tail */
  DWORD tail_error = GetLastError();

  SetLastError(1234);
  void *ok = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); /* @L:keeperr */
  DWORD after_success = GetLastError();
  void *bad = VirtualAlloc(NULL, 0, MEM_RESERVE, PAGE_READWRITE); /* @L:fail */
  DWORD after_failure = GetLastError();

  alloc_fn fp = VirtualAlloc;
  void *via_pointer = fp(NULL, 4096, MEM_RESERVE, PAGE_READWRITE); /* @L:pointer */

  HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 1 << 20, NULL);
  void *view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 8192); /* @L:view */

  int ok_all = small && exact && commit == exact && ex && numa && multi && loop[0] && loop[1] &&
               loop[2] && !in_tail && ok && !bad && via_pointer && section && view;
  ((char *)small)[4095] = 1;
  ((char *)view)[8191] = 1;
  printf("ok=%d\n", ok_all);
  printf("tail_error=%lu\n", (unsigned long)tail_error);
  printf("after_success=%lu\n", (unsigned long)after_success);
  printf("after_failure=%lu\n", (unsigned long)after_failure);

  UnmapViewOfFile(view);
  CloseHandle(section);
  VirtualFree(small, 0, MEM_RELEASE);
  VirtualFree(exact, 0, MEM_RELEASE);
  VirtualFree(ex, 0, MEM_RELEASE);
  VirtualFree(numa, 0, MEM_RELEASE);
  VirtualFree(multi, 0, MEM_RELEASE);
  for (int i = 0; i < 3; i++) VirtualFree(loop[i], 0, MEM_RELEASE);
  VirtualFree(ok, 0, MEM_RELEASE);
  VirtualFree(via_pointer, 0, MEM_RELEASE);
  return ok_all ? 0 : 3;
}
