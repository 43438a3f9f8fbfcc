#include "arena.h"

int arena_init(arena *a)
{
    a->base = (unsigned char *)VirtualAlloc(NULL, ARENA_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    a->used = 0;
    return a->base != NULL;
}

void *arena_block(arena *a)
{
    void *block;
    if (a->used + BLOCK_SIZE > ARENA_SIZE)
        return NULL;
    block = a->base + a->used;
    a->used += BLOCK_SIZE;
    return block;
}

void arena_free(arena *a)
{
    VirtualFree(a->base, 0, MEM_RELEASE);
    a->base = NULL;
}

/* A wrapper: every caller's page count decides whether a granule is wasted. */
void *reserve_pages(SIZE_T pages)
{
    return VirtualAlloc(NULL, pages * 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

void *reserve_scratch(void)
{
    return VirtualAlloc(NULL, SCRATCH_SIZE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}
