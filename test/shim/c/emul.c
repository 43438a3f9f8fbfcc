/* Checks the Linux emulation's Windows semantics. Prints "FAIL ..." lines and
 * exits 1 on a mismatch, prints "emulation ok" otherwise. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static int failures;
#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      printf("FAIL line %d: %s (error %lu)\n", __LINE__, #cond,       \
             (unsigned long)GetLastError());                          \
      failures++;                                                     \
    }                                                                 \
  } while (0)

int main(void) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  CHECK(si.dwAllocationGranularity == 65536);
  CHECK(si.dwPageSize == 4096);

  /* bases are 64 KB aligned, the tail of the granule is free but unusable */
  char *a = (char *)VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  CHECK(a != NULL);
  CHECK(((ULONG_PTR)a & 0xffff) == 0);
  a[0] = 1;
  a[4095] = 2;
  MEMORY_BASIC_INFORMATION m;
  CHECK(VirtualQuery(a, &m, sizeof m) == sizeof m);
  CHECK(m.State == MEM_COMMIT && m.RegionSize == 4096 && m.AllocationBase == a &&
        m.Type == MEM_PRIVATE && m.Protect == PAGE_READWRITE);
  CHECK(VirtualQuery(a + 4096, &m, sizeof m) == sizeof m);
  CHECK(m.State == MEM_FREE);
  SetLastError(0);
  CHECK(VirtualAlloc(a + 0x8000, 4096, MEM_RESERVE, PAGE_READWRITE) == NULL);
  CHECK(GetLastError() == ERROR_INVALID_ADDRESS);

  /* reserve, then commit part of it; decommitted pages read as zero again */
  char *r = (char *)VirtualAlloc(NULL, 3 * 65536, MEM_RESERVE, PAGE_NOACCESS);
  CHECK(r != NULL && ((ULONG_PTR)r & 0xffff) == 0);
  CHECK(VirtualQuery(r, &m, sizeof m) && m.State == MEM_RESERVE && m.RegionSize == 3 * 65536);
  CHECK(VirtualAlloc(r + 5000, 100, MEM_COMMIT, PAGE_READWRITE) == r + 4096);
  r[4096] = 7;
  CHECK(VirtualQuery(r + 4096, &m, sizeof m) && m.State == MEM_COMMIT && m.RegionSize == 4096);
  CHECK(VirtualFree(r + 4096, 4096, MEM_DECOMMIT));
  CHECK(VirtualQuery(r + 4096, &m, sizeof m) && m.State == MEM_RESERVE);
  CHECK(VirtualAlloc(r + 4096, 4096, MEM_COMMIT, PAGE_READWRITE) == r + 4096);
  CHECK(r[4096] == 0);
  DWORD old = 0;
  CHECK(VirtualProtect(r + 4096, 4096, PAGE_READONLY, &old) && old == PAGE_READWRITE);
  SetLastError(0);
  CHECK(!VirtualProtect(r, 4096, PAGE_READONLY, &old) && GetLastError() == ERROR_INVALID_ADDRESS);
  /* committing across the end of the reservation fails */
  SetLastError(0);
  CHECK(VirtualAlloc(r + 3 * 65536 - 4096, 8192, MEM_COMMIT, PAGE_READWRITE) == NULL);
  CHECK(GetLastError() == ERROR_INVALID_ADDRESS);

  /* placement at a chosen address: rounded down to the granule */
  CHECK(VirtualFree(a, 0, MEM_RELEASE));
  char *b = (char *)VirtualAlloc(a + 0x1234, 8192, MEM_RESERVE, PAGE_READWRITE);
  CHECK(b == a);
  CHECK(VirtualQuery(b, &m, sizeof m) && m.RegionSize == 0x4000);

  /* parameter errors */
  SetLastError(0);
  CHECK(VirtualAlloc(NULL, 0, MEM_RESERVE, PAGE_READWRITE) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(VirtualAlloc(NULL, 4096, 0, PAGE_READWRITE) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(VirtualAlloc(NULL, 4096, MEM_RESERVE, 0x3) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(!VirtualFree(r, 4096, MEM_RELEASE) && GetLastError() == ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(!VirtualFree(r + 4096, 0, MEM_RELEASE) && GetLastError() == ERROR_INVALID_ADDRESS);
  CHECK(VirtualAllocEx((HANDLE)(LONG_PTR)1234, NULL, 4096, MEM_RESERVE, PAGE_READWRITE) == NULL &&
        GetLastError() == ERROR_INVALID_HANDLE);
  SetLastError(0);
  CHECK(VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE) == NULL &&
        GetLastError() == ERROR_INVALID_PARAMETER);
  CHECK(GetLargePageMinimum() == 2 * 1024 * 1024);
#ifdef GRANULE_WIN32_EMULATION
  /* the emulation grants large pages as if SeLockMemoryPrivilege were held */
  void *lp = VirtualAlloc(NULL, 2 * 1024 * 1024, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE);
  CHECK(lp != NULL);
  CHECK(VirtualFree(lp, 0, MEM_RELEASE));
#endif

  /* sections: views are 64 KB aligned; offsets must be too */
  HANDLE s = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 256 * 1024, NULL);
  CHECK(s != NULL);
  char *v1 = (char *)MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, 4096);
  char *v2 = (char *)MapViewOfFile(s, FILE_MAP_READ, 0, 0, 0);
  CHECK(v1 && v2 && ((ULONG_PTR)v1 & 0xffff) == 0 && ((ULONG_PTR)v2 & 0xffff) == 0);
  strcpy(v1, "shared");
  CHECK(strcmp(v2, "shared") == 0);
  CHECK(VirtualQuery(v2, &m, sizeof m) && m.Type == MEM_MAPPED && m.RegionSize == 256 * 1024);
  SetLastError(0);
  CHECK(MapViewOfFile(s, FILE_MAP_READ, 0, 4096, 4096) == NULL && GetLastError() == ERROR_MAPPED_ALIGNMENT);
  char *v3 = (char *)MapViewOfFile(s, FILE_MAP_READ, 0, 65536, 4096);
  CHECK(v3 != NULL);
  CHECK(UnmapViewOfFile(v1) && UnmapViewOfFile(v2) && UnmapViewOfFile(v3));
  CHECK(CloseHandle(s));

  CHECK(VirtualFree(r, 0, MEM_RELEASE));
  CHECK(VirtualFree(b, 0, MEM_RELEASE));
  if (failures) return 1;
  printf("emulation ok\n");
  return 0;
}
