/*
 * granule runtime shim: granule_iathook.dll, recording without recompiling.
 *
 * When loaded (by granule-run.exe, or linked with -Wl,-u,granule_iathook_anchor
 * -lgranule_iathook), the DLL patches the import address table of every
 * loaded module that is not part of Windows (not under the Windows
 * directory), so that calls of VirtualAlloc, VirtualAllocEx,
 * VirtualAllocExNuma, VirtualAlloc2, VirtualAlloc2FromApp,
 * VirtualAllocFromApp, MapViewOfFile and MapViewOfFileEx go to recording
 * hooks, and so do the releases VirtualFree, VirtualFreeEx, UnmapViewOfFile
 * and NtFreeVirtualMemory (from ntdll.dll). GetProcAddress is hooked too (a pointer fetched at run time records
 * as well), and so are LoadLibrary*: modules loaded later are patched when
 * they arrive.
 *
 * Records have the same fields as the header shim's, with file "" and line 0:
 * the call site is the first entry of "stack" ("prog.exe+0x1a2b", an RVA),
 * which `granule --runtime report.jsonl --binary prog.exe` maps to file:line
 * with addr2line (build with -g).
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc \
 *          -o granule_iathook.dll shim/win/iathook.c \
 *          -Wl,--out-implib,libgranule_iathook.a
 */
#define GRANULE_SHIM_NO_MACROS 1
#include <windows.h>

#include "../granule_shim.c"

__declspec(dllexport) int granule_iathook_anchor = 1;

typedef LPVOID(WINAPI *va_fn)(LPVOID, SIZE_T, DWORD, DWORD);
typedef LPVOID(WINAPI *vaex_fn)(HANDLE, LPVOID, SIZE_T, DWORD, DWORD);
typedef LPVOID(WINAPI *vaexnuma_fn)(HANDLE, LPVOID, SIZE_T, DWORD, DWORD, DWORD);
typedef PVOID(WINAPI *va2_fn)(HANDLE, PVOID, SIZE_T, ULONG, ULONG, void *, ULONG);
typedef PVOID(WINAPI *vafa_fn)(PVOID, SIZE_T, ULONG, ULONG);
typedef LPVOID(WINAPI *mv_fn)(HANDLE, DWORD, DWORD, DWORD, SIZE_T);
typedef LPVOID(WINAPI *mvex_fn)(HANDLE, DWORD, DWORD, DWORD, SIZE_T, LPVOID);
typedef BOOL(WINAPI *vf_fn)(LPVOID, SIZE_T, DWORD);
typedef BOOL(WINAPI *vfex_fn)(HANDLE, LPVOID, SIZE_T, DWORD);
typedef BOOL(WINAPI *unmap_fn)(LPCVOID);
typedef LONG(NTAPI *ntfree_fn)(HANDLE, PVOID *, PSIZE_T, ULONG);
typedef FARPROC(WINAPI *gpa_fn)(HMODULE, LPCSTR);
typedef HMODULE(WINAPI *lla_fn)(LPCSTR);
typedef HMODULE(WINAPI *llw_fn)(LPCWSTR);
typedef HMODULE(WINAPI *llexa_fn)(LPCSTR, HANDLE, DWORD);
typedef HMODULE(WINAPI *llexw_fn)(LPCWSTR, HANDLE, DWORD);

static va_fn real_VirtualAlloc;
static vaex_fn real_VirtualAllocEx;
static vaexnuma_fn real_VirtualAllocExNuma;
static va2_fn real_VirtualAlloc2;
static va2_fn real_VirtualAlloc2FromApp;
static vafa_fn real_VirtualAllocFromApp;
static mv_fn real_MapViewOfFile;
static mvex_fn real_MapViewOfFileEx;
static vf_fn real_VirtualFree;
static vfex_fn real_VirtualFreeEx;
static unmap_fn real_UnmapViewOfFile;
static ntfree_fn real_NtFreeVirtualMemory;
static gpa_fn real_GetProcAddress;
static lla_fn real_LoadLibraryA;
static llw_fn real_LoadLibraryW;
static llexa_fn real_LoadLibraryExA;
static llexw_fn real_LoadLibraryExW;

static void record_alloc(const char *api, const void *address, SIZE_T size, DWORD type,
                         DWORD protect, void *result, void *ra0) {
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, api, "", 0, "", address, size, type, protect, result, ra0);
  granule_shim_record(&c);
  granule_restore_error(saved);
}

