/*
 * granule runtime shim: Linux emulation of the Windows virtual-memory API.
 * See windows.h in this folder for the list of emulated functions.
 *
 * Model. Each reservation is an entry of a table sorted by base address:
 *   base  a multiple of 64 KB (the allocation granularity),
 *   size  the reserved bytes, rounded up to 4 KB pages,
 *   span  size rounded up to 64 KB: [base, base + span) stays mapped, so the
 *         tail [base + size, base + span) is unusable address space exactly as
 *         on Windows (VirtualQuery reports it MEM_FREE, as Windows does, yet
 *         nothing can be reserved there).
 * Reserved pages are PROT_NONE; committed pages get the requested protection;
 * decommitted pages are discarded (MADV_DONTNEED) and read as zero when
 * committed again.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "windows.h"

/* The recorder's macros must not apply to the emulation itself. */
#undef VirtualAlloc
#undef VirtualAllocEx
#undef VirtualAllocExNuma
#undef MapViewOfFile
#undef MapViewOfFileEx
#undef VirtualFree
#undef VirtualFreeEx
#undef UnmapViewOfFile

#ifndef MAP_FIXED_NOREPLACE
#  define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef ERROR_ACCESS_DENIED
#  define ERROR_ACCESS_DENIED 5
#endif

#define GRANULE_PAGE ((uintptr_t)0x1000)
#define GRANULE_GRAIN ((uintptr_t)0x10000)
#define GRANULE_LARGE_PAGE ((uintptr_t)0x200000)
#define GRANULE_USER_LIMIT ((uintptr_t)0x800000000000ULL)

#define ROUND_UP(x, a) (((x) + ((a)-1)) & ~((uintptr_t)(a)-1))
#define ROUND_DOWN(x, a) ((x) & ~((uintptr_t)(a)-1))

/* ------------------------------------------------------------------ errors */

static __thread DWORD emul_last_error;

DWORD WINAPI GetLastError(void) { return emul_last_error; }
void WINAPI SetLastError(DWORD code) { emul_last_error = code; }

static void fail(DWORD code) { emul_last_error = code; }

/* ----------------------------------------------------------------- regions */

struct region {
  uintptr_t base;
  uintptr_t size;
  uintptr_t span;
  DWORD alloc_protect;
  DWORD type; /* MEM_PRIVATE or MEM_MAPPED */
  uint16_t *pages; /* per 4 KB page: 0 reserved, else the PAGE_* protection */
};

static pthread_mutex_t regions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct region *regions;
static size_t region_count, region_cap;

