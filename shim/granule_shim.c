/* Over 600 lines: one translation unit, so that `granule shim sources` names one file and the IAT hook
 * includes the recorder whole.
 *
 * granule runtime shim: the recorder.
 *
 * Each wrapper calls the real API, then appends one JSON line to the report
 * named by GRANULE_SHIM_REPORT ("%p" in the name expands to the process id,
 * "%%" to "%"; nothing is recorded when the variable is unset or empty):
 *
 *   {"api":"VirtualAlloc","file":"demo.c","line":12,"func":"main",
 *    "size":4096,"flags":12288,"protect":4,"address":"0x0",
 *    "result":"0x7f3a2c1e0000","error":0,"thread":4242,"ts":1732500000123456,
 *    "stack":["demo+0x1a2b","demo+0x1c40"],"reserve":true,"unusable":61440,
 *    "pid":4240}
 *
 * address/result are hex strings (JSON numbers cannot hold 64-bit pointers),
 * ts is microseconds since 1970, stack holds return addresses as
 * "module+0xOFFSET" (offset from the module's load address, the RVA on
 * Windows), innermost first; its first entry is the call site.
 * reserve: the call creates a reservation (MEM_RESERVE, or a NULL address).
 * Releases (VirtualFree, VirtualFreeEx, UnmapViewOfFile; NtFreeVirtualMemory
 * from the IAT hook) have the freed address in "address", the size and free
 * type as passed ("flags" is MEM_RELEASE for an unmap), "result" 0x1 when
 * they succeeded, "reserve" false and "unusable" 0.
 * unusable: for a successful reservation, end = roundup4K(base + size) and
 * unusable = roundup64K(end) - end; otherwise 0.
 *
 * Environment:
 *   GRANULE_SHIM_REPORT  report file ("%p" -> pid)
 *   GRANULE_SHIM_STACK   return addresses per record, 0..32 (default 1 on
 *                        Linux: the call site; 8 on Windows)
 *   GRANULE_SHIM_FLUSH   "each": write every record at once (Linux; the
 *                        default buffers up to 64 KB and flushes at exit)
 *
 * Guarantees: the wrapper returns what the API returned, GetLastError() (and
 * errno on Linux) is what the API left; no memory is allocated through the
 * recorded APIs; writes are serialised by a lock (an SRWLOCK on Windows, a
 * mutex plus O_APPEND on Linux), so records never tear.
 */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#  define _GNU_SOURCE 1
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef _WIN32
#  include <windows.h>
#else
#  include <dlfcn.h>
#  include <errno.h>
#  include <execinfo.h>
#  include <fcntl.h>
#  include <pthread.h>
#  include <stdlib.h>
#  include <sys/stat.h>
#  include <time.h>
#  include <unistd.h>
#  include <windows.h>
#endif

#define GRANULE_SHIM_NO_MACROS 1
#include "granule_shim.h"

/* The recorder calls the real functions: never the macros (that recurses). */
#undef VirtualAlloc
#undef VirtualAllocEx
#undef VirtualAllocExNuma
#undef VirtualAlloc2
#undef VirtualAlloc2FromApp
#undef VirtualAllocFromApp
#undef MapViewOfFile
#undef MapViewOfFileEx
#undef VirtualFree
#undef VirtualFreeEx
#undef UnmapViewOfFile

#if defined(_MSC_VER)
#  include <intrin.h>
#  pragma intrinsic(_ReturnAddress)
#  define GRANULE_RA() _ReturnAddress()
#  define GRANULE_NOINLINE __declspec(noinline)
#  define GRANULE_THREAD __declspec(thread)
#else
#  define GRANULE_RA() __builtin_return_address(0)
#  define GRANULE_NOINLINE __attribute__((noinline))
#  define GRANULE_THREAD __thread
#endif

#define GRANULE_MAX_STACK 32
/* Unwinding costs ~0.2 us a frame with glibc's backtrace(), so Linux records
 * only the call site unless asked; Windows' capture is cheap next to the
 * WriteFile of each record. */
