/*
 * granule runtime shim: granule-run.exe, run a program with the IAT hook.
 *
 *   granule-run [--dll PATH] [--report FILE] [--] PROGRAM.exe [ARGS...]
 *
 * Starts PROGRAM suspended, loads granule_iathook.dll into it (a remote
 * thread calling LoadLibraryW), resumes it, waits, and exits with its exit
 * code. --dll defaults to granule_iathook.dll next to granule-run.exe;
 * --report sets GRANULE_SHIM_REPORT for the program ("%p" -> its pid).
 * Exit codes of its own: 125 usage, 126 the program or the DLL could not be
 * loaded.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -municode -static-libgcc \
 *          -o granule-run.exe shim/win/granule-run.c
 */
#ifndef PSAPI_VERSION
#  define PSAPI_VERSION 2 /* K32* in kernel32: no psapi.dll needed */
#endif
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define EXIT_USAGE 125
#define EXIT_LOAD 126

static void usage(void) {
  fwprintf(stderr, L"usage: granule-run [--dll PATH] [--report FILE] [--] PROGRAM.exe [ARGS...]\n");
}

static void fail_win(const wchar_t *what) {
  DWORD e = GetLastError();
  fwprintf(stderr, L"granule-run: %ls failed (error %lu)\n", what, (unsigned long)e);
}

/* Append one argument, quoted so that CommandLineToArgvW and the C runtime
 * read it back unchanged. */
static size_t quote_arg(wchar_t *out, const wchar_t *arg) {
  size_t n = 0;
  int needs = *arg == 0 || wcspbrk(arg, L" \t\n\v\"") != NULL;
  if (!needs) {
    size_t len = wcslen(arg);
    if (out) memcpy(out, arg, len * sizeof(wchar_t));
    return len;
  }
  if (out) out[n] = L'"';
  n++;
  for (const wchar_t *p = arg;; p++) {
    size_t backslashes = 0;
    while (*p == L'\\') {
      p++;
      backslashes++;
    }
    if (*p == 0) {
      for (size_t i = 0; i < backslashes * 2; i++, n++)
        if (out) out[n] = L'\\';
      break;
    }
    if (*p == L'"') {
      for (size_t i = 0; i < backslashes * 2 + 1; i++, n++)
        if (out) out[n] = L'\\';
    } else {
      for (size_t i = 0; i < backslashes; i++, n++)
        if (out) out[n] = L'\\';
    }
    if (out) out[n] = *p;
    n++;
  }
  if (out) out[n] = L'"';
  n++;
  return n;
}

static wchar_t *build_command_line(int argc, wchar_t **argv) {
  size_t total = 1;
  for (int i = 0; i < argc; i++) total += quote_arg(NULL, argv[i]) + 1;
  wchar_t *cmd = (wchar_t *)malloc(total * sizeof(wchar_t));
  if (!cmd) return NULL;
  size_t n = 0;
  for (int i = 0; i < argc; i++) {
    if (i) cmd[n++] = L' ';
    n += quote_arg(cmd + n, argv[i]);
  }
  cmd[n] = 0;
  return cmd;
}

/* The remote thread's exit code is the low 32 bits of the HMODULE, which can
 * be 0 for a loaded DLL: ask the process's module list then. */
static int module_loaded(HANDLE process, const wchar_t *dll) {
  HMODULE mods[1024];
  DWORD needed = 0;
  if (!EnumProcessModules(process, mods, sizeof mods, &needed)) return 0;
  DWORD count = needed / sizeof(HMODULE);
  if (count > 1024) count = 1024;
  for (DWORD i = 0; i < count; i++) {
    wchar_t path[MAX_PATH * 2];
    if (GetModuleFileNameExW(process, mods[i], path, MAX_PATH * 2) && _wcsicmp(path, dll) == 0)
      return 1;
  }
  return 0;
}

