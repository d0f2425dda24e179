/// One recurrent layer in one direction: Keras `SimpleRNN` / `LSTM` / `GRU` with `dropout`, `recurrent_dropout`,
/// `return_sequences`, `go_backwards` and a timestep mask. The cell does the math; this layer owns what Keras puts
/// around it.
///
/// Masking (Keras 3's `rnn()` with `zero_output_for_mask = False`): a padding step keeps the previous state, and its
/// output is the previous output — zero before the sequence's first real step. With `skipPadding` the cell computes
/// only the batch's steps that some sequence has data at (`StepMask.data`): the others change nothing, so the layer
/// writes their outputs itself (zeros before, the last state after) and passes their gradients straight on.
final class RecurrentLayer: SequenceLayer {
    let cell: any RecurrentCell
    let timesteps: Int
    let inputSize: Int
    let units: Int
    let returnsSequences: Bool
    let goBackwards: Bool
    let skipsPadding: Bool
    private let inputMask: DropoutMask
    private let stateMask: DropoutMask
    /// The input as the cell sees it (masked and/or reversed) `[T, B, D]`; nil when the layer reads x directly.
    private let cellInput: FloatBuffer?
    /// dL/dh_t for t = 1…T `[T, B, H]`.
    private let dStates: FloatBuffer
    /// dL/d(cell input) `[T, B, D]` when the cell input is not x itself.
    private let dCellInput: FloatBuffer?
    /// The step mask in this layer's processing order (reversed for `go_backwards`).
    private let reversedMask: StepMask?
    private var lastInput: UnsafePointer<Float>?
    private var masksActive = false
    private var window = StepWindow.all(0, batch: 0)

    var outputSize: Int { units }

    init(
        cell: any RecurrentCell, timesteps: Int, maxBatch: Int, dropout: Float, recurrentDropout: Float,
        returnSequences: Bool, goBackwards: Bool, masked: Bool, skipPadding: Bool
    ) {
        self.cell = cell
        self.timesteps = timesteps
        inputSize = cell.inputSize
        units = cell.units
        returnsSequences = returnSequences
        self.goBackwards = goBackwards
        skipsPadding = skipPadding
        inputMask = DropoutMask(rate: dropout, width: inputSize, maxBatch: maxBatch)
        stateMask = DropoutMask(rate: recurrentDropout, width: units, maxBatch: maxBatch)
        let transformed = dropout > 0 || goBackwards
        cellInput = transformed ? FloatBuffer(count: timesteps * maxBatch * inputSize) : nil
        dCellInput = transformed ? FloatBuffer(count: timesteps * maxBatch * inputSize) : nil
        dStates = FloatBuffer(count: timesteps * maxBatch * units)
        reversedMask = masked && goBackwards ? StepMask(timesteps: timesteps, maxBatch: maxBatch) : nil
    }

    /// The window this layer computes for the given mask (in the input's time order).
    private func makeWindow(_ mask: StepMask?, batch: Int) -> StepWindow {
        guard let mask else { return .all(timesteps, batch: batch) }
        guard let reversedMask else { return mask.window(skipPadding: skipsPadding) }
        reversedMask.reverse(mask)
        return reversedMask.window(skipPadding: skipsPadding)
    }

