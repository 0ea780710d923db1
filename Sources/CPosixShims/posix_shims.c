#define _XOPEN_SOURCE 600
#define _GNU_SOURCE
#include "posix_shims.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

int gp_open_pty(char *name, unsigned long name_cap) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { int e = errno; close(fd); errno = e; return -1; }
    if (ptsname_r(fd, name, name_cap) != 0) { int e = errno; close(fd); errno = e; return -1; }
    return fd;
}

#include <pthread.h>
#include <signal.h>

static volatile sig_atomic_t gp_stop_requested = 0;
static pthread_t gp_stop_main_thread;

static void gp_stop_handler(int sig) {
    gp_stop_requested = 1;
    /* A signal delivered to another thread would leave the main thread's blocking call asleep. */
    if (!pthread_equal(pthread_self(), gp_stop_main_thread)) pthread_kill(gp_stop_main_thread, sig);
}

void gp_stop_signal_install(void) {
    gp_stop_main_thread = pthread_self();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = gp_stop_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: interrupted calls return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int gp_stop_signal_requested(void) { return gp_stop_requested != 0; }