static int inject(HANDLE process, const wchar_t *dll) {
  size_t bytes = (wcslen(dll) + 1) * sizeof(wchar_t);
  void *remote = VirtualAllocEx(process, NULL, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!remote) {
    fail_win(L"VirtualAllocEx");
    return 0;
  }
  if (!WriteProcessMemory(process, remote, dll, bytes, NULL)) {
    fail_win(L"WriteProcessMemory");
    return 0;
  }
  HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
  FARPROC load = k32 ? GetProcAddress(k32, "LoadLibraryW") : NULL;
  if (!load) {
    fail_win(L"GetProcAddress(LoadLibraryW)");
    return 0;
  }
  HANDLE thread = CreateRemoteThread(process, NULL, 0,
                                     (LPTHREAD_START_ROUTINE)(void (*)(void))load, remote, 0, NULL);
  if (!thread) {
    fail_win(L"CreateRemoteThread");
    return 0;
  }
  WaitForSingleObject(thread, INFINITE);
  DWORD loaded = 0;
  GetExitCodeThread(thread, &loaded);
  CloseHandle(thread);
  VirtualFreeEx(process, remote, 0, MEM_RELEASE);
  if (!loaded && !module_loaded(process, dll)) {
    fwprintf(stderr, L"granule-run: %ls could not be loaded into the program\n", dll);
    return 0;
  }
  return 1;
}

int wmain(int argc, wchar_t **argv) {
  const wchar_t *dll = NULL;
  int i = 1;
  for (; i < argc; i++) {
    if (wcscmp(argv[i], L"--") == 0) {
      i++;
      break;
    } else if (wcscmp(argv[i], L"--dll") == 0 && i + 1 < argc) {
      dll = argv[++i];
    } else if (wcscmp(argv[i], L"--report") == 0 && i + 1 < argc) {
      SetEnvironmentVariableW(L"GRANULE_SHIM_REPORT", argv[++i]);
    } else if (wcscmp(argv[i], L"--help") == 0 || wcscmp(argv[i], L"-h") == 0) {
      usage();
      return 0;
    } else if (argv[i][0] == L'-' && argv[i][1] == L'-') {
      usage();
      return EXIT_USAGE;
    } else {
      break;
    }
  }
  if (i >= argc) {
    usage();
    return EXIT_USAGE;
  }

  wchar_t dll_path[MAX_PATH * 2];
  if (dll) {
    DWORD n = GetFullPathNameW(dll, MAX_PATH * 2, dll_path, NULL);
    if (n == 0 || n >= MAX_PATH * 2) {
      fail_win(L"GetFullPathNameW");
      return EXIT_USAGE;
    }
  } else {
    DWORD n = GetModuleFileNameW(NULL, dll_path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) {
      fail_win(L"GetModuleFileNameW");
      return EXIT_LOAD;
    }
    wchar_t *slash = NULL;
    for (wchar_t *p = dll_path; *p; p++)
      if (*p == L'\\' || *p == L'/') slash = p;
    wcscpy(slash ? slash + 1 : dll_path, L"granule_iathook.dll");
  }
  if (GetFileAttributesW(dll_path) == INVALID_FILE_ATTRIBUTES) {
    fwprintf(stderr, L"granule-run: %ls not found\n", dll_path);
    return EXIT_LOAD;
  }

  wchar_t *cmd = build_command_line(argc - i, argv + i);
  if (!cmd) return EXIT_LOAD;
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  memset(&pi, 0, sizeof pi);
  if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &si, &pi)) {
    fail_win(L"CreateProcessW");
    free(cmd);
    return EXIT_LOAD;
  }
  free(cmd);
  if (!inject(pi.hProcess, dll_path)) {
    TerminateProcess(pi.hProcess, EXIT_LOAD);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return EXIT_LOAD;
  }
  ResumeThread(pi.hThread);
  CloseHandle(pi.hThread);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = EXIT_LOAD;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  return (int)code;
}