#ifdef _WIN32
#  define GRANULE_DEFAULT_STACK 8
#else
#  define GRANULE_DEFAULT_STACK 1
#endif

/* What one recorded call carries to the writer. Also used by the IAT hook. */
struct granule_call {
  const char *api;
  const char *file;
  int line;
  const char *func;
  uint64_t size;
  uint32_t flags;
  uint32_t protect;
  uintptr_t address;
  uintptr_t result;
  uint32_t error;
  int reserve;
  void *ra0;
};

void granule_shim_record(struct granule_call *c);

/* ------------------------------------------------------------ JSON writer */

/* The line buffer is large enough for the longest record (strings are cut at
 * fixed lengths, escaping at most sextuples them), so the writer does not
 * check bounds byte by byte. */
#define GRANULE_MAX_API 64
#define GRANULE_MAX_FILE 1024
#define GRANULE_MAX_FUNC 256
#define GRANULE_MAX_MODULE 63
#define GRANULE_LINE_MAX                                                              \
  (512 + 6 * (GRANULE_MAX_API + GRANULE_MAX_FILE + GRANULE_MAX_FUNC) +               \
   GRANULE_MAX_STACK * (GRANULE_MAX_MODULE + 24))

static char *put_raw(char *p, const char *s, size_t n) {
  memcpy(p, s, n);
  return p + n;
}

#define PUT_LIT(p, s) put_raw((p), (s), sizeof(s) - 1)

