/// Keras `GRU` (recurrent_activation sigmoid, activation tanh), in both of Keras's forms.
///
/// Gate order, as Keras stores it, in every `[·, 3H]` matrix: **z, r, h** (update, reset, candidate).
///   z = σ(x·W_z + h·U_z + b_z),  r = σ(x·W_r + h·U_r + b_r)
///   reset_after = true  (Keras 3 default, cuDNN form): ĥ = tanh(x·W_h + b_h + r ⊙ (h·U_h + b'_h)),
///       bias `[2, 3H]` = (input bias, recurrent bias)
///   reset_after = false (Keras 2.2, the book's):        ĥ = tanh(x·W_h + (r ⊙ h)·U_h + b_h),  bias `[3H]`
///   h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ
/// Weights: kernel W `[D, 3H]`, recurrent_kernel U `[H, 3H]`.
final class GRUCell: RecurrentCell {
    let inputSize: Int
    let units: Int
    let resetAfter: Bool
    private let params: CellParameters
    private let memory: CellMemory
    /// `[T, B, 3H]`: x-side pre-activations, then (z, r, ĥ), then in backward dL/d(x-side pre-activation).
    private let p: FloatBuffer
    /// reset_after: h·U + b' `[T, B, 3H]`, then dL/d(h-side pre-activation). Otherwise r ⊙ h_{t−1} `[T, B, H]`.
    private let q: FloatBuffer
    /// reset_after = false: dL/d(r ⊙ h_{t−1}) for one step `[B, H]`.
    private let g: FloatBuffer
    /// reset_after = false: one row of scratch for the backward pass, dL/dĥ_pre.
    private let scratch: FloatBuffer

    var states: UnsafeMutablePointer<Float> { memory.states.pointer }

    init(inputSize: Int, units: Int, resetAfter: Bool, params: CellParameters, memory: CellMemory) {
        self.inputSize = inputSize
        self.units = units
        self.resetAfter = resetAfter
        self.params = params
        self.memory = memory
        let steps = memory.timesteps * memory.maxBatch * units
        p = FloatBuffer(count: 3 * steps)
        q = FloatBuffer(count: resetAfter ? 3 * steps : steps)
        g = FloatBuffer(count: resetAfter ? 0 : memory.maxBatch * units)
        scratch = FloatBuffer(count: resetAfter ? 0 : units)
    }

    static func parameterShapes(inputSize d: Int, units h: Int, resetAfter: Bool) -> [(String, [Int])] {
        [("kernel", [d, 3 * h]), ("recurrent_kernel", [h, 3 * h]), ("bias", resetAfter ? [2, 3 * h] : [3 * h])]
    }

