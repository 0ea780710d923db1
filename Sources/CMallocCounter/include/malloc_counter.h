#ifndef GAITPOP_MALLOC_COUNTER_H
#define GAITPOP_MALLOC_COUNTER_H
/// Number of malloc/calloc/realloc calls in this process so far. Linked only into the benchmark executable,
/// whose own definitions of those functions count each call and forward to glibc's.
unsigned long long gp_malloc_calls(void);
#endif