static char *put_u64(char *p, uint64_t v) {
  char tmp[20];
  char *t = tmp + sizeof tmp;
  do {
    *--t = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return put_raw(p, t, (size_t)(tmp + sizeof tmp - t));
}

static char *put_hex(char *p, uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  char tmp[16];
  char *t = tmp + sizeof tmp;
  do {
    *--t = digits[v & 15];
    v >>= 4;
  } while (v);
  *p++ = '0';
  *p++ = 'x';
  return put_raw(p, t, (size_t)(tmp + sizeof tmp - t));
}

/* A JSON string of at most max input bytes (bytes >= 0x80 pass through). */
static char *put_str(char *p, const char *s, size_t max) {
  static const char digits[] = "0123456789abcdef";
  *p++ = '"';
  if (s) {
    size_t i = 0;
    for (;;) {
      size_t run = i;
      while (run < max) {
        unsigned char c = (unsigned char)s[run];
        if (c == 0 || c == '"' || c == '\\' || c < 0x20) break;
        run++;
      }
      p = put_raw(p, s + i, run - i);
      i = run;
      if (i >= max) break;
      unsigned char c = (unsigned char)s[i];
      if (c == 0) break;
      if (c == '"' || c == '\\') {
        *p++ = '\\';
        *p++ = (char)c;
      } else {
        p = PUT_LIT(p, "\\u00");
        *p++ = digits[c >> 4];
        *p++ = digits[c & 15];
      }
      i++;
    }
  }
  *p++ = '"';
  return p;
}

/* ------------------------------------------------------------- arithmetic */

static uint64_t unusable_of(uintptr_t base, uint64_t size) {
  uint64_t end = ((uint64_t)base + size + 0xfffu) & ~(uint64_t)0xfffu;
  uint64_t granule_end = (end + 0xffffu) & ~(uint64_t)0xffffu;
  return granule_end - end;
}

/* Set while this thread holds the writer lock across a release (granule_hold): its record is then
 * written without taking the lock again. */
static GRANULE_THREAD int granule_holding;

/* ------------------------------------------------------ platform: Windows */
#ifdef _WIN32

static SRWLOCK granule_lock = SRWLOCK_INIT;
static INIT_ONCE granule_once = INIT_ONCE_STATIC_INIT;
static HANDLE granule_file = INVALID_HANDLE_VALUE;
static int granule_depth = GRANULE_DEFAULT_STACK;
static DWORD granule_pid;
typedef VOID(WINAPI *precise_time_fn)(LPFILETIME);
static precise_time_fn granule_precise_time;

static BOOL CALLBACK granule_init(PINIT_ONCE once, PVOID param, PVOID *ctx) {
  (void)once;
  (void)param;
  (void)ctx;
  WCHAR name[1024], path[1200];
  granule_pid = GetCurrentProcessId();
  HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
  if (k32)
    granule_precise_time =
        (precise_time_fn)(void (*)(void))GetProcAddress(k32, "GetSystemTimePreciseAsFileTime");
  char depth[16];
  DWORD dn = GetEnvironmentVariableA("GRANULE_SHIM_STACK", depth, sizeof depth);
  if (dn > 0 && dn < sizeof depth) {
    int d = 0;
    for (DWORD i = 0; i < dn && depth[i] >= '0' && depth[i] <= '9'; i++) d = d * 10 + (depth[i] - '0');
    granule_depth = d > GRANULE_MAX_STACK ? GRANULE_MAX_STACK : d;
  }
  DWORD n = GetEnvironmentVariableW(L"GRANULE_SHIM_REPORT", name, 1024);
  if (n == 0 || n >= 1024) return TRUE;
  /* expand %p and %% */
  size_t j = 0;
  for (DWORD i = 0; i < n && j < 1100; i++) {
    if (name[i] == L'%' && i + 1 < n && name[i + 1] == L'p') {
      WCHAR digits[16];
      int k = 0;
      DWORD v = granule_pid;
      do {
        digits[k++] = (WCHAR)(L'0' + v % 10);
        v /= 10;
      } while (v);
      while (k) path[j++] = digits[--k];
      i++;
    } else if (name[i] == L'%' && i + 1 < n && name[i + 1] == L'%') {
      path[j++] = L'%';
      i++;
    } else {
      path[j++] = name[i];
    }
  }
  path[j] = 0;
  granule_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                             NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  return TRUE;
}

static int granule_enabled(void) {
  InitOnceExecuteOnce(&granule_once, granule_init, NULL, NULL);
  return granule_file != INVALID_HANDLE_VALUE;
}

static uint64_t granule_now_us(void) {
  FILETIME ft;
  if (granule_precise_time)
    granule_precise_time(&ft);
  else
    GetSystemTimeAsFileTime(&ft);
  uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  return (t - 116444736000000000ULL) / 10; /* 100 ns since 1601 -> us since 1970 */
}

static uint64_t granule_thread_id(void) { return GetCurrentThreadId(); }

struct module_entry {
  uintptr_t base, size;
  char name[64];
};
static GRANULE_THREAD struct module_entry granule_modules[8];
static GRANULE_THREAD unsigned granule_module_next;

static const struct module_entry *granule_module_of(uintptr_t addr) {
  for (unsigned i = 0; i < 8; i++) {
    const struct module_entry *m = &granule_modules[i];
    if (m->size && addr >= m->base && addr < m->base + m->size) return m;
  }
  HMODULE mod = NULL;
  if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          (LPCWSTR)addr, &mod) ||
      !mod)
    return NULL;
  uintptr_t base = (uintptr_t)mod;
  const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return NULL;
  const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + (uintptr_t)dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return NULL;
  struct module_entry *m = &granule_modules[granule_module_next++ % 8];
  m->base = base;
  m->size = nt->OptionalHeader.SizeOfImage;
  WCHAR wpath[MAX_PATH];
  DWORD n = GetModuleFileNameW(mod, wpath, MAX_PATH);
  if (n >= MAX_PATH) n = MAX_PATH - 1;
  wpath[n] = 0;
  const WCHAR *slash = wpath;
  for (const WCHAR *q = wpath; *q; q++)
    if (*q == L'\\' || *q == L'/') slash = q + 1;
  int len = WideCharToMultiByte(CP_UTF8, 0, slash, -1, m->name, (int)sizeof m->name - 1, NULL, NULL);
  m->name[len > 0 ? len - 1 : 0] = 0;
  return m;
}

static int granule_capture(void **frames, int max) {
  return (int)RtlCaptureStackBackTrace(0, (DWORD)max, frames, NULL);
}

