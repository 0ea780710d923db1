#ifndef GAITPOP_POSIX_SHIMS_H
#define GAITPOP_POSIX_SHIMS_H
/// Pseudo-terminal calls that Swift's Glibc module does not export (they need _XOPEN_SOURCE).
/// Opens a new pty controller; on success writes the device path into `name` and returns the fd, else -1 (errno set).
int gp_open_pty(char *name, unsigned long name_cap);
#endif