    func forward(x: UnsafePointer<Float>, window w: StepWindow, stateMask: UnsafePointer<Float>?) {
        guard !w.isEmpty else { return }
        let h = units
        let w3 = 3 * h
        let batch = w.batch
        let n = batch * h
        let first = w.steps.lowerBound
        SequenceGEMM.projectInputs(x: x, window: w, inputSize: inputSize, weights: params.w, gates: w3, into: p.pointer)
        let bx = params.b
        let bh = params.b + w3  // reset_after only
        for t in w.steps {
            memory.preparePrevious(t, first: first, batch: batch, stateMask: stateMask)
            // Keras 3: the recurrent-dropout mask applies where h_{t−1} enters a matmul (and r ⊙ h); the blend
            // z ⊙ h_{t−1} reads the unmasked state.
            let prev = memory.previous(t, batch: batch, masked: stateMask != nil)
            let hPrev = memory.states.pointer + t * n
            let pt = p.pointer + t * batch * w3
            let hOut = memory.states.pointer + (t + 1) * n
            if resetAfter {
                let qt = q.pointer + t * batch * w3
                if t > first {
                    GEMM.multiply(m: batch, n: w3, k: h, a: prev, lda: h, b: params.u, ldb: w3, beta: 0, c: qt, ldc: w3)
                } else {
                    qt.update(repeating: 0, count: batch * w3)
                }
                for r in 0..<batch {
                    let a = pt + r * w3
                    let hp = qt + r * w3
                    let ro = r * h
                    Elementwise.sigmoidOfSumInPlace(a, bx, hp, bh, count: 2 * h)  // z, r
                    Elementwise.addInPlace(hp + 2 * h, bh + 2 * h, count: h)  // h·U_h + b'_h, kept for backward
                    Elementwise.gruCandidateInPlace(a + 2 * h, bias: bx + 2 * h, r: a + h, hp + 2 * h, count: h)
                    Elementwise.gruBlend(hOut + ro, z: a, previous: hPrev + ro, candidate: a + 2 * h, count: h)
                }
            } else {
                let rh = q.pointer + t * n
                if t > first {
                    GEMM.multiply(
                        m: batch, n: 2 * h, k: h, a: prev, lda: h, b: params.u, ldb: w3, beta: 1, c: pt, ldc: w3)
                }
                for r in 0..<batch {
                    let a = pt + r * w3
                    Elementwise.sigmoidInPlace(a, bias: bx, count: 2 * h)  // z, r
                    Elementwise.product(rh + r * h, a + h, prev + r * h, count: h)
                }
                if t > first {
                    GEMM.multiply(
                        m: batch, n: h, k: h, a: rh, lda: h, b: params.u + 2 * h, ldb: w3, beta: 1, c: pt + 2 * h,
                        ldc: w3)
                }
                for r in 0..<batch {
                    let a = pt + r * w3
                    let ro = r * h
                    Elementwise.tanhInPlace(a + 2 * h, bias: bx + 2 * h, count: h)
                    Elementwise.gruBlend(hOut + ro, z: a, previous: hPrev + ro, candidate: a + 2 * h, count: h)
                }
            }
            memory.carryPadding(t, window: w, in: memory.states.pointer)
        }
    }

    /// dL/dh_{t−1} from the blend z ⊙ h_{t−1}: dh ⊙ z, written or added.
    @inline(__always)
    private static func blendGradient(
        _ out: UnsafeMutablePointer<Float>, _ dh: UnsafePointer<Float>, z: UnsafePointer<Float>, write: Bool,
        count h: Int
    ) {
        if write {
            Elementwise.product(out, dh, z, count: h)
        } else {
            Elementwise.addProductInPlace(out, dh, z, count: h)
        }
    }