static void granule_write(const char *line, size_t n) {
  if (!granule_holding) AcquireSRWLockExclusive(&granule_lock);
  DWORD done = 0;
  while (n > 0) {
    if (!WriteFile(granule_file, line, (DWORD)n, &done, NULL) || done == 0) break;
    line += done;
    n -= done;
  }
  if (!granule_holding) ReleaseSRWLockExclusive(&granule_lock);
}

static void granule_lock_take(void) { AcquireSRWLockExclusive(&granule_lock); }
static void granule_lock_drop(void) { ReleaseSRWLockExclusive(&granule_lock); }

void granule_shim_flush(void) {}

typedef DWORD granule_err_t;
static granule_err_t granule_save_error(void) { return GetLastError(); }
static void granule_restore_error(granule_err_t e) { SetLastError(e); }

/* -------------------------------------------------------- platform: Linux */
#else

static pthread_mutex_t granule_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t granule_once = PTHREAD_ONCE_INIT;
static int granule_fd = -1;
static int granule_depth = GRANULE_DEFAULT_STACK;
static int granule_each;
static uint64_t granule_pid;
static char granule_pattern[1024];
static char granule_exe[64];
static char granule_buf[65536];
static size_t granule_used;

static void granule_flush_locked(void) {
  size_t off = 0;
  while (off < granule_used) {
    ssize_t w = write(granule_fd, granule_buf + off, granule_used - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  granule_used = 0;
}

void granule_shim_flush(void) {
  int saved = errno;
  if (granule_fd >= 0) {
    pthread_mutex_lock(&granule_lock);
    granule_flush_locked();
    pthread_mutex_unlock(&granule_lock);
  }
  errno = saved;
}

__attribute__((destructor)) static void granule_at_exit(void) { granule_shim_flush(); }

static void granule_open(void) {
  char path[1200];
  size_t j = 0;
  for (size_t i = 0; granule_pattern[i] && j < sizeof path - 24; i++) {
    if (granule_pattern[i] == '%' && granule_pattern[i + 1] == 'p') {
      char tmp[24];
      int k = 0;
      uint64_t v = granule_pid;
      do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
      } while (v);
      while (k) path[j++] = tmp[--k];
      i++;
    } else if (granule_pattern[i] == '%' && granule_pattern[i + 1] == '%') {
      path[j++] = '%';
      i++;
    } else {
      path[j++] = granule_pattern[i];
    }
  }
  path[j] = 0;
  granule_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* In a forked child: drop the parent's unwritten records (the parent writes
 * them) and, when the name has %p, open the child's own file. */
static void granule_atfork_prepare(void) { pthread_mutex_lock(&granule_lock); }
static void granule_atfork_parent(void) { pthread_mutex_unlock(&granule_lock); }
static void granule_atfork_child(void) {
  granule_used = 0;
  granule_pid = (uint64_t)getpid();
  if (granule_fd >= 0 && strstr(granule_pattern, "%p")) {
    close(granule_fd);
    granule_open();
  }
  pthread_mutex_unlock(&granule_lock);
}

static void granule_init(void) {
  granule_pid = (uint64_t)getpid();
  const char *depth = getenv("GRANULE_SHIM_STACK");
  if (depth && *depth) {
    int d = atoi(depth);
    granule_depth = d < 0 ? 0 : d > GRANULE_MAX_STACK ? GRANULE_MAX_STACK : d;
  }
  const char *flush = getenv("GRANULE_SHIM_FLUSH");
  granule_each = flush && strcmp(flush, "each") == 0;
  const char *name = getenv("GRANULE_SHIM_REPORT");
  if (!name || !*name || strlen(name) >= sizeof granule_pattern) return;
  strcpy(granule_pattern, name);
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    const char *slash = strrchr(exe, '/');
    const char *base = slash ? slash + 1 : exe;
    size_t len = strlen(base);
    if (len > sizeof granule_exe - 1) len = sizeof granule_exe - 1;
    memcpy(granule_exe, base, len);
    granule_exe[len] = 0;
  }
  if (granule_depth > 1) {
    void *warm[4];
    backtrace(warm, 4); /* loads the unwinder now, not inside a caller */
  }
  granule_open();
  if (granule_fd >= 0)
    pthread_atfork(granule_atfork_prepare, granule_atfork_parent, granule_atfork_child);
}

