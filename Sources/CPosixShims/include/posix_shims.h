#ifndef GAITPOP_POSIX_SHIMS_H
#define GAITPOP_POSIX_SHIMS_H
/// Pseudo-terminal calls that Swift's Glibc module does not export (they need _XOPEN_SOURCE).
/// Opens a new pty controller; on success writes the device path into `name` and returns the fd, else -1 (errno set).
int gp_open_pty(char *name, unsigned long name_cap);

/// Ctrl-C and SIGTERM as a stop request, safely: the handler only sets a `volatile sig_atomic_t` (the one kind of
/// variable a signal handler may write) and forwards a signal delivered to another thread to the installing thread,
/// so a blocking open/read there returns EINTR. Installed without SA_RESTART; SIGPIPE is ignored.
void gp_stop_signal_install(void);
/// 1 once SIGINT or SIGTERM arrived.
int gp_stop_signal_requested(void);
#endif
