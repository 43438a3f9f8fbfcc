/*
 * granule runtime shim: recording wrappers for the Windows reservation APIs.
 *
 * Reached through the shadow <windows.h> in shim/include (gcc, clang, mingw),
 * or force-included (-include granule_shim.h, MSVC /FI granule_shim.h).
 * Every call of VirtualAlloc, VirtualAllocEx, VirtualAllocExNuma,
 * VirtualAlloc2, VirtualAlloc2FromApp, VirtualAllocFromApp, MapViewOfFile and
 * MapViewOfFileEx written in the program's source goes to a wrapper that
 * calls the real API and then writes one JSON line to the file named by the
 * environment variable GRANULE_SHIM_REPORT (nothing is written when it is
 * unset). The wrapper returns exactly what the API returned and leaves
 * GetLastError() as the API left it.
 *
 * The releases VirtualFree, VirtualFreeEx and UnmapViewOfFile are recorded
 * the same way, so the report knows which reservations are live.
 *
 * Define GRANULE_SHIM_DISABLE to compile the program without the macros.
 */
#ifndef GRANULE_SHIM_H
#define GRANULE_SHIM_H

#ifndef _WINDOWS_
#  include <windows.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

void *granule_VirtualAlloc(void *address, SIZE_T size, DWORD type, DWORD protect,
                           const char *file, int line, const char *func);
void *granule_VirtualAllocEx(HANDLE process, void *address, SIZE_T size, DWORD type,
                             DWORD protect, const char *file, int line, const char *func);
void *granule_VirtualAllocExNuma(HANDLE process, void *address, SIZE_T size, DWORD type,
                                 DWORD protect, DWORD node, const char *file, int line,
                                 const char *func);
void *granule_MapViewOfFile(HANDLE mapping, DWORD access, DWORD offset_high,
                            DWORD offset_low, SIZE_T size, const char *file, int line,
                            const char *func);
void *granule_MapViewOfFileEx(HANDLE mapping, DWORD access, DWORD offset_high,
                              DWORD offset_low, SIZE_T size, void *base, const char *file,
                              int line, const char *func);
BOOL granule_VirtualFree(void *address, SIZE_T size, DWORD type, const char *file, int line,
                         const char *func);
BOOL granule_VirtualFreeEx(HANDLE process, void *address, SIZE_T size, DWORD type,
                           const char *file, int line, const char *func);
BOOL granule_UnmapViewOfFile(const void *base, const char *file, int line, const char *func);
#ifdef _WIN32
/* Resolved at run time, so a program that never calls them links anywhere. */
void *granule_VirtualAlloc2(HANDLE process, void *address, SIZE_T size, ULONG type,
                            ULONG protect, void *params, ULONG count, const char *file,
                            int line, const char *func);
void *granule_VirtualAlloc2FromApp(HANDLE process, void *address, SIZE_T size, ULONG type,
                                   ULONG protect, void *params, ULONG count,
                                   const char *file, int line, const char *func);
void *granule_VirtualAllocFromApp(void *address, SIZE_T size, ULONG type, ULONG protect,
                                  const char *file, int line, const char *func);
#endif

/* Write out what is buffered (also done at exit). */
void granule_shim_flush(void);

#ifdef __cplusplus
}
#endif

#if !defined(GRANULE_SHIM_DISABLE) && !defined(GRANULE_SHIM_NO_MACROS)
#  define VirtualAlloc(a, s, t, p) \
     granule_VirtualAlloc((a), (s), (t), (p), __FILE__, __LINE__, __func__)
#  define VirtualAllocEx(h, a, s, t, p) \
     granule_VirtualAllocEx((h), (a), (s), (t), (p), __FILE__, __LINE__, __func__)
#  define VirtualAllocExNuma(h, a, s, t, p, n) \
     granule_VirtualAllocExNuma((h), (a), (s), (t), (p), (n), __FILE__, __LINE__, __func__)
#  define MapViewOfFile(m, acc, hi, lo, s) \
     granule_MapViewOfFile((m), (acc), (hi), (lo), (s), __FILE__, __LINE__, __func__)
#  define MapViewOfFileEx(m, acc, hi, lo, s, b) \
     granule_MapViewOfFileEx((m), (acc), (hi), (lo), (s), (b), __FILE__, __LINE__, __func__)
#  define VirtualFree(a, s, t) granule_VirtualFree((a), (s), (t), __FILE__, __LINE__, __func__)
#  define VirtualFreeEx(h, a, s, t) \
     granule_VirtualFreeEx((h), (a), (s), (t), __FILE__, __LINE__, __func__)
#  define UnmapViewOfFile(b) granule_UnmapViewOfFile((b), __FILE__, __LINE__, __func__)
#  ifdef _WIN32
#    define VirtualAlloc2(h, a, s, t, p, x, c) \
       granule_VirtualAlloc2((h), (a), (s), (t), (p), (x), (c), __FILE__, __LINE__, __func__)
#    define VirtualAlloc2FromApp(h, a, s, t, p, x, c) \
       granule_VirtualAlloc2FromApp((h), (a), (s), (t), (p), (x), (c), __FILE__, __LINE__, \
                                    __func__)
#    define VirtualAllocFromApp(a, s, t, p) \
       granule_VirtualAllocFromApp((a), (s), (t), (p), __FILE__, __LINE__, __func__)
#  endif
#endif

#endif /* GRANULE_SHIM_H */