static int granule_enabled(void) {
  pthread_once(&granule_once, granule_init);
  return granule_fd >= 0;
}

static uint64_t granule_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

static uint64_t granule_thread_id(void) { return GetCurrentThreadId(); }

struct module_entry {
  uintptr_t addr, base;
  const char *name;
};
static GRANULE_THREAD struct module_entry granule_modules[64];

static const struct module_entry *granule_module_of(uintptr_t addr) {
  struct module_entry *m = &granule_modules[(addr >> 2) & 63];
  if (m->addr == addr && m->name) return m;
  Dl_info info;
  if (!dladdr((void *)addr, &info) || !info.dli_fbase) return NULL;
  const char *name = info.dli_fname ? info.dli_fname : "";
  const char *slash = strrchr(name, '/');
  name = slash ? slash + 1 : name;
  if (!*name) name = granule_exe;
  m->addr = addr;
  m->base = (uintptr_t)info.dli_fbase;
  m->name = name;
  return m;
}

static int granule_capture(void **frames, int max) { return backtrace(frames, max); }

static void granule_write(const char *line, size_t n) {
  if (!granule_holding) pthread_mutex_lock(&granule_lock);
  /* n <= GRANULE_LINE_MAX, far below the buffer size */
  if (granule_used + n > sizeof granule_buf) granule_flush_locked();
  memcpy(granule_buf + granule_used, line, n);
  granule_used += n;
  if (granule_each) granule_flush_locked();
  if (!granule_holding) pthread_mutex_unlock(&granule_lock);
}

static void granule_lock_take(void) { pthread_mutex_lock(&granule_lock); }
static void granule_lock_drop(void) { pthread_mutex_unlock(&granule_lock); }

struct granule_err {
  DWORD win;
  int posix;
};
typedef struct granule_err granule_err_t;
static granule_err_t granule_save_error(void) {
  granule_err_t e;
  e.win = GetLastError();
  e.posix = errno;
  return e;
}
static void granule_restore_error(granule_err_t e) {
  SetLastError(e.win);
  errno = e.posix;
}

#endif

/* ---------------------------------------------------------------- record */

static char *put_frame(char *p, uintptr_t addr) {
  const struct module_entry *m = addr ? granule_module_of(addr) : NULL;
  *p++ = '"';
  if (m) {
    int n = 0;
    for (const char *s = m->name; *s && n < GRANULE_MAX_MODULE; s++, n++) {
      if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) continue;
      *p++ = *s;
    }
    *p++ = '+';
    p = put_hex(p, (uint64_t)(addr - m->base));
  } else {
    p = put_hex(p, (uint64_t)addr);
  }
  *p++ = '"';
  return p;
}

