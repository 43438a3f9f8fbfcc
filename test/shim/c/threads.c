/* Runtime shim fixture: THREADS threads, each making CALLS reservations of
 * 4 KB to 80 KB and releasing them. argv[1] = threads, argv[2] = calls. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static int calls = 1000;
static volatile LONG failures;

static DWORD WINAPI worker(LPVOID arg) {
  int id = (int)(INT_PTR)arg;
  for (int i = 0; i < calls; i++) {
    SIZE_T size = (SIZE_T)4096 * (SIZE_T)(1 + (i + id) % 20);
    void *p = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); /* @L:worker */
    if (!p) {
      InterlockedIncrement(&failures);
      continue;
    }
    ((char *)p)[0] = (char)i;
    VirtualFree(p, 0, MEM_RELEASE); /* @L:free */
  }
  return 0;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 8;
  if (argc > 2) calls = atoi(argv[2]);
  if (threads < 1 || threads > 64) return 2;
  HANDLE h[64];
  for (int t = 0; t < threads; t++) {
    h[t] = CreateThread(NULL, 0, worker, (LPVOID)(INT_PTR)t, 0, NULL);
    if (!h[t]) return 4;
  }
  WaitForMultipleObjects((DWORD)threads, h, TRUE, INFINITE);
  for (int t = 0; t < threads; t++) CloseHandle(h[t]);
  printf("threads=%d calls=%d failures=%ld\n", threads, calls, (long)failures);
  return failures ? 5 : 0;
}
