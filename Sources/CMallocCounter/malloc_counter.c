// Counts heap allocations so the benchmark can prove "no per-frame allocation" instead of asserting it.
// An executable's own malloc wins symbol interposition over glibc's; free() stays glibc's, which is correct because
// every block still comes from glibc's allocator (__libc_malloc and friends).
#include <stddef.h>
#include "malloc_counter.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long long calls;

void *malloc(size_t n) { __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED); return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED); return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { __atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED); return __libc_realloc(p, n); }

unsigned long long gp_malloc_calls(void) { return __atomic_load_n(&calls, __ATOMIC_RELAXED); }