void granule_shim_record(struct granule_call *c) {
  granule_err_t saved = granule_save_error();
  if (!granule_enabled()) {
    granule_restore_error(saved);
    return;
  }
  uint64_t unusable = 0;
  if (c->reserve && c->result)
    unusable = unusable_of(c->address ? c->address : c->result, c->size);

  void *frames[GRANULE_MAX_STACK + 8];
  int nframes = 0, first = 0;
  if (granule_depth > 1) {
    nframes = granule_capture(frames, granule_depth + 3); /* + recorder, wrapper, capture */
    first = -1;
    for (int i = 0; i < nframes; i++)
      if (frames[i] == c->ra0) {
        first = i;
        break;
      }
    if (first < 0) { /* inlined or unwound differently: keep the call site alone */
      frames[0] = c->ra0;
      nframes = 1;
      first = 0;
    }
  } else if (granule_depth == 1) {
    frames[0] = c->ra0;
    nframes = 1;
  }
  int last = first + granule_depth;
  if (last > nframes) last = nframes;

  char line[GRANULE_LINE_MAX];
  char *p = line;
  p = PUT_LIT(p, "{\"api\":");
  p = put_str(p, c->api, GRANULE_MAX_API);
  p = PUT_LIT(p, ",\"file\":");
  p = put_str(p, c->file, GRANULE_MAX_FILE);
  p = PUT_LIT(p, ",\"line\":");
  p = put_u64(p, (uint64_t)(c->line < 0 ? 0 : c->line));
  p = PUT_LIT(p, ",\"func\":");
  p = put_str(p, c->func, GRANULE_MAX_FUNC);
  p = PUT_LIT(p, ",\"size\":");
  p = put_u64(p, c->size);
  p = PUT_LIT(p, ",\"flags\":");
  p = put_u64(p, c->flags);
  p = PUT_LIT(p, ",\"protect\":");
  p = put_u64(p, c->protect);
  p = PUT_LIT(p, ",\"address\":\"");
  p = put_hex(p, (uint64_t)c->address);
  p = PUT_LIT(p, "\",\"result\":\"");
  p = put_hex(p, (uint64_t)c->result);
  p = PUT_LIT(p, "\",\"error\":");
  p = put_u64(p, c->result ? 0 : c->error);
  p = PUT_LIT(p, ",\"thread\":");
  p = put_u64(p, granule_thread_id());
  p = PUT_LIT(p, ",\"ts\":");
  p = put_u64(p, granule_now_us());
  p = PUT_LIT(p, ",\"stack\":[");
  for (int i = first; i < last; i++) {
    if (i > first) *p++ = ',';
    p = put_frame(p, (uintptr_t)frames[i]);
  }
  p = PUT_LIT(p, "],\"reserve\":");
  p = c->reserve ? PUT_LIT(p, "true") : PUT_LIT(p, "false");
  p = PUT_LIT(p, ",\"unusable\":");
  p = put_u64(p, unusable);
  p = PUT_LIT(p, ",\"pid\":");
  p = put_u64(p, (uint64_t)granule_pid);
  p = PUT_LIT(p, "}\n");
  granule_write(line, (size_t)(p - line));
  granule_restore_error(saved);
}

/* -------------------------------------------------------------- wrappers */

static int reserves(const void *address, DWORD type) {
  if (type & (0x00080000 /* MEM_RESET */ | 0x01000000 /* MEM_RESET_UNDO */)) return 0;
  if (type & 0x00004000 /* MEM_REPLACE_PLACEHOLDER (VirtualAlloc2) */ && type & MEM_RESERVE) return 0;
  return (type & MEM_RESERVE) != 0 || address == NULL;
}

static void granule_fill(struct granule_call *c, const char *api, const char *file, int line,
                         const char *func, const void *address, SIZE_T size, DWORD type,
                         DWORD protect, const void *result, void *ra0) {
  c->api = api;
  c->file = file;
  c->line = line;
  c->func = func;
  c->size = (uint64_t)size;
  c->flags = type;
  c->protect = protect;
  c->address = (uintptr_t)address;
  c->result = (uintptr_t)result;
  c->error = result ? 0 : GetLastError();
  c->reserve = reserves(address, type);
  c->ra0 = ra0;
}

GRANULE_NOINLINE void *granule_VirtualAlloc(void *address, SIZE_T size, DWORD type, DWORD protect,
                                            const char *file, int line, const char *func) {
  void *r = VirtualAlloc(address, size, type, protect);
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, "VirtualAlloc", file, line, func, address, size, type, protect, r, GRANULE_RA());
  granule_shim_record(&c);
  granule_restore_error(saved);
  return r;
}

GRANULE_NOINLINE void *granule_VirtualAllocEx(HANDLE process, void *address, SIZE_T size,
                                              DWORD type, DWORD protect, const char *file,
                                              int line, const char *func) {
  void *r = VirtualAllocEx(process, address, size, type, protect);
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, "VirtualAllocEx", file, line, func, address, size, type, protect, r,
               GRANULE_RA());
  granule_shim_record(&c);
  granule_restore_error(saved);
  return r;
}

