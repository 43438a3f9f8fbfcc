/* Input for the suppression tests: two findings disabled in the source, one not. */
#include <windows.h>

void legacy(void)
{
    // granule-disable-next-line virtualalloc-granularity -- pooled by the arena
    void *a = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);
    void *b = VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_READWRITE); // granule-disable-line
    void *c = VirtualAlloc(NULL, 12288, MEM_RESERVE, PAGE_READWRITE);
}