static GRANULE_NOINLINE LPVOID WINAPI hook_VirtualAlloc(LPVOID a, SIZE_T s, DWORD t, DWORD p) {
  LPVOID r = real_VirtualAlloc(a, s, t, p);
  record_alloc("VirtualAlloc", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE LPVOID WINAPI hook_VirtualAllocEx(HANDLE h, LPVOID a, SIZE_T s, DWORD t,
                                                          DWORD p) {
  LPVOID r = real_VirtualAllocEx(h, a, s, t, p);
  record_alloc("VirtualAllocEx", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE LPVOID WINAPI hook_VirtualAllocExNuma(HANDLE h, LPVOID a, SIZE_T s,
                                                              DWORD t, DWORD p, DWORD n) {
  LPVOID r = real_VirtualAllocExNuma(h, a, s, t, p, n);
  record_alloc("VirtualAllocExNuma", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE PVOID WINAPI hook_VirtualAlloc2(HANDLE h, PVOID a, SIZE_T s, ULONG t,
                                                        ULONG p, void *x, ULONG n) {
  PVOID r = real_VirtualAlloc2(h, a, s, t, p, x, n);
  record_alloc("VirtualAlloc2", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE PVOID WINAPI hook_VirtualAlloc2FromApp(HANDLE h, PVOID a, SIZE_T s,
                                                               ULONG t, ULONG p, void *x,
                                                               ULONG n) {
  PVOID r = real_VirtualAlloc2FromApp(h, a, s, t, p, x, n);
  record_alloc("VirtualAlloc2FromApp", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE PVOID WINAPI hook_VirtualAllocFromApp(PVOID a, SIZE_T s, ULONG t,
                                                              ULONG p) {
  PVOID r = real_VirtualAllocFromApp(a, s, t, p);
  record_alloc("VirtualAllocFromApp", a, s, t, p, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE LPVOID WINAPI hook_MapViewOfFile(HANDLE m, DWORD acc, DWORD hi, DWORD lo,
                                                         SIZE_T s) {
  LPVOID r = real_MapViewOfFile(m, acc, hi, lo, s);
  granule_view("MapViewOfFile", "", 0, "", NULL, s, acc, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE LPVOID WINAPI hook_MapViewOfFileEx(HANDLE m, DWORD acc, DWORD hi,
                                                           DWORD lo, SIZE_T s, LPVOID b) {
  LPVOID r = real_MapViewOfFileEx(m, acc, hi, lo, s, b);
  granule_view("MapViewOfFileEx", "", 0, "", b, s, acc, r, GRANULE_RA());
  return r;
}

static GRANULE_NOINLINE BOOL WINAPI hook_VirtualFree(LPVOID a, SIZE_T s, DWORD t) {
  int held = granule_hold(); /* see granule_hold: the record keeps its place */
  BOOL ok = real_VirtualFree(a, s, t);
  DWORD error = GetLastError();
  granule_release("VirtualFree", "", 0, "", a, s, t, ok != 0, error, GRANULE_RA());
  granule_unhold(held);
  SetLastError(error);
  return ok;
}

static GRANULE_NOINLINE BOOL WINAPI hook_VirtualFreeEx(HANDLE h, LPVOID a, SIZE_T s, DWORD t) {
  int held = granule_hold(); /* see granule_hold: the record keeps its place */
  BOOL ok = real_VirtualFreeEx(h, a, s, t);
  DWORD error = GetLastError();
  granule_release("VirtualFreeEx", "", 0, "", a, s, t, ok != 0, error, GRANULE_RA());
  granule_unhold(held);
  SetLastError(error);
  return ok;
}

static GRANULE_NOINLINE BOOL WINAPI hook_UnmapViewOfFile(LPCVOID b) {
  int held = granule_hold(); /* see granule_hold: the record keeps its place */
  BOOL ok = real_UnmapViewOfFile(b);
  DWORD error = GetLastError();
  granule_release("UnmapViewOfFile", "", 0, "", b, 0, GRANULE_MEM_RELEASE, ok != 0, error,
                  GRANULE_RA());
  granule_unhold(held);
  SetLastError(error);
  return ok;
}

/* The address and size are read before the call, which rounds them; a failure's NTSTATUS is
 * its "error". */
static GRANULE_NOINLINE LONG NTAPI hook_NtFreeVirtualMemory(HANDLE h, PVOID *a, PSIZE_T s,
                                                            ULONG t) {
  void *address = a ? *a : NULL;
  SIZE_T size = s ? *s : 0;
  int held = granule_hold();
  LONG status = real_NtFreeVirtualMemory(h, a, s, t);
  DWORD error = GetLastError();
  granule_release("NtFreeVirtualMemory", "", 0, "", address, size, t, status >= 0,
                  (DWORD)status, GRANULE_RA());
  granule_unhold(held);
  SetLastError(error);
  return status;
}

static FARPROC WINAPI hook_GetProcAddress(HMODULE mod, LPCSTR name);
static HMODULE WINAPI hook_LoadLibraryA(LPCSTR name);
static HMODULE WINAPI hook_LoadLibraryW(LPCWSTR name);
static HMODULE WINAPI hook_LoadLibraryExA(LPCSTR name, HANDLE file, DWORD flags);
static HMODULE WINAPI hook_LoadLibraryExW(LPCWSTR name, HANDLE file, DWORD flags);

struct hook {
  const char *name;
  void **real;
  void *hook;
};

#define HOOK(n) {#n, (void **)&real_##n, (void *)hook_##n}
static struct hook hooks[] = {
    HOOK(VirtualAlloc),      HOOK(VirtualAllocEx),        HOOK(VirtualAllocExNuma),
    HOOK(VirtualAlloc2),     HOOK(VirtualAlloc2FromApp),  HOOK(VirtualAllocFromApp),
    HOOK(MapViewOfFile),     HOOK(MapViewOfFileEx),       HOOK(VirtualFree),
    HOOK(VirtualFreeEx),     HOOK(UnmapViewOfFile),       HOOK(NtFreeVirtualMemory),
    HOOK(GetProcAddress),
    HOOK(LoadLibraryA),      HOOK(LoadLibraryW),          HOOK(LoadLibraryExA),
    HOOK(LoadLibraryExW),
};
#define HOOK_COUNT (sizeof hooks / sizeof hooks[0])

static HMODULE self_module;
static WCHAR windows_dir[MAX_PATH];
static size_t windows_dir_len;
static SRWLOCK patch_lock = SRWLOCK_INIT;

static int ascii_ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return 0;
  }
  return *a == *b;
}

static int ascii_iprefix(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++) {
    char x = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
    if (x != *prefix) return 0;
  }
  return 1;
}

static int is_memory_dll(const char *dll) {
  return ascii_ieq(dll, "kernel32.dll") || ascii_ieq(dll, "kernelbase.dll") ||
         ascii_ieq(dll, "ntdll.dll") ||
         ascii_iprefix(dll, "api-ms-win-core-memory-") ||
         ascii_iprefix(dll, "api-ms-win-core-libraryloader-");
}

static int is_system_module(HMODULE mod) {
  WCHAR path[MAX_PATH];
  DWORD n = GetModuleFileNameW(mod, path, MAX_PATH);
  if (n == 0 || n >= MAX_PATH || windows_dir_len == 0) return 0;
  if (n < windows_dir_len) return 0;
  for (size_t i = 0; i < windows_dir_len; i++) {
    WCHAR a = path[i], b = windows_dir[i];
    if (a >= L'A' && a <= L'Z') a = (WCHAR)(a + 32);
    if (b >= L'A' && b <= L'Z') b = (WCHAR)(b + 32);
    if (a == L'/') a = L'\\';
    if (b == L'/') b = L'\\';
    if (a != b) return 0;
  }
  return path[windows_dir_len] == L'\\' || path[windows_dir_len] == L'/';
}

static struct hook *hook_by_name(const char *name) {
  for (size_t i = 0; i < HOOK_COUNT; i++)
    if (strcmp(hooks[i].name, name) == 0) return &hooks[i];
  return NULL;
}

static void patch_module(HMODULE mod) {
  if (mod == self_module || is_system_module(mod)) return;
  BYTE *base = (BYTE *)mod;
  IMAGE_DOS_HEADER *dos = (IMAGE_DOS_HEADER *)base;
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return;
  IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return;
  IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  if (!dir.VirtualAddress || !dir.Size) return;
  IMAGE_IMPORT_DESCRIPTOR *imp = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir.VirtualAddress);
  for (; imp->Name; imp++) {
    if (!is_memory_dll((const char *)(base + imp->Name))) continue;
    if (!imp->OriginalFirstThunk) continue; /* names are gone: cannot match */
    IMAGE_THUNK_DATA *names = (IMAGE_THUNK_DATA *)(base + imp->OriginalFirstThunk);
    IMAGE_THUNK_DATA *slots = (IMAGE_THUNK_DATA *)(base + imp->FirstThunk);
    for (; names->u1.AddressOfData; names++, slots++) {
      if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal)) continue;
      IMAGE_IMPORT_BY_NAME *ibn = (IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
      struct hook *h = hook_by_name((const char *)ibn->Name);
      if (!h) continue;
      void *current = (void *)(ULONG_PTR)slots->u1.Function;
      if (current == h->hook) continue;
      if (!*h->real) *h->real = current;
      DWORD old;
      if (!VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, PAGE_READWRITE, &old))
        continue;
      slots->u1.Function = (ULONG_PTR)h->hook;
      VirtualProtect(&slots->u1.Function, sizeof slots->u1.Function, old, &old);
    }
  }
}

/* Walk the loaded modules without psapi: VirtualQuery over the address
 * space, one MEM_IMAGE allocation base at a time. */
static void patch_all(void) {
  granule_err_t saved = granule_save_error();
  AcquireSRWLockExclusive(&patch_lock);
  MEMORY_BASIC_INFORMATION mbi;
  BYTE *p = NULL;
  void *last = NULL;
  while (VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi) {
    if (mbi.Type == MEM_IMAGE && mbi.AllocationBase != last && mbi.AllocationBase == mbi.BaseAddress) {
      last = mbi.AllocationBase;
      patch_module((HMODULE)mbi.AllocationBase);
    }
    BYTE *next = (BYTE *)mbi.BaseAddress + mbi.RegionSize;
    if (next <= p) break;
    p = next;
  }
  ReleaseSRWLockExclusive(&patch_lock);
  granule_restore_error(saved);
}

static FARPROC WINAPI hook_GetProcAddress(HMODULE mod, LPCSTR name) {
  FARPROC f = real_GetProcAddress(mod, name);
  if (!f || (ULONG_PTR)name <= 0xffff) return f;
  struct hook *h = hook_by_name(name);
  if (!h || h->real == (void **)&real_GetProcAddress || strncmp(name, "LoadLibrary", 11) == 0)
    return f;
  if (!*h->real) *h->real = (void *)f;
  return (FARPROC)h->hook;
}

static HMODULE WINAPI hook_LoadLibraryA(LPCSTR name) {
  HMODULE m = real_LoadLibraryA(name);
  if (m) patch_all();
  return m;
}
static HMODULE WINAPI hook_LoadLibraryW(LPCWSTR name) {
  HMODULE m = real_LoadLibraryW(name);
  if (m) patch_all();
  return m;
}
static HMODULE WINAPI hook_LoadLibraryExA(LPCSTR name, HANDLE file, DWORD flags) {
  HMODULE m = real_LoadLibraryExA(name, file, flags);
  if (m) patch_all();
  return m;
}
static HMODULE WINAPI hook_LoadLibraryExW(LPCWSTR name, HANDLE file, DWORD flags) {
  HMODULE m = real_LoadLibraryExW(name, file, flags);
  if (m) patch_all();
  return m;
}

/* The real functions, for hooks whose slot was found in no module but that
 * GetProcAddress may still hand out. */
static void resolve_reals(void) {
  HMODULE kb = GetModuleHandleW(L"kernelbase.dll");
  HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
  HMODULE nt = GetModuleHandleW(L"ntdll.dll");
  for (size_t i = 0; i < HOOK_COUNT; i++) {
    if (*hooks[i].real) continue;
    FARPROC f = k32 ? GetProcAddress(k32, hooks[i].name) : NULL;
    if (!f && kb) f = GetProcAddress(kb, hooks[i].name);
    if (!f && nt) f = GetProcAddress(nt, hooks[i].name);
    *hooks[i].real = (void *)f;
  }
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) {
    self_module = (HMODULE)inst;
    DisableThreadLibraryCalls(inst);
    UINT n = GetWindowsDirectoryW(windows_dir, MAX_PATH);
    windows_dir_len = n < MAX_PATH ? n : 0;
    while (windows_dir_len && (windows_dir[windows_dir_len - 1] == L'\\' ||
                               windows_dir[windows_dir_len - 1] == L'/'))
      windows_dir_len--;
    resolve_reals();
    patch_all();
  }
  return TRUE;
}
