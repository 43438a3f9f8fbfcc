// Headers of the C and C++ standard libraries and of the Windows SDK. granule models what it needs of them (the
// type sizes of target.ts, the constants of windows-memory.ts): the include search does not look for them (a tree
// that carries its own SDK, as wine, mingw-w64 or ReactOS do, would otherwise make every file read all of it, ten
// times the work on wine), and one found nowhere is not worth a notice (src/engine/runner/include-notices.ts).

/** C11/C17/C23 standard headers, and the C++ wrappers of them (`<cstdio>`) are matched by the rule below. */
const C_STANDARD = new Set(
  'assert complex ctype errno fenv float inttypes iso646 limits locale math setjmp signal stdalign stdarg stdatomic stdbit stdbool stdckdint stddef stdint stdio stdlib stdnoreturn string tgmath threads time uchar wchar wctype'
    .split(' ')
    .map((n) => `${n}.h`),
);

/** Windows SDK and MSVC runtime headers code for VirtualAlloc commonly includes. */
const WINDOWS_SDK = new Set(
  'windows windef winbase winnt minwindef minwinbase basetsd memoryapi sysinfoapi processthreadsapi handleapi synchapi fileapi libloaderapi errhandlingapi winerror winternl ntstatus ntdef winioctl winuser wingdi winnls winreg wincon winver winsvc wincrypt winsock winsock2 ws2tcpip ws2def mswsock objbase ole2 oleauto objidl oaidl unknwn wtypes wtypesbase rpc rpcndr guiddef propidl shlobj shellapi shlwapi commctrl commdlg psapi tlhelp32 dbghelp imagehlp tchar intrin malloc crtdbg io process direct conio sdkddkver specstrings sal excpt ntsecapi lmcons mmsystem setupapi cfgmgr32 devguid initguid wdm ntddk ntifs wdf hidclass hidpi hidusage usb usbioctl'
    .split(' ')
    .map((n) => `${n}.h`),
);

/** Whether an `#include` (in quotes or angle brackets) names a standard or Windows SDK header (C++ standard headers have no extension). */
export function isSystemHeader(spec: string): boolean {
  const name = spec.toLowerCase();
  return C_STANDARD.has(name) || WINDOWS_SDK.has(name) || /^[a-z_]+$/.test(name);
}
