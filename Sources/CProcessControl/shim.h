#pragma once
// prctl(2) is variadic, which Swift cannot call; these fixed-arity wrappers can be.
#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>
static inline int rnnsweep_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
#else
static inline int rnnsweep_set_parent_death_signal(int sig) { (void)sig; return 0; }
#endif
