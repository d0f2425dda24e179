/// Keras `Bidirectional`: a forward copy of the layer and a `go_backwards` copy, merged by `merge_mode`.
/// With return_sequences the backward outputs are re-reversed so both directions line up in time (as Keras does).
/// With a mask, both directions see it (the backward one reversed); returning sequences, Keras sets
/// `zero_output_for_mask` on both, so the merged output at a padding step is zero whatever the merge mode, and no
/// gradient flows back from it.
final class BidirectionalLayer: SequenceLayer {
    let forwardLayer: RecurrentLayer
    let backwardLayer: RecurrentLayer
    let mergeMode: MergeMode
    let timesteps: Int
    let units: Int
    let returnsSequences: Bool
    private let output: FloatBuffer
    private let dForward: FloatBuffer
    private let dBackward: FloatBuffer
    private let dInputBackward: FloatBuffer
    private var forwardOut: UnsafePointer<Float>?
    private var backwardOut: UnsafePointer<Float>?
    private var mask: StepMask?

    var outputSize: Int { mergeMode == .concat ? 2 * units : units }

    init(forward: RecurrentLayer, backward: RecurrentLayer, mergeMode: MergeMode, maxBatch: Int) {
        precondition(backward.goBackwards && !forward.goBackwards)
        forwardLayer = forward
        backwardLayer = backward
        self.mergeMode = mergeMode
        timesteps = forward.timesteps
        units = forward.units
        returnsSequences = forward.returnsSequences
        let steps = returnsSequences ? timesteps : 1
        output = FloatBuffer(count: steps * maxBatch * (mergeMode == .concat ? 2 : 1) * units)
        dForward = FloatBuffer(count: steps * maxBatch * units)
        dBackward = FloatBuffer(count: steps * maxBatch * units)
        dInputBackward = FloatBuffer(count: timesteps * maxBatch * forward.inputSize)
    }

    /// Output step s reads backward step `aligned(s)`.
    private func aligned(_ s: Int) -> Int { returnsSequences ? timesteps - 1 - s : s }

    func forward(
        _ x: UnsafePointer<Float>, batch: Int, mask: StepMask?, training: Bool, rng: inout RandomSource
    ) -> UnsafePointer<Float> {
        let f = forwardLayer.forward(x, batch: batch, mask: mask, training: training, rng: &rng)
        let b = backwardLayer.forward(x, batch: batch, mask: mask, training: training, rng: &rng)
        forwardOut = f
        backwardOut = b
        self.mask = returnsSequences ? mask : nil
        let h = units
        let n = batch * h
        for s in 0..<(returnsSequences ? timesteps : 1) {
            let fs = f + s * n
            let bs = b + aligned(s) * n
            switch mergeMode {
            case .concat:
                let out = output.pointer + s * 2 * n
                for r in 0..<batch {
                    (out + r * 2 * h).update(from: fs + r * h, count: h)
                    (out + r * 2 * h + h).update(from: bs + r * h, count: h)
                }
            case .sum:
                let out = output.pointer + s * n
                for i in 0..<n { out[i] = fs[i] + bs[i] }
            case .ave:
                let out = output.pointer + s * n
                for i in 0..<n { out[i] = 0.5 * (fs[i] + bs[i]) }
            case .mul:
                let out = output.pointer + s * n
                for i in 0..<n { out[i] = fs[i] * bs[i] }
            }
        }
        zeroPadding(output.pointer, width: outputSize, batch: batch)
        return UnsafePointer(output.pointer)
    }

    /// Zeroes the rows of `[T, B, width]` at padding steps (returning sequences under a mask).
    private func zeroPadding(_ values: UnsafeMutablePointer<Float>, width: Int, batch: Int) {
        guard let mask else { return }
        for s in 0..<timesteps {
            for r in 0..<batch where mask.flags[s * batch + r] == 0 {
                (values + (s * batch + r) * width).update(repeating: 0, count: width)
            }
        }
    }

    func backward(_ dOutput: UnsafePointer<Float>, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        let h = units
        let n = batch * h
        for s in 0..<(returnsSequences ? timesteps : 1) {
            let df = dForward.pointer + s * n
            let db = dBackward.pointer + aligned(s) * n
            switch mergeMode {
            case .concat:
                let d = dOutput + s * 2 * n
                for r in 0..<batch {
                    (df + r * h).update(from: d + r * 2 * h, count: h)
                    (db + r * h).update(from: d + r * 2 * h + h, count: h)
                }
            case .sum, .ave:
                let d = dOutput + s * n
                let scale: Float = mergeMode == .ave ? 0.5 : 1
                for i in 0..<n {
                    df[i] = scale * d[i]
                    db[i] = scale * d[i]
                }
            case .mul:
                let d = dOutput + s * n
                let fs = forwardOut! + s * n
                let bs = backwardOut! + aligned(s) * n
                for i in 0..<n {
                    df[i] = d[i] * bs[i]
                    db[i] = d[i] * fs[i]
                }
            }
        }
        if let mask {
            // Backward step aligned(s) is original step s: zero both directions' gradients where s is padding.
            for s in 0..<timesteps {
                for r in 0..<batch where mask.flags[s * batch + r] == 0 {
                    (dForward.pointer + (s * batch + r) * h).update(repeating: 0, count: h)
                    (dBackward.pointer + (aligned(s) * batch + r) * h).update(repeating: 0, count: h)
                }
            }
        }
        forwardLayer.backward(dForward.pointer, batch: batch, dInput: dInput)
        guard let dInput else {
            backwardLayer.backward(dBackward.pointer, batch: batch, dInput: nil)
            return
        }
        backwardLayer.backward(dBackward.pointer, batch: batch, dInput: dInputBackward.pointer)
        let total = timesteps * batch * forwardLayer.inputSize
        let other = dInputBackward.pointer
        for i in 0..<total { dInput[i] += other[i] }
    }
}