GRANULE_NOINLINE void *granule_VirtualAllocExNuma(HANDLE process, void *address, SIZE_T size,
                                                  DWORD type, DWORD protect, DWORD node,
                                                  const char *file, int line, const char *func) {
  void *r = VirtualAllocExNuma(process, address, size, type, protect, node);
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, "VirtualAllocExNuma", file, line, func, address, size, type, protect, r,
               GRANULE_RA());
  granule_shim_record(&c);
  granule_restore_error(saved);
  return r;
}

/* A view reserves its own allocation: its size, rounded to pages, is what
 * the granule holds. A size of 0 maps the rest of the section; the view's
 * size is then read back. */
static void granule_view(const char *api, const char *file, int line, const char *func,
                         void *base, SIZE_T size, DWORD access, void *r, void *ra0) {
  granule_err_t saved = granule_save_error();
  SIZE_T recorded = size;
  if (r && size == 0) {
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(r, &mbi, sizeof mbi)) recorded = mbi.RegionSize;
  }
  struct granule_call c;
  granule_fill(&c, api, file, line, func, base, recorded, 0, access, r, ra0);
  c.reserve = 1;
  c.flags = MEM_RESERVE | MEM_COMMIT;
  c.address = (uintptr_t)base;
  granule_shim_record(&c);
  granule_restore_error(saved);
}

GRANULE_NOINLINE void *granule_MapViewOfFile(HANDLE mapping, DWORD access, DWORD offset_high,
                                             DWORD offset_low, SIZE_T size, const char *file,
                                             int line, const char *func) {
  void *r = MapViewOfFile(mapping, access, offset_high, offset_low, size);
  granule_view("MapViewOfFile", file, line, func, NULL, size, access, r, GRANULE_RA());
  return r;
}

GRANULE_NOINLINE void *granule_MapViewOfFileEx(HANDLE mapping, DWORD access, DWORD offset_high,
                                               DWORD offset_low, SIZE_T size, void *base,
                                               const char *file, int line, const char *func) {
  void *r = MapViewOfFileEx(mapping, access, offset_high, offset_low, size, base);
  granule_view("MapViewOfFileEx", file, line, func, base, size, access, r, GRANULE_RA());
  return r;
}

/* ------------------------------------------------------------- releases */

/* MEM_RELEASE: what an unmap does to its view's allocation. */
#define GRANULE_MEM_RELEASE 0x00008000u

/* A release holds the writer lock from before the real call until its record is written. Otherwise
 * another thread could be handed the freed address and write its reservation first, and the report
 * would end the new reservation instead of the old one. Returns whether the lock is held; the
 * caller's last error is left as it was. */
static int granule_hold(void) {
  granule_err_t saved = granule_save_error();
  int held = granule_enabled();
  if (held) {
    granule_lock_take();
    granule_holding = 1;
  }
  granule_restore_error(saved);
  return held;
}

static void granule_unhold(int held) {
  if (!held) return;
  granule_holding = 0;
  granule_lock_drop();
}

static void granule_release(const char *api, const char *file, int line, const char *func,
                            const void *address, uint64_t size, DWORD type, int ok,
                            DWORD error, void *ra0) {
  struct granule_call c;
  c.api = api;
  c.file = file;
  c.line = line;
  c.func = func;
  c.size = size;
  c.flags = type;
  c.protect = 0;
  c.address = (uintptr_t)address;
  c.result = ok ? 1 : 0;
  c.error = ok ? 0 : error;
  c.reserve = 0;
  c.ra0 = ra0;
  granule_shim_record(&c);
}

GRANULE_NOINLINE BOOL granule_VirtualFree(void *address, SIZE_T size, DWORD type,
                                          const char *file, int line, const char *func) {
  int held = granule_hold();
  BOOL ok = VirtualFree(address, size, type);
  DWORD error = GetLastError();
  granule_err_t saved = granule_save_error();
  granule_release("VirtualFree", file, line, func, address, size, type, ok != 0, error,
                  GRANULE_RA());
  granule_unhold(held);
  granule_restore_error(saved);
  return ok;
}