    func forward(
        _ x: UnsafePointer<Float>, batch: Int, mask: StepMask?, training: Bool, rng: inout RandomSource
    ) -> UnsafePointer<Float> {
        masksActive = training
        let applyInputMask = training && inputMask.isActive
        if training {
            if inputMask.isActive { inputMask.draw(count: batch * inputSize, rng: &rng) }
            if stateMask.isActive { stateMask.draw(count: batch * units, rng: &rng) }
        }
        window = makeWindow(mask, batch: batch)
        var input = x
        if let cellInput {
            let step = batch * inputSize
            let m = inputMask.buffer.pointer
            for t in window.steps {
                let src = x + (goBackwards ? timesteps - 1 - t : t) * step
                let dst = cellInput.pointer + t * step
                if applyInputMask {
                    for i in 0..<step { dst[i] = src[i] * m[i] }
                } else {
                    dst.update(from: src, count: step)
                }
            }
            input = UnsafePointer(cellInput.pointer)
        }
        lastInput = input
        cell.forward(
            x: input, window: window, stateMask: training && stateMask.isActive ? stateMask.buffer.pointer : nil)
        let n = batch * units
        let states = cell.states
        // The steps the cell did not compute: zero before its window (the initial state), the window's last state
        // after it. With go_backwards the sequence stays in processing order, as in Keras.
        let end = window.steps.isEmpty ? 0 : window.steps.upperBound
        let start = window.steps.isEmpty ? timesteps : window.steps.lowerBound
        if window.steps.isEmpty { states.update(repeating: 0, count: n) }
        guard returnsSequences else { return UnsafePointer(states + end * n) }
        for t in 0..<start { (states + (t + 1) * n).update(repeating: 0, count: n) }
        for t in end..<timesteps { (states + (t + 1) * n).update(from: states + end * n, count: n) }
        return UnsafePointer(states + n)
    }

    func backward(_ dOutput: UnsafePointer<Float>, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        let n = batch * units
        let steps = window.steps
        if !steps.isEmpty {
            let last = steps.upperBound - 1
            // Returning only h_T, the earlier rows of dStates are left as they are: the cell writes them before reading.
            if returnsSequences {
                (dStates.pointer + steps.lowerBound * n).update(
                    from: dOutput + steps.lowerBound * n, count: steps.count * n)
                // Outputs after the window are copies of its last state: their gradients reach it, summed from the
                // end as passing them back one step at a time would (the same bits as not skipping).
                if steps.upperBound < timesteps {
                    let d = dStates.pointer + last * n
                    for i in 0..<n {
                        var sum = dOutput[(timesteps - 1) * n + i]
                        var t = timesteps - 2
                        while t > last {
                            sum = dOutput[t * n + i] + sum
                            t -= 1
                        }
                        d[i] = d[i] + sum
                    }
                }
            } else {
                (dStates.pointer + last * n).update(from: dOutput, count: n)
            }
        }
        let mask: UnsafePointer<Float>? =
            masksActive && stateMask.isActive ? UnsafePointer(stateMask.buffer.pointer) : nil
        let step = batch * inputSize
        guard let dCellInput, let dInput else {
            cell.backward(
                x: lastInput!, dStates: dStates.pointer, lastStepOnly: !returnsSequences, window: window,
                stateMask: mask, dx: dInput)
            if let dInput { zeroOutsideWindow(dInput, step: step) }
            return
        }
        cell.backward(
            x: lastInput!, dStates: dStates.pointer, lastStepOnly: !returnsSequences, window: window, stateMask: mask,
            dx: dCellInput.pointer)
        zeroOutsideWindow(dCellInput.pointer, step: step)
        let m = inputMask.buffer.pointer
        let applyInputMask = masksActive && inputMask.isActive
        for t in 0..<timesteps {
            let src = dCellInput.pointer + t * step
            let dst = dInput + (goBackwards ? timesteps - 1 - t : t) * step
            if applyInputMask {
                for i in 0..<step { dst[i] = src[i] * m[i] }
            } else {
                dst.update(from: src, count: step)
            }
        }
    }

    /// dL/dx is zero at the steps the cell did not compute: every sequence is padding there.
    private func zeroOutsideWindow(_ dx: UnsafeMutablePointer<Float>, step: Int) {
        let steps = window.steps
        if steps.isEmpty { return dx.update(repeating: 0, count: timesteps * step) }
        dx.update(repeating: 0, count: steps.lowerBound * step)
        (dx + steps.upperBound * step).update(repeating: 0, count: (timesteps - steps.upperBound) * step)
    }
}
