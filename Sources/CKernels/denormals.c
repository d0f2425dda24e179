// Flush-to-zero and denormals-are-zero for the calling thread (MXCSR bits 15 and 6), as TensorFlow runs its CPU ops.
// Swift has no access to MXCSR; these two calls are the whole interface.
#include <xmmintrin.h>

#include "CKernels.h"

unsigned rnn_flush_denormals_begin(void) {
    unsigned previous = _mm_getcsr();
    _mm_setcsr(previous | 0x8040u);
    return previous;
}

void rnn_floating_point_mode_restore(unsigned previous) { _mm_setcsr(previous); }
