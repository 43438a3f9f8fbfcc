/*
 * granule runtime shim: cost of recording one call.
 *
 * Build with the shim (Linux emulation shown; mingw works the same way):
 *   gcc -O2 -g $(granule shim cflags --emulate-linux) -o overhead \
 *       shim/bench/overhead.c $(granule shim sources --emulate-linux)
 * Run:
 *   ./overhead [ITERATIONS] [REPORT]
 * REPORT defaults to overhead-report.jsonl (GRANULE_SHIM_REPORT, when set,
 * wins). For each case it times the plain API, called as (VirtualAlloc)(...)
 * so that the recording macro does not apply, and the recorded call, and
 * prints the difference per call. "rejected call" is a call that fails at
 * once (size 0): almost all of its recorded time is the recorder's.
 * Times are the thread's CPU time on Linux (so a busy machine's waiting does
 * not count) and wall time on Windows.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200112L /* setenv */
#endif
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
static double now_ns(void) {
  LARGE_INTEGER c, f;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&f);
  return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
}
#else
#  include <time.h>
/* CPU time of this thread (user + kernel): a busy machine's waiting is left out */
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
#endif

static volatile LONG sink;

static double time_pairs(int n, int recorded) {
  double t0 = now_ns();
  for (int i = 0; i < n; i++) {
    void *p = recorded ? VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)
                       : (VirtualAlloc)(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!p) abort();
    (VirtualFree)(p, 0, MEM_RELEASE); /* unrecorded: the pair times one recorded call */
  }
  return (now_ns() - t0) / n;
}

static double time_rejected(int n, int recorded) {
  double t0 = now_ns();
  for (int i = 0; i < n; i++) {
    void *p = recorded ? VirtualAlloc(NULL, 0, MEM_RESERVE, PAGE_READWRITE)
                       : (VirtualAlloc)(NULL, 0, MEM_RESERVE, PAGE_READWRITE);
    if (p) abort();
    sink += (LONG)GetLastError();
  }
  return (now_ns() - t0) / n;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200000;
  const char *report = argc > 2 ? argv[2] : "overhead-report.jsonl";
  if (n < 1) n = 1;
#ifdef _WIN32
  if (GetEnvironmentVariableA("GRANULE_SHIM_REPORT", NULL, 0) == 0)
    SetEnvironmentVariableA("GRANULE_SHIM_REPORT", report);
#else
  setenv("GRANULE_SHIM_REPORT", report, 0);
#endif
  /* warm up: opens the report, loads the unwinder, faults the code in */
  time_pairs(1000, 1);
  time_pairs(1000, 0);
  time_rejected(1000, 1);

  double best[4] = {1e30, 1e30, 1e30, 1e30};
  for (int round = 0; round < 5; round++) {
    double v[4] = {time_pairs(n, 0), time_pairs(n, 1), time_rejected(n, 0), time_rejected(n, 1)};
    for (int k = 0; k < 4; k++)
      if (v[k] < best[k]) best[k] = v[k];
  }
  printf("iterations per round: %d (best of 5 rounds)\n", n);
  printf("alloc+free pair:   plain %8.1f ns  recorded %8.1f ns  added %7.1f ns/call\n", best[0],
         best[1], best[1] - best[0]);
  printf("rejected call:     plain %8.1f ns  recorded %8.1f ns  added %7.1f ns/call\n", best[2],
         best[3], best[3] - best[2]);
  granule_shim_flush();
  return 0;
}
