/* FourKBLeak: reserves many 4 KB regions one VirtualAlloc at a time. Each one costs a whole
 * 64 KB granule of address space; VMMap shows the other 60 KB as "Unusable". */
#include <stdio.h>
#include <stdlib.h>
#include "arena.h"

#define ALLOCATIONS 100

static void *allocate_small(void)
{
    return VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

static void *allocate_table(void)
{
    /* 16 pages of 4 KB: exactly one granule, nothing wasted */
    return VirtualAlloc(NULL, 16 * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

static void rarely_used(void)
{
    void *p = VirtualAlloc(NULL, 16384, MEM_RESERVE, PAGE_NOACCESS);
    VirtualFree(p, 0, MEM_RELEASE);
}

int main(int argc, char **argv)
{
    arena a;
    int i;
    void *three, *scratch, *table;

    for (i = 0; i < ALLOCATIONS; i++)
        allocate_small();

    three = reserve_pages(3);      /* 12 KB through the wrapper */
    scratch = reserve_scratch();   /* 20 KB from a header macro */
    table = allocate_table();

    if (arena_init(&a)) {
        for (i = 0; i < 16; i++)
            arena_block(&a);       /* 16 blocks of 4 KB, one granule */
        arena_free(&a);
    }

    if (argc > 1) {
        /* the size is only known at run time */
        SIZE_T bytes = (SIZE_T)strtoul(argv[1], NULL, 10);
        void *p = VirtualAlloc(NULL, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        VirtualFree(p, 0, MEM_RELEASE);
    }
    if (argc > 2)
        rarely_used();

    printf("reserved %d small regions\n", ALLOCATIONS);
    VirtualFree(three, 0, MEM_RELEASE);
    VirtualFree(scratch, 0, MEM_RELEASE);
    VirtualFree(table, 0, MEM_RELEASE);
    return 0;
}
