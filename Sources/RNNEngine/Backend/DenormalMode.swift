import CKernels

/// Subnormal floats on the calling thread. On x86 an operation with a subnormal operand or result takes a microcode
/// assist of ~100 cycles; TensorFlow therefore runs its CPU ops with flush-to-zero and denormals-are-zero. A kind
/// whose training produces many subnormals opts in (`ModelArchitecture.flushesDenormals`): the MLP's first-layer
/// weights for pixels that are zero in a whole batch get exact-zero gradients, and Adam's moments for them decay
/// geometrically into the subnormal range, which made its update 60 % of an MLP training step on Fashion-MNIST.
public enum DenormalMode {
    /// Runs `body` with subnormals flushed to zero on this thread when `flush`, restoring the previous mode after.
    /// Only this thread: oneDNN's other OpenMP threads (with `--threads` > 1) keep theirs.
    public static func run<T, E: Error>(flushingDenormals flush: Bool, _ body: () throws(E) -> T) throws(E) -> T {
        guard flush else { return try body() }
        let previous = rnn_flush_denormals_begin()
        defer { rnn_floating_point_mode_restore(previous) }
        return try body()
    }
}