    /// reset_after's two bias gradients: column sums of p into bx and of q into bh. p and q hold the same z and r
    /// gradients, so when bx and bh start equal there (every training step zeroes gradients first) bh's z/r sums are
    /// bx's, bit for bit, and only q's candidate third is read: 7 MB less to stream per batch at 256 units.
    private func accumulateBothBiases(
        window w: StepWindow, bx: UnsafeMutablePointer<Float>, bh: UnsafeMutablePointer<Float>
    ) {
        let h = units
        let w3 = 3 * h
        let same = (0..<2 * h).allSatisfy { bx[$0].bitPattern == bh[$0].bitPattern }
        SequenceGEMM.accumulateBias(p.pointer, window: w, ld: w3, columns: w3, into: bx)
        if same {
            bh.update(from: bx, count: 2 * h)
            SequenceGEMM.accumulateBias(q.pointer + 2 * h, window: w, ld: w3, columns: h, into: bh + 2 * h)
        } else {
            SequenceGEMM.accumulateBias(q.pointer, window: w, ld: w3, columns: w3, into: bh)
        }
    }

    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, window w: StepWindow,
        stateMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?
    ) {
        guard !w.isEmpty else { return }
        let h = units
        let w3 = 3 * h
        let batch = w.batch
        let n = batch * h
        let first = w.steps.lowerBound
        let last = w.steps.upperBound - 1
        let masked = stateMask != nil
        let carry = memory.carry.pointer
        let held = memory.paddingGradient.pointer
        let uT = memory.transposeRecurrentKernel(params.u, gates: 3)  // [3H, H]
        for t in w.steps.reversed() {
            let prev = memory.previous(t, batch: batch, masked: masked)
            let hPrev = memory.states.pointer + t * n
            // The blend's gradient d·z reaches the unmasked h_{t−1} directly (at the first step, h_{t−1} is the
            // constant zero state).
            let direct: UnsafeMutablePointer<Float> = t > first ? dStates + (t - 1) * n : memory.carry.pointer
            // The first write into `direct` when it holds nothing yet (only the last state was returned, or the
            // first step).
            let writeDirect = lastStepOnly || t == first
            let pt = p.pointer + t * batch * w3
            let dh = dStates + t * n
            if resetAfter {
                let qt = q.pointer + t * batch * w3
                // dh_t = dStates[t] + what step t + 1's recurrent product sent back (`carry`, ⊙ mask), summed
                // on the fly. A padding row passes that whole dh_t to h_{t−1}: it is held, and the step sees zeros.
                let padded = w.hasPadding(t)
                if padded {
                    for r in 0..<batch where w.isPadding(t, r) {
                        let d = dh + r * h
                        let c = carry + r * h
                        let kept = held + r * h
                        for j in 0..<h {
                            kept[j] = t < last ? d[j] + (masked ? c[j] * stateMask![r * h + j] : c[j]) : d[j]
                            d[j] = 0
                            c[j] = 0
                        }
                    }
                }
                // At the first step the blend's gradient would reach the constant initial state: not written.
                Elementwise.gruBackwardStep(
                    p: pt, q: qt, d: dh, carry: t < last ? carry : nil, mask: stateMask, previous: hPrev,
                    direct: t > first ? direct : nil, addDirect: !writeDirect, batch: batch, units: h)
                if t > first {
                    GEMM.multiply(m: batch, n: h, k: w3, a: qt, lda: w3, b: uT, ldb: h, beta: 0, c: carry, ldc: h)
                    if padded { memory.releasePadding(t, window: w, into: direct) }
                }
            } else {
                let padded = memory.holdPadding(t, window: w, dh)
                let gt = g.pointer
                let dCand = scratch.pointer
                for r in 0..<batch {
                    let a = pt + r * w3
                    let ro = r * h
                    Self.blendGradient(direct + ro, dh + ro, z: a, write: writeDirect, count: h)
                    Elementwise.gruCandidateGradient(dCand, dh: dh + ro, z: a, candidate: a + 2 * h, count: h)
                    Elementwise.gruUpdateGradientInPlace(
                        a, dh: dh + ro, previous: hPrev + ro, candidate: a + 2 * h, count: h)
                    (a + 2 * h).update(from: dCand, count: h)
                }
                // g = dL/d(r ⊙ h_{t−1}) = dĥ_pre · U_hᵀ
                GEMM.multiply(
                    m: batch, n: h, k: h, a: pt + 2 * h, lda: w3, b: uT + 2 * h * h, ldb: h, beta: 0, c: gt, ldc: h)
                for r in 0..<batch {
                    let a = pt + r * w3
                    let ro = r * h
                    Elementwise.product(carry + ro, gt + ro, a + h, count: h)
                    Elementwise.sigmoidGradientInPlace(a + h, gt + ro, prev + ro, count: h)  // r
                }
                if t > first {
                    GEMM.multiply(m: batch, n: h, k: 2 * h, a: pt, lda: w3, b: uT, ldb: h, beta: 1, c: carry, ldc: h)
                    memory.passCarry(to: t, dStates: dStates, batch: batch, stateMask: stateMask)
                    if padded { memory.releasePadding(t, window: w, into: dStates + (t - 1) * n) }
                }
            }
        }
        let previous = memory.previous(0, batch: batch, masked: masked)
        if resetAfter {
            accumulateBothBiases(window: w, bx: params.dB, bh: params.dB + w3)
            SequenceGEMM.recurrentGradient(
                previous: previous, window: w, units: h, dP: q.pointer, ldP: w3, columns: w3, dU: params.dU, ldU: w3)
        } else {
            SequenceGEMM.accumulateBias(p.pointer, window: w, ld: w3, columns: w3, into: params.dB)
            SequenceGEMM.recurrentGradient(
                previous: previous, window: w, units: h, dP: p.pointer, ldP: w3, columns: 2 * h, dU: params.dU,
                ldU: w3)
            SequenceGEMM.recurrentGradientAllSteps(
                previous: q.pointer, window: w, units: h, dP: p.pointer + 2 * h, ldP: w3, columns: h,
                dU: params.dU + 2 * h, ldU: w3)
        }
        SequenceGEMM.inputGradients(
            x: x, window: w, inputSize: inputSize, dP: p.pointer, gates: w3, weights: params.w, dW: params.dW, dx: dx)
    }
}