/* Index of the first region whose base is greater than addr. */
static size_t upper_bound(uintptr_t addr) {
  size_t lo = 0, hi = region_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (regions[mid].base <= addr)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The region whose span contains addr, or NULL. */
static struct region *find_span(uintptr_t addr) {
  size_t i = upper_bound(addr);
  if (i == 0) return NULL;
  struct region *r = &regions[i - 1];
  return addr < r->base + r->span ? r : NULL;
}

static int insert_region(const struct region *r) {
  if (region_count == region_cap) {
    size_t cap = region_cap ? region_cap * 2 : 256;
    struct region *n = (struct region *)realloc(regions, cap * sizeof *n);
    if (!n) return 0;
    regions = n;
    region_cap = cap;
  }
  size_t i = upper_bound(r->base);
  memmove(&regions[i + 1], &regions[i], (region_count - i) * sizeof *regions);
  regions[i] = *r;
  region_count++;
  return 1;
}

static void remove_region(struct region *r) {
  size_t i = (size_t)(r - regions);
  free(r->pages);
  memmove(&regions[i], &regions[i + 1], (region_count - i - 1) * sizeof *regions);
  region_count--;
}

static int valid_protect(DWORD protect, int allow_copy) {
  DWORD base = protect & ~(DWORD)(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE);
  switch (base) {
  case PAGE_NOACCESS:
  case PAGE_READONLY:
  case PAGE_READWRITE:
  case PAGE_EXECUTE:
  case PAGE_EXECUTE_READ:
  case PAGE_EXECUTE_READWRITE:
    return 1;
  case PAGE_WRITECOPY:
  case PAGE_EXECUTE_WRITECOPY:
    return allow_copy;
  default:
    return 0;
  }
}

static int posix_prot(DWORD protect) {
  switch (protect & 0xff) {
  case PAGE_READONLY:
    return PROT_READ;
  case PAGE_READWRITE:
  case PAGE_WRITECOPY:
    return PROT_READ | PROT_WRITE;
  case PAGE_EXECUTE:
  case PAGE_EXECUTE_READ:
    return PROT_READ | PROT_EXEC;
  case PAGE_EXECUTE_READWRITE:
  case PAGE_EXECUTE_WRITECOPY:
    return PROT_READ | PROT_WRITE | PROT_EXEC;
  default:
    return PROT_NONE;
  }
}

static DWORD errno_to_win(int e) {
  switch (e) {
  case ENOMEM:
    return ERROR_NOT_ENOUGH_MEMORY;
  case EEXIST:
  case EFAULT:
    return ERROR_INVALID_ADDRESS;
  case EACCES:
  case EPERM:
    return ERROR_ACCESS_DENIED;
  default:
    return ERROR_INVALID_PARAMETER;
  }
}

/* Map span bytes of PROT_NONE address space at a 64 KB boundary (at want
 * when want is not 0). Returns 0 and sets the last error on failure. */
static uintptr_t map_span(uintptr_t want, uintptr_t span) {
  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (want) {
    void *p = mmap((void *)want, span, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
      fail(errno == EEXIST ? ERROR_INVALID_ADDRESS : errno_to_win(errno));
      return 0;
    }
    if ((uintptr_t)p != want) { /* kernel without MAP_FIXED_NOREPLACE */
      munmap(p, span);
      fail(ERROR_INVALID_ADDRESS);
      return 0;
    }
    return want;
  }
  /* Fast path: one mmap just below the last base the kernel gave us (called
   * with regions_lock held). When that space is taken, ask the kernel. */
  static uintptr_t hint;
  if (hint > span + GRANULE_GRAIN) {
    uintptr_t at = hint - span;
    void *p = mmap((void *)at, span, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED && (uintptr_t)p == at) {
      hint = at;
      return at;
    }
    if (p != MAP_FAILED) munmap(p, span);
  }
  uintptr_t len = span + GRANULE_GRAIN - GRANULE_PAGE;
  if (len < span) {
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return 0;
  }
  void *p = mmap(NULL, len, PROT_NONE, flags, -1, 0);
  if (p == MAP_FAILED) {
    fail(errno_to_win(errno));
    return 0;
  }
  uintptr_t start = (uintptr_t)p;
  uintptr_t base = ROUND_UP(start, GRANULE_GRAIN);
  if (base > start) munmap(p, base - start);
  if (start + len > base + span) munmap((void *)(base + span), start + len - (base + span));
  hint = base;
  return base;
}

static int set_pages(struct region *r, uintptr_t lo, uintptr_t hi, uint16_t protect) {
  for (uintptr_t a = lo; a < hi; a += GRANULE_PAGE) r->pages[(a - r->base) / GRANULE_PAGE] = protect;
  return 1;
}

static LPVOID reserve(uintptr_t addr, SIZE_T size, DWORD type, DWORD protect, DWORD rtype) {
  uintptr_t base = addr ? ROUND_DOWN(addr, GRANULE_GRAIN) : 0;
  uintptr_t end = addr ? addr + size : size;
  if (end < size || end > GRANULE_USER_LIMIT) {
    fail(addr ? ERROR_INVALID_ADDRESS : ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  uintptr_t rsize = ROUND_UP(end, GRANULE_PAGE) - base;
  uintptr_t span = ROUND_UP(rsize, GRANULE_GRAIN);
  if ((type & MEM_LARGE_PAGES) && addr && (addr % GRANULE_LARGE_PAGE)) {
    fail(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  struct region r;
  memset(&r, 0, sizeof r);
  r.pages = (uint16_t *)calloc(rsize / GRANULE_PAGE, sizeof(uint16_t));
  if (!r.pages) {
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  pthread_mutex_lock(&regions_lock);
  uintptr_t got = map_span(base, span);
  if (!got) {
    pthread_mutex_unlock(&regions_lock);
    free(r.pages);
    return NULL;
  }
  r.base = got;
  r.size = rsize;
  r.span = span;
  r.alloc_protect = protect;
  r.type = rtype;
  if (type & MEM_COMMIT) {
    if (mprotect((void *)got, rsize, posix_prot(protect)) != 0) {
      DWORD e = errno_to_win(errno);
      munmap((void *)got, span);
      pthread_mutex_unlock(&regions_lock);
      free(r.pages);
      fail(e);
      return NULL;
    }
    set_pages(&r, got, got + rsize, (uint16_t)protect);
  }
  if (!insert_region(&r)) {
    munmap((void *)got, span);
    pthread_mutex_unlock(&regions_lock);
    free(r.pages);
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  pthread_mutex_unlock(&regions_lock);
  return (LPVOID)got;
}

static LPVOID commit(uintptr_t addr, SIZE_T size, DWORD protect) {
  uintptr_t lo = ROUND_DOWN(addr, GRANULE_PAGE);
  uintptr_t end = addr + size;
  if (end < addr) {
    fail(ERROR_INVALID_ADDRESS);
    return NULL;
  }
  uintptr_t hi = ROUND_UP(end, GRANULE_PAGE);
  pthread_mutex_lock(&regions_lock);
  struct region *r = find_span(lo);
  if (!r || r->type != MEM_PRIVATE || hi > r->base + r->size) {
    pthread_mutex_unlock(&regions_lock);
    fail(ERROR_INVALID_ADDRESS);
    return NULL;
  }
  if (mprotect((void *)lo, hi - lo, posix_prot(protect)) != 0) {
    DWORD e = errno_to_win(errno);
    pthread_mutex_unlock(&regions_lock);
    fail(e);
    return NULL;
  }
  set_pages(r, lo, hi, (uint16_t)protect);
  pthread_mutex_unlock(&regions_lock);
  return (LPVOID)lo;
}

LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                           DWORD flProtect) {
  const DWORD known = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN |
                      MEM_WRITE_WATCH | MEM_PHYSICAL | MEM_LARGE_PAGES;
  DWORD t = flAllocationType;
  uintptr_t addr = (uintptr_t)lpAddress;
  if (dwSize == 0 || (t & ~known) != 0) {
    fail(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  if (t & (MEM_RESET | MEM_RESET_UNDO)) {
    /* Contents may be discarded / kept: both are allowed to do nothing. */
    if ((t & ~(DWORD)(MEM_RESET | MEM_RESET_UNDO)) != 0 ||
        (t & (MEM_RESET | MEM_RESET_UNDO)) == (MEM_RESET | MEM_RESET_UNDO) || !addr) {
      fail(ERROR_INVALID_PARAMETER);
      return NULL;
    }
    pthread_mutex_lock(&regions_lock);
    struct region *r = find_span(addr);
    int ok = r && addr + dwSize <= r->base + r->size;
    pthread_mutex_unlock(&regions_lock);
    if (!ok) {
      fail(ERROR_INVALID_ADDRESS);
      return NULL;
    }
    return lpAddress;
  }
  if (!(t & (MEM_COMMIT | MEM_RESERVE)) || !valid_protect(flProtect, 0)) {
    fail(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  if (t & MEM_LARGE_PAGES) {
    /* Granted as if SeLockMemoryPrivilege were held; the size rule holds. */
    if ((t & (MEM_COMMIT | MEM_RESERVE)) != (MEM_COMMIT | MEM_RESERVE) ||
        dwSize % GRANULE_LARGE_PAGE != 0) {
      fail(ERROR_INVALID_PARAMETER);
      return NULL;
    }
  }
  if ((t & MEM_RESERVE) || !addr) return reserve(addr, dwSize, t, flProtect, MEM_PRIVATE);
  return commit(addr, dwSize, flProtect);
}

static int is_current_process(HANDLE h) {
  return h == GetCurrentProcess() || (uintptr_t)h == (uintptr_t)GetCurrentProcessId();
}

LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                             DWORD flAllocationType, DWORD flProtect) {
  if (!is_current_process(hProcess)) {
    fail(ERROR_INVALID_HANDLE);
    return NULL;
  }
  return VirtualAlloc(lpAddress, dwSize, flAllocationType, flProtect);
}

LPVOID WINAPI VirtualAllocExNuma(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize,
                                 DWORD flAllocationType, DWORD flProtect, DWORD nndPreferred) {
  (void)nndPreferred;
  return VirtualAllocEx(hProcess, lpAddress, dwSize, flAllocationType, flProtect);
}

BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType) {
  uintptr_t addr = (uintptr_t)lpAddress;
  DWORD kind = dwFreeType & (MEM_RELEASE | MEM_DECOMMIT);
  if (kind == 0 || kind == (MEM_RELEASE | MEM_DECOMMIT) ||
      (dwFreeType & ~(DWORD)(MEM_RELEASE | MEM_DECOMMIT | MEM_COALESCE_PLACEHOLDERS |
                             MEM_PRESERVE_PLACEHOLDER)) != 0) {
    fail(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  pthread_mutex_lock(&regions_lock);
  struct region *r = find_span(addr);
  if (!r || r->type != MEM_PRIVATE) {
    pthread_mutex_unlock(&regions_lock);
    fail(r ? ERROR_INVALID_PARAMETER : ERROR_INVALID_ADDRESS);
    return FALSE;
  }
  if (kind == MEM_RELEASE) {
    if (dwSize != 0) {
      pthread_mutex_unlock(&regions_lock);
      fail(ERROR_INVALID_PARAMETER);
      return FALSE;
    }
    if (addr != r->base) {
      pthread_mutex_unlock(&regions_lock);
      fail(ERROR_INVALID_ADDRESS);
      return FALSE;
    }
    munmap((void *)r->base, r->span);
    remove_region(r);
    pthread_mutex_unlock(&regions_lock);
    return TRUE;
  }
  uintptr_t lo, hi;
  if (dwSize == 0) {
    if (addr != r->base) {
      pthread_mutex_unlock(&regions_lock);
      fail(ERROR_INVALID_ADDRESS);
      return FALSE;
    }
    lo = r->base;
    hi = r->base + r->size;
  } else {
    lo = ROUND_DOWN(addr, GRANULE_PAGE);
    hi = ROUND_UP(addr + dwSize, GRANULE_PAGE);
    if (hi > r->base + r->size || hi < lo) {
      pthread_mutex_unlock(&regions_lock);
      fail(ERROR_INVALID_ADDRESS);
      return FALSE;
    }
  }
  madvise((void *)lo, hi - lo, MADV_DONTNEED);
  mprotect((void *)lo, hi - lo, PROT_NONE);
  set_pages(r, lo, hi, 0);
  pthread_mutex_unlock(&regions_lock);
  return TRUE;
}

BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType) {
  if (!is_current_process(hProcess)) {
    fail(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  return VirtualFree(lpAddress, dwSize, dwFreeType);
}

BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                           PDWORD lpflOldProtect) {
  uintptr_t lo = ROUND_DOWN((uintptr_t)lpAddress, GRANULE_PAGE);
  uintptr_t hi = ROUND_UP((uintptr_t)lpAddress + dwSize, GRANULE_PAGE);
  if (!lpflOldProtect || !valid_protect(flNewProtect, 1) || dwSize == 0) {
    fail(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  pthread_mutex_lock(&regions_lock);
  struct region *r = find_span(lo);
  if (!r || hi > r->base + r->size) {
    pthread_mutex_unlock(&regions_lock);
    fail(ERROR_INVALID_ADDRESS);
    return FALSE;
  }
  for (uintptr_t a = lo; a < hi; a += GRANULE_PAGE) {
    if (r->pages[(a - r->base) / GRANULE_PAGE] == 0) {
      pthread_mutex_unlock(&regions_lock);
      fail(ERROR_INVALID_ADDRESS);
      return FALSE;
    }
  }
  if (mprotect((void *)lo, hi - lo, posix_prot(flNewProtect)) != 0) {
    DWORD e = errno_to_win(errno);
    pthread_mutex_unlock(&regions_lock);
    fail(e);
    return FALSE;
  }
  *lpflOldProtect = r->pages[(lo - r->base) / GRANULE_PAGE];
  set_pages(r, lo, hi, (uint16_t)flNewProtect);
  pthread_mutex_unlock(&regions_lock);
  return TRUE;
}

/* ------------------------------------------------------------ VirtualQuery */

struct map_line {
  uintptr_t start, end;
  char perms[5];
  int file_backed;
};

static uintptr_t parse_hex(const char **s) {
  uintptr_t v = 0;
  for (;;) {
    char c = **s;
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return v;
    v = v * 16 + (uintptr_t)d;
    (*s)++;
  }
}

/* The first mapping of /proc/self/maps that ends above addr. Returns 0 when
 * there is none. Uses no heap. */
static int next_mapping(uintptr_t addr, struct map_line *out) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[8192];
  size_t have = 0;
  int found = 0;
  for (;;) {
    ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
    if (n <= 0) break;
    have += (size_t)n;
    buf[have] = 0;
    char *line = buf;
    char *nl;
    while ((nl = strchr(line, '\n')) != NULL) {
      *nl = 0;
      const char *s = line;
      struct map_line m;
      m.start = parse_hex(&s);
      if (*s == '-') s++;
      m.end = parse_hex(&s);
      while (*s == ' ') s++;
      memcpy(m.perms, s, 4);
      m.perms[4] = 0;
      /* skip perms, offset, dev, inode; what is left is the path */
      int fields = 0;
      while (*s && fields < 4) {
        while (*s && *s != ' ') s++;
        while (*s == ' ') s++;
        fields++;
      }
      m.file_backed = *s == '/';
      if (m.end > addr) {
        *out = m;
        found = 1;
        break;
      }
      line = nl + 1;
    }
    if (found) break;
    have = (size_t)(buf + have - line);
    memmove(buf, line, have);
    if (have >= sizeof buf - 1) have = 0; /* absurdly long line: drop it */
  }
  close(fd);
  return found;
}

static DWORD protect_of_perms(const char *p) {
  int r = p[0] == 'r', w = p[1] == 'w', x = p[2] == 'x';
  if (x) return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
  if (w) return PAGE_READWRITE;
  if (r) return PAGE_READONLY;
  return PAGE_NOACCESS;
}

SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION mbi, SIZE_T dwLength) {
  uintptr_t addr = (uintptr_t)lpAddress;
  if (!mbi || dwLength < sizeof *mbi) {
    fail(ERROR_BAD_LENGTH);
    return 0;
  }
  if (addr >= GRANULE_USER_LIMIT) {
    fail(ERROR_INVALID_PARAMETER);
    return 0;
  }
  uintptr_t page = ROUND_DOWN(addr, GRANULE_PAGE);
  memset(mbi, 0, sizeof *mbi);
  mbi->BaseAddress = (PVOID)page;
  uintptr_t free_from = 0;
  pthread_mutex_lock(&regions_lock);
  struct region *r = find_span(addr);
  if (r && page < r->base + r->size) {
    uint16_t state = r->pages[(page - r->base) / GRANULE_PAGE];
    uintptr_t a = page;
    while (a < r->base + r->size && r->pages[(a - r->base) / GRANULE_PAGE] == state)
      a += GRANULE_PAGE;
    mbi->AllocationBase = (PVOID)r->base;
    mbi->AllocationProtect = r->alloc_protect;
    mbi->RegionSize = a - page;
    mbi->State = state ? MEM_COMMIT : MEM_RESERVE;
    mbi->Protect = state;
    mbi->Type = r->type;
    pthread_mutex_unlock(&regions_lock);
    return sizeof *mbi;
  }
  if (r) free_from = r->base + r->span; /* the unusable tail reads as free */
  pthread_mutex_unlock(&regions_lock);

  struct map_line m;
  if (!free_from && next_mapping(page, &m) && m.start <= page) {
    int reserved = strncmp(m.perms, "---", 3) == 0 && !m.file_backed;
    mbi->AllocationBase = (PVOID)m.start;
    mbi->AllocationProtect = protect_of_perms(m.perms);
    mbi->RegionSize = m.end - page;
    mbi->State = reserved ? MEM_RESERVE : MEM_COMMIT;
    mbi->Protect = reserved ? 0 : protect_of_perms(m.perms);
    mbi->Type = m.file_backed ? MEM_IMAGE : MEM_PRIVATE;
    return sizeof *mbi;
  }
  uintptr_t from = free_from ? free_from : page;
  uintptr_t next = next_mapping(from, &m) ? m.start : GRANULE_USER_LIMIT;
  if (next < from) next = from;
  mbi->State = MEM_FREE;
  mbi->Protect = PAGE_NOACCESS;
  mbi->RegionSize = next - page;
  return sizeof *mbi;
}

SIZE_T WINAPI VirtualQueryEx(HANDLE hProcess, LPCVOID lpAddress,
                             PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength) {
  if (!is_current_process(hProcess)) {
    fail(ERROR_INVALID_HANDLE);
    return 0;
  }
  return VirtualQuery(lpAddress, lpBuffer, dwLength);
}

/* ------------------------------------------------------------- system info */

void WINAPI GetSystemInfo(LPSYSTEM_INFO si) {
  memset(si, 0, sizeof *si);
#if defined(__aarch64__)
  si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
#else
  si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
  si->dwProcessorType = PROCESSOR_AMD_X8664;
#endif
  si->dwPageSize = (DWORD)GRANULE_PAGE;
  si->lpMinimumApplicationAddress = (LPVOID)GRANULE_GRAIN;
  si->lpMaximumApplicationAddress = (LPVOID)(uintptr_t)0x7FFFFFFEFFFFULL;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > 64) n = 64;
  si->dwNumberOfProcessors = (DWORD)n;
  si->dwActiveProcessorMask = n == 64 ? ~(DWORD_PTR)0 : (((DWORD_PTR)1 << n) - 1);
  si->dwAllocationGranularity = (DWORD)GRANULE_GRAIN;
  si->wProcessorLevel = 6;
}

void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO si) { GetSystemInfo(si); }

SIZE_T WINAPI GetLargePageMinimum(void) { return (SIZE_T)GRANULE_LARGE_PAGE; }

HANDLE WINAPI GetCurrentProcess(void) { return (HANDLE)(LONG_PTR)-1; }
HANDLE WINAPI GetCurrentThread(void) { return (HANDLE)(LONG_PTR)-2; }
DWORD WINAPI GetCurrentProcessId(void) { return (DWORD)getpid(); }

static __thread DWORD emul_tid;
DWORD WINAPI GetCurrentThreadId(void) {
  if (!emul_tid) emul_tid = (DWORD)syscall(SYS_gettid);
  return emul_tid;
}

void WINAPI Sleep(DWORD ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

DWORD WINAPI GetTickCount(void) { return (DWORD)(mono_ns() / 1000000ULL); }
ULONGLONG WINAPI GetTickCount64(void) { return mono_ns() / 1000000ULL; }
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *c) {
  c->QuadPart = (LONGLONG)mono_ns();
  return TRUE;
}
BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *f) {
  f->QuadPart = 1000000000LL;
  return TRUE;
}

/* ----------------------------------------------------------------- handles */

enum { KIND_THREAD = 0x74687264, KIND_SECTION = 0x73656374 };

struct thread_obj {
  int kind;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int started, done, refs;
  DWORD tid, exit_code;
  LPTHREAD_START_ROUTINE start;
  LPVOID param;
};

struct section_obj {
  int kind;
  int fd;
  uint64_t size;
  DWORD protect;
};

static void thread_release(struct thread_obj *t) {
  pthread_mutex_lock(&t->lock);
  int refs = --t->refs;
  pthread_mutex_unlock(&t->lock);
  if (refs == 0) {
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t);
  }
}

static void *thread_main(void *arg) {
  struct thread_obj *t = (struct thread_obj *)arg;
  pthread_mutex_lock(&t->lock);
  t->tid = GetCurrentThreadId();
  t->started = 1;
  pthread_cond_broadcast(&t->cond);
  pthread_mutex_unlock(&t->lock);
  DWORD code = t->start(t->param);
  pthread_mutex_lock(&t->lock);
  t->exit_code = code;
  t->done = 1;
  pthread_cond_broadcast(&t->cond);
  pthread_mutex_unlock(&t->lock);
  thread_release(t);
  return NULL;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES attrs, SIZE_T stack, LPTHREAD_START_ROUTINE start,
                           LPVOID param, DWORD flags, LPDWORD tid) {
  (void)attrs;
  (void)flags;
  struct thread_obj *t = (struct thread_obj *)calloc(1, sizeof *t);
  if (!t || !start) {
    free(t);
    fail(t ? ERROR_INVALID_PARAMETER : ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  t->kind = KIND_THREAD;
  t->refs = 2;
  t->start = start;
  t->param = param;
  pthread_mutex_init(&t->lock, NULL);
  pthread_cond_init(&t->cond, NULL);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (stack) pthread_attr_setstacksize(&attr, stack < 65536 ? 65536 : stack);
  int rc = pthread_create(&t->thread, &attr, thread_main, t);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t);
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  pthread_mutex_lock(&t->lock);
  while (!t->started) pthread_cond_wait(&t->cond, &t->lock);
  if (tid) *tid = t->tid;
  pthread_mutex_unlock(&t->lock);
  return (HANDLE)t;
}

static int wait_thread(struct thread_obj *t, DWORD ms) {
  pthread_mutex_lock(&t->lock);
  if (ms == INFINITE) {
    while (!t->done) pthread_cond_wait(&t->cond, &t->lock);
  } else if (!t->done) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    while (!t->done && pthread_cond_timedwait(&t->cond, &t->lock, &ts) == 0) {
    }
  }
  int done = t->done;
  pthread_mutex_unlock(&t->lock);
  return done;
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms) {
  struct thread_obj *t = (struct thread_obj *)h;
  if (!t || h == GetCurrentProcess() || h == GetCurrentThread() || t->kind != KIND_THREAD) {
    fail(ERROR_INVALID_HANDLE);
    return WAIT_FAILED;
  }
  return wait_thread(t, ms) ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

DWORD WINAPI WaitForMultipleObjects(DWORD n, const HANDLE *hs, BOOL all, DWORD ms) {
  if (n == 0 || !hs) {
    fail(ERROR_INVALID_PARAMETER);
    return WAIT_FAILED;
  }
  if (all) {
    for (DWORD i = 0; i < n; i++) {
      DWORD r = WaitForSingleObject(hs[i], ms);
      if (r != WAIT_OBJECT_0) return r;
    }
    return WAIT_OBJECT_0;
  }
  uint64_t deadline = ms == INFINITE ? UINT64_MAX : mono_ns() + (uint64_t)ms * 1000000ULL;
  for (;;) {
    for (DWORD i = 0; i < n; i++) {
      DWORD r = WaitForSingleObject(hs[i], 0);
      if (r == WAIT_FAILED) return r;
      if (r == WAIT_OBJECT_0) return WAIT_OBJECT_0 + i;
    }
    if (mono_ns() >= deadline) return WAIT_TIMEOUT;
    Sleep(1);
  }
}

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code) {
  struct thread_obj *t = (struct thread_obj *)h;
  if (!t || !code || t->kind != KIND_THREAD) {
    fail(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  pthread_mutex_lock(&t->lock);
  *code = t->done ? t->exit_code : STILL_ACTIVE;
  pthread_mutex_unlock(&t->lock);
  return TRUE;
}

BOOL WINAPI CloseHandle(HANDLE h) {
  if (!h || h == GetCurrentProcess() || h == GetCurrentThread() || h == INVALID_HANDLE_VALUE) {
    fail(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  int kind = *(int *)h;
  if (kind == KIND_THREAD) {
    thread_release((struct thread_obj *)h);
    return TRUE;
  }
  if (kind == KIND_SECTION) {
    struct section_obj *s = (struct section_obj *)h;
    close(s->fd);
    s->kind = 0;
    free(s);
    return TRUE;
  }
  fail(ERROR_INVALID_HANDLE);
  return FALSE;
}

/* ---------------------------------------------------------------- sections */

HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES attrs, DWORD protect,
                                 DWORD size_high, DWORD size_low, LPCSTR name) {
  (void)attrs;
  (void)name; /* names are not shared between processes in the emulation */
  if (hFile != INVALID_HANDLE_VALUE) {
    fail(ERROR_INVALID_HANDLE); /* only page-file backed sections are emulated */
    return NULL;
  }
  uint64_t size = ((uint64_t)size_high << 32) | size_low;
  DWORD base_protect = protect & 0xff;
  if (size == 0 || !valid_protect(base_protect, 1) || base_protect == PAGE_NOACCESS) {
    fail(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  int fd = (int)syscall(SYS_memfd_create, "granule-section", 1 /* MFD_CLOEXEC */);
  if (fd < 0) {
    fail(errno_to_win(errno));
    return NULL;
  }
  if (ftruncate(fd, (off_t)size) != 0) {
    DWORD e = errno_to_win(errno);
    close(fd);
    fail(e == ERROR_INVALID_PARAMETER ? ERROR_NOT_ENOUGH_MEMORY : e);
    return NULL;
  }
  struct section_obj *s = (struct section_obj *)calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  s->kind = KIND_SECTION;
  s->fd = fd;
  s->size = size;
  s->protect = base_protect;
  return (HANDLE)s;
}

HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES attrs, DWORD protect,
                                 DWORD size_high, DWORD size_low, LPCWSTR name) {
  (void)name;
  return CreateFileMappingA(hFile, attrs, protect, size_high, size_low, NULL);
}

LPVOID WINAPI MapViewOfFileEx(HANDLE h, DWORD access, DWORD off_high, DWORD off_low,
                              SIZE_T bytes, LPVOID want) {
  struct section_obj *s = (struct section_obj *)h;
  if (!s || h == INVALID_HANDLE_VALUE || s->kind != KIND_SECTION) {
    fail(ERROR_INVALID_HANDLE);
    return NULL;
  }
  uint64_t offset = ((uint64_t)off_high << 32) | off_low;
  if (offset % GRANULE_GRAIN != 0) {
    fail(ERROR_MAPPED_ALIGNMENT);
    return NULL;
  }
  if ((uintptr_t)want % GRANULE_GRAIN != 0) {
    fail(ERROR_INVALID_ADDRESS);
    return NULL;
  }
  if (offset >= s->size) {
    fail(ERROR_ACCESS_DENIED);
    return NULL;
  }
  if (bytes == 0) bytes = (SIZE_T)(s->size - offset);
  if (offset + bytes > s->size) {
    fail(ERROR_ACCESS_DENIED);
    return NULL;
  }
  int prot = PROT_READ;
  int share = MAP_SHARED;
  DWORD protect = PAGE_READONLY;
  if (access & FILE_MAP_WRITE) {
    prot |= PROT_WRITE;
    protect = PAGE_READWRITE;
  }
  if ((access & FILE_MAP_COPY) && !(access & FILE_MAP_WRITE)) {
    prot |= PROT_WRITE;
    share = MAP_PRIVATE;
    protect = PAGE_WRITECOPY;
  }
  if (access & FILE_MAP_EXECUTE) {
    prot |= PROT_EXEC;
    protect = protect == PAGE_READONLY ? PAGE_EXECUTE_READ : PAGE_EXECUTE_READWRITE;
  }
  if ((prot & PROT_WRITE) && share == MAP_SHARED && s->protect == PAGE_READONLY) {
    fail(ERROR_ACCESS_DENIED);
    return NULL;
  }
  uintptr_t rsize = ROUND_UP((uintptr_t)bytes, GRANULE_PAGE);
  struct region r;
  memset(&r, 0, sizeof r);
  r.pages = (uint16_t *)calloc(rsize / GRANULE_PAGE, sizeof(uint16_t));
  if (!r.pages) {
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  pthread_mutex_lock(&regions_lock);
  uintptr_t base = map_span((uintptr_t)want, ROUND_UP(rsize, GRANULE_GRAIN));
  if (!base) {
    pthread_mutex_unlock(&regions_lock);
    free(r.pages);
    return NULL;
  }
  void *p = mmap((void *)base, rsize, prot, share | MAP_FIXED, s->fd, (off_t)offset);
  if (p == MAP_FAILED) {
    DWORD e = errno_to_win(errno);
    munmap((void *)base, ROUND_UP(rsize, GRANULE_GRAIN));
    pthread_mutex_unlock(&regions_lock);
    free(r.pages);
    fail(e);
    return NULL;
  }
  r.base = base;
  r.size = rsize;
  r.span = ROUND_UP(rsize, GRANULE_GRAIN);
  r.alloc_protect = protect;
  r.type = MEM_MAPPED;
  set_pages(&r, base, base + rsize, (uint16_t)protect);
  if (!insert_region(&r)) {
    munmap((void *)base, r.span);
    pthread_mutex_unlock(&regions_lock);
    free(r.pages);
    fail(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  pthread_mutex_unlock(&regions_lock);
  return (LPVOID)base;
}

LPVOID WINAPI MapViewOfFile(HANDLE h, DWORD access, DWORD off_high, DWORD off_low, SIZE_T bytes) {
  return MapViewOfFileEx(h, access, off_high, off_low, bytes, NULL);
}

BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress) {
  uintptr_t addr = (uintptr_t)lpBaseAddress;
  pthread_mutex_lock(&regions_lock);
  struct region *r = find_span(addr);
  if (!r || r->type != MEM_MAPPED || addr != r->base) {
    pthread_mutex_unlock(&regions_lock);
    fail(ERROR_INVALID_ADDRESS);
    return FALSE;
  }
  munmap((void *)r->base, r->span);
  remove_region(r);
  pthread_mutex_unlock(&regions_lock);
  return TRUE;
}
