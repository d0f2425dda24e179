#pragma once
#include <errno.h>
#include <stdio.h>

// Flushes stdout; 0, or the errno of a failed write (EIO when only the stream's error flag tells of an earlier one).
// Swift 6 cannot name C's `stdout` (a mutable global) without a shim.
static inline int rnnsweep_flush_standard_output(void) {
    if (fflush(stdout) != 0) return errno != 0 ? errno : EIO;
    return ferror(stdout) ? EIO : 0;
}

// `x` with `digits` decimals ("%.*f") into `buffer`; the length it needed, as snprintf(3) returns it. snprintf is
// variadic, and Swift's `withVaList` cast each argument dynamically: a visible cost on a line logged per epoch.
static inline int rnnsweep_format_fixed(char *buffer, size_t size, double x, int digits) {
    return snprintf(buffer, size, "%.*f", digits, x);
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

#include <spawn.h>
#include <unistd.h>
// Starts `path` (argv, envp) as Foundation's Process does, without its crash (swift-corelibs-foundation #5472: it
// lists /proc/self/fd with a 256-byte copy of each entry's name, which can read past the end of readdir's buffer):
// in a process group of its own; stdin, stdout and stderr from `in`, `out` and `err` (-1: inherited); every other
// descriptor closed in the child (glibc's closefrom action: close_range, no listing); the signal mask and
// dispositions inherited; in `directory` when not NULL. Returns 0, or the errno of the failure (an executable that
// cannot be run included: glibc reports exec's error).
static inline int rnnsweep_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                 const char *directory, int in, int out, int err) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return result;
    }
    const int from[3] = {in, out, err};
    for (int target = 0; target < 3 && result == 0; target++) {
        if (from[target] >= 0) result = posix_spawn_file_actions_adddup2(&actions, from[target], target);
    }
    short flags = POSIX_SPAWN_SETPGROUP;
#ifdef __APPLE__
    flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#else
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
    if (result == 0 && directory != NULL) result = posix_spawn_file_actions_addchdir_np(&actions, directory);
    if (result == 0) result = posix_spawnattr_setpgroup(&attributes, 0);
    if (result == 0) result = posix_spawnattr_setflags(&attributes, flags);
    if (result == 0) result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result;
}
