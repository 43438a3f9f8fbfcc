/* FourKBLeak until it fails: reserves 4 KB regions, one VirtualAlloc at a time, until VirtualAlloc
 * returns NULL, then walks the address space with VirtualQuery and prints what it holds.
 *
 * Each 4 KB reservation starts on a 64 KB boundary (the allocation granularity), so it costs a whole
 * granule of address space: 4 KB committed, 60 KB that no later reservation can use (VMMap's
 * "Unusable"). A 32-bit process has 2 GB of user address space, room for about 32,768 granules, so it
 * runs out after about 32,000 reservations holding only about 128 MB.
 *
 * Build it for 32-bit Windows and run it (see docs/fourkbleak-32bit.md):
 *   i686-w64-mingw32-gcc -O2 -o exhaust.exe exhaust.c
 *   WINEARCH=win32 WINEPREFIX=/tmp/w32 wine exhaust.exe
 * An optional argument caps the number of reservations (0: no cap). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define GRANULE 0x10000ULL

static void *allocate_small(void)
{
    return VirtualAlloc(NULL, 0x1000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

/* What VirtualQuery says of the whole user address space: the program's reservations, and also
 * what the runtime and the system DLLs hold. */
struct space {
    unsigned long long committed;  /* pages committed, every allocation */
    unsigned long long reserved;   /* pages reserved, not committed */
    unsigned long long unusable;   /* the rest of the last granule of each allocation */
    unsigned long long free;       /* free address space outside those tails */
    unsigned long allocations;
};

static unsigned long long round_up(unsigned long long value, unsigned long long unit)
{
    return (value + unit - 1) / unit * unit;
}

/* An allocation's unusable tail is the part of its last granule after its last page. Windows shows the
 * tail as MEM_FREE. 32-bit wine carves 4 KB reservations out of a range it reserved at start-up and
 * shows the tail as a reserved region of its own, whose AllocationBase is not on a 64 KB boundary; no
 * allocation of Windows starts there, so such a region counts as the tail (or as reserved beyond it). */
static int own_allocation(const MEMORY_BASIC_INFORMATION *mbi)
{
    return ((ULONG_PTR)mbi->AllocationBase & (GRANULE - 1)) == 0;
}

static void walk(struct space *s, const SYSTEM_INFO *si)
{
    unsigned char *at = (unsigned char *)si->lpMinimumApplicationAddress;
    unsigned char *top = (unsigned char *)si->lpMaximumApplicationAddress;
    unsigned long long granule_end = 0;  /* end of the last granule of the latest allocation */
    void *base = NULL;
    MEMORY_BASIC_INFORMATION mbi;

    memset(s, 0, sizeof *s);
    while (at < top && VirtualQuery(at, &mbi, sizeof mbi) == sizeof mbi) {
        unsigned long long start = (unsigned long long)(ULONG_PTR)mbi.BaseAddress;
        unsigned long long size = mbi.RegionSize;
        if (mbi.State == MEM_FREE || !own_allocation(&mbi)) {
            unsigned long long tail = start < granule_end ? granule_end - start : 0;
            if (tail > size)
                tail = size;
            s->unusable += tail;
            if (mbi.State == MEM_FREE)
                s->free += size - tail;
            else
                s->reserved += size - tail;
        } else {
            if (mbi.AllocationBase != base) {
                base = mbi.AllocationBase;
                s->allocations++;
            }
            if (mbi.State == MEM_COMMIT)
                s->committed += size;
            else
                s->reserved += size;
            granule_end = round_up(start + size, GRANULE);
        }
        at = (unsigned char *)mbi.BaseAddress + size;
    }
}

/* How many granules a reservation at an explicit address still gets once VirtualAlloc(NULL, ...) has
 * failed. Windows hands out any free granule; wine 8's allocator asks for the size plus 64 KB of free
 * space when no address is given, so it skips single free granules that an address still reaches. */
static unsigned long granules_left(const SYSTEM_INFO *si)
{
    ULONG_PTR at = round_up((ULONG_PTR)si->lpMinimumApplicationAddress, GRANULE);
    ULONG_PTR top = (ULONG_PTR)si->lpMaximumApplicationAddress;
    unsigned long left = 0;

    for (; at < top && top - at >= GRANULE - 1; at += GRANULE)
        if (VirtualAlloc((void *)at, GRANULE, MEM_RESERVE, PAGE_NOACCESS))
            left++;
    return left;
}

int main(int argc, char **argv)
{
    unsigned long cap = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    unsigned long count = 0;
    unsigned long long block = 0;  /* committed bytes of one reservation, read back from the first */
    DWORD error = 0;
    SYSTEM_INFO si;
    struct space s;
    unsigned long long user;

    for (;;) {
        if (cap && count == cap)
            break;
        void *p = allocate_small();
        if (!p) {
            error = GetLastError();
            break;
        }
        if (count++ == 0) {
            MEMORY_BASIC_INFORMATION mbi;
            if (VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi)
                block = mbi.RegionSize;
        }
    }

    GetSystemInfo(&si);
    walk(&s, &si);
    user = (unsigned long long)(ULONG_PTR)si.lpMaximumApplicationAddress + 1 -
           (unsigned long long)(ULONG_PTR)si.lpMinimumApplicationAddress;
    printf("pointer_bits=%u\n", (unsigned)(sizeof(void *) * 8));
    printf("user_address_space=%llu\n", user);
    printf("allocation_granularity=%lu\n", (unsigned long)si.dwAllocationGranularity);
    printf("granules=%llu\n", user / si.dwAllocationGranularity);
    printf("reservations=%lu\n", count);
    printf("first_failure_error=%lu\n", (unsigned long)error);
    printf("reservation_size=%llu\n", block);
    printf("reserved_memory=%llu\n", block * count);
    printf("committed=%llu\n", s.committed);
    printf("reserved=%llu\n", s.reserved);
    printf("unusable=%llu\n", s.unusable);
    printf("free=%llu\n", s.free);
    printf("allocations=%lu\n", s.allocations);
    printf("granules_left=%lu\n", granules_left(&si));
    return 0;
}
