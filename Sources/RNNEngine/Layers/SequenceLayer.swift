/// A layer in the recurrent stack: maps `[T, B, D]` (time-major) to `[T, B, O]` or, for the last layer of a
/// classifier, `[B, O]`.
protocol SequenceLayer: AnyObject {
    var outputSize: Int { get }
    var returnsSequences: Bool { get }
    /// Forward pass; returns a pointer to the layer's output, valid until its next forward. `mask` is the batch's
    /// timestep mask in the input's time order, nil when no step is padding.
    func forward(
        _ x: UnsafePointer<Float>, batch: Int, mask: StepMask?, training: Bool, rng: inout RandomSource
    ) -> UnsafePointer<Float>
    /// Backward pass for the last forward. Accumulates parameter gradients; writes dL/dx into `dInput` if non-nil.
    func backward(_ dOutput: UnsafePointer<Float>, batch: Int, dInput: UnsafeMutablePointer<Float>?)
}

/// Inverted dropout masks as Keras draws them for RNNs: one `[B, width]` mask per sequence, reused at every timestep,
/// kept entries scaled by 1/(1 − rate).
struct DropoutMask {
    let rate: Float
    let buffer: FloatBuffer

    init(rate: Float, width: Int, maxBatch: Int) {
        self.rate = rate
        buffer = FloatBuffer(count: rate > 0 ? width * maxBatch : 0)
    }

    var isActive: Bool { rate > 0 }

    func draw(count: Int, rng: inout RandomSource) {
        let keep = 1 / (1 - rate)
        let m = buffer.pointer
        // The uniforms first, in one pass (the same draws as one nextFloat() per element), then a vectorized pass.
        rng.fillFloats(m, count: count)
        for i in 0..<count { m[i] = m[i] < rate ? 0 : keep }
    }
}
