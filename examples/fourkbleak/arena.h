/* A tiny block allocator: the right way to get many small blocks is to carve them
 * out of one reservation whose size is a multiple of the 64 KB allocation granularity. */
#ifndef ARENA_H
#define ARENA_H

#include <windows.h>

#define BLOCK_SIZE   (4 * 1024)          /* what callers want */
#define ARENA_SIZE   (64 * 1024)         /* what we reserve: one whole granule */
#define SCRATCH_SIZE (BLOCK_SIZE * 5)    /* 20 KB: not a granule multiple */

typedef struct arena {
    unsigned char *base;
    SIZE_T used;
} arena;

int arena_init(arena *a);
void *arena_block(arena *a);
void arena_free(arena *a);

void *reserve_pages(SIZE_T pages);
void *reserve_scratch(void);

#endif
