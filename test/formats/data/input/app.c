/* Input for the SARIF and GitHub-format tests: a wrapper chain, autofixable literals, two identical calls
   in one function, and a file-mapping view. */
#include <windows.h>

static void *make_arena(SIZE_T n)
{
    return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS);
}

void startup(HANDLE mapping)
{
    void *arena = make_arena(4096);
    void *a = VirtualAlloc(NULL, 100, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    void *b = VirtualAlloc(NULL, 100, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    void *view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 8192);
}