GRANULE_NOINLINE BOOL granule_VirtualFreeEx(HANDLE process, void *address, SIZE_T size,
                                            DWORD type, const char *file, int line,
                                            const char *func) {
  int held = granule_hold();
  BOOL ok = VirtualFreeEx(process, address, size, type);
  DWORD error = GetLastError();
  granule_err_t saved = granule_save_error();
  granule_release("VirtualFreeEx", file, line, func, address, size, type, ok != 0, error,
                  GRANULE_RA());
  granule_unhold(held);
  granule_restore_error(saved);
  return ok;
}

GRANULE_NOINLINE BOOL granule_UnmapViewOfFile(const void *base, const char *file, int line,
                                              const char *func) {
  int held = granule_hold();
  BOOL ok = UnmapViewOfFile(base);
  DWORD error = GetLastError();
  granule_err_t saved = granule_save_error();
  granule_release("UnmapViewOfFile", file, line, func, base, 0, GRANULE_MEM_RELEASE, ok != 0,
                  error, GRANULE_RA());
  granule_unhold(held);
  granule_restore_error(saved);
  return ok;
}

#ifdef _WIN32
typedef PVOID(WINAPI *granule_va2_fn)(HANDLE, PVOID, SIZE_T, ULONG, ULONG, void *, ULONG);
typedef PVOID(WINAPI *granule_vafa_fn)(PVOID, SIZE_T, ULONG, ULONG);

static FARPROC granule_resolve(const char *name) {
  HMODULE kb = GetModuleHandleW(L"kernelbase.dll");
  FARPROC f = kb ? GetProcAddress(kb, name) : NULL;
  if (!f) {
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    f = k32 ? GetProcAddress(k32, name) : NULL;
  }
  return f;
}

static void *granule_va2(const char *api, HANDLE process, void *address, SIZE_T size, ULONG type,
                         ULONG protect, void *params, ULONG count, const char *file, int line,
                         const char *func, void *ra0) {
  granule_va2_fn fn = (granule_va2_fn)(void (*)(void))granule_resolve(api);
  void *r = NULL;
  if (fn)
    r = fn(process, address, size, type, protect, params, count);
  else
    SetLastError(ERROR_PROC_NOT_FOUND);
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, api, file, line, func, address, size, type, protect, r, ra0);
  granule_shim_record(&c);
  granule_restore_error(saved);
  return r;
}

GRANULE_NOINLINE void *granule_VirtualAlloc2(HANDLE process, void *address, SIZE_T size,
                                             ULONG type, ULONG protect, void *params, ULONG count,
                                             const char *file, int line, const char *func) {
  return granule_va2("VirtualAlloc2", process, address, size, type, protect, params, count, file,
                     line, func, GRANULE_RA());
}

GRANULE_NOINLINE void *granule_VirtualAlloc2FromApp(HANDLE process, void *address, SIZE_T size,
                                                    ULONG type, ULONG protect, void *params,
                                                    ULONG count, const char *file, int line,
                                                    const char *func) {
  return granule_va2("VirtualAlloc2FromApp", process, address, size, type, protect, params, count,
                     file, line, func, GRANULE_RA());
}

GRANULE_NOINLINE void *granule_VirtualAllocFromApp(void *address, SIZE_T size, ULONG type,
                                                   ULONG protect, const char *file, int line,
                                                   const char *func) {
  granule_vafa_fn fn = (granule_vafa_fn)(void (*)(void))granule_resolve("VirtualAllocFromApp");
  void *r = NULL;
  if (fn)
    r = fn(address, size, type, protect);
  else
    SetLastError(ERROR_PROC_NOT_FOUND);
  granule_err_t saved = granule_save_error();
  struct granule_call c;
  granule_fill(&c, "VirtualAllocFromApp", file, line, func, address, size, type, protect, r,
               GRANULE_RA());
  granule_shim_record(&c);
  granule_restore_error(saved);
  return r;
}
#endif
