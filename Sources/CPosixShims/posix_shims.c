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
