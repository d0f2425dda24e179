#pragma once
#include <errno.h>
#include <stdio.h>

// Flushes stdout; 0, or the errno of a failed write (EIO when only the stream's error flag tells of an earlier one).
// Swift 6 cannot name C's `stdout` (a mutable global) without a shim.
static inline int rnnsweep_flush_standard_output(void) {
    if (fflush(stdout) != 0) return errno != 0 ? errno : EIO;
    return ferror(stdout) ? EIO : 0;
}

#ifdef __linux__
#include <sys/ioctl.h>
#endif
// The width of the terminal on `fd` in columns, 0 when it is not one. ioctl(2) is variadic too.
static inline int rnnsweep_terminal_columns(int fd) {
    struct winsize size;
    return ioctl(fd, TIOCGWINSZ, &size) == 0 ? size.ws_col : 0;
}

// prctl(2) is variadic, which Swift cannot call; these fixed-arity wrappers can be.
#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>
static inline int rnnsweep_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
#else
static inline int rnnsweep_set_parent_death_signal(int sig) { (void)sig; return 0; }
#endif
