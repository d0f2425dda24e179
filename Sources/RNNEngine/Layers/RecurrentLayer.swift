/// One recurrent layer in one direction: Keras `SimpleRNN` / `LSTM` / `GRU` with `dropout`, `recurrent_dropout`,
/// `return_sequences` and `go_backwards`. The cell does the math; this layer owns what Keras puts around it.
final class RecurrentLayer: SequenceLayer {
    let cell: any RecurrentCell
    let timesteps: Int
    let inputSize: Int
    let units: Int
    let returnsSequences: Bool
    let goBackwards: Bool
    private let inputMask: DropoutMask
    private let stateMask: DropoutMask
    /// The input as the cell sees it (masked and/or reversed) `[T, B, D]`; nil when the layer reads x directly.
    private let cellInput: FloatBuffer?
    /// dL/dh_t for t = 1…T `[T, B, H]`.
    private let dStates: FloatBuffer
    /// dL/d(cell input) `[T, B, D]` when the cell input is not x itself.
    private let dCellInput: FloatBuffer?
    private var lastInput: UnsafePointer<Float>?
    private var masksActive = false

    var outputSize: Int { units }

    init(
        cell: any RecurrentCell, timesteps: Int, maxBatch: Int, dropout: Float, recurrentDropout: Float,
        returnSequences: Bool, goBackwards: Bool
    ) {
        self.cell = cell
        self.timesteps = timesteps
        inputSize = cell.inputSize
        units = cell.units
        returnsSequences = returnSequences
        self.goBackwards = goBackwards
        inputMask = DropoutMask(rate: dropout, width: inputSize, maxBatch: maxBatch)
        stateMask = DropoutMask(rate: recurrentDropout, width: units, maxBatch: maxBatch)
        let transformed = dropout > 0 || goBackwards
        cellInput = transformed ? FloatBuffer(count: timesteps * maxBatch * inputSize) : nil
        dCellInput = transformed ? FloatBuffer(count: timesteps * maxBatch * inputSize) : nil
        dStates = FloatBuffer(count: timesteps * maxBatch * units)
    }

    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool, rng: inout RandomSource) -> UnsafePointer<Float>
    {
        masksActive = training
        let applyInputMask = training && inputMask.isActive
        if training {
            if inputMask.isActive { inputMask.draw(count: batch * inputSize, rng: &rng) }
            if stateMask.isActive { stateMask.draw(count: batch * units, rng: &rng) }
        }
        var input = x
        if let cellInput {
            let step = batch * inputSize
            let m = inputMask.buffer.pointer
            for t in 0..<timesteps {
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
        cell.forward(x: input, batch: batch, stateMask: training && stateMask.isActive ? stateMask.buffer.pointer : nil)
        let n = batch * units
        // With go_backwards the sequence stays in processing order, as in Keras.
        return UnsafePointer(returnsSequences ? cell.states + n : cell.states + timesteps * n)
    }

    func backward(_ dOutput: UnsafePointer<Float>, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        let n = batch * units
        // Returning only h_T, the earlier rows of dStates are left as they are: the cell writes them before reading.
        if returnsSequences {
            dStates.pointer.update(from: dOutput, count: timesteps * n)
        } else {
            (dStates.pointer + (timesteps - 1) * n).update(from: dOutput, count: n)
        }
        let mask: UnsafePointer<Float>? =
            masksActive && stateMask.isActive ? UnsafePointer(stateMask.buffer.pointer) : nil
        guard let dCellInput, dInput != nil else {
            cell.backward(
                x: lastInput!, dStates: dStates.pointer, lastStepOnly: !returnsSequences, batch: batch, stateMask: mask,
                dx: dInput)
            return
        }
        cell.backward(
            x: lastInput!, dStates: dStates.pointer, lastStepOnly: !returnsSequences, batch: batch, stateMask: mask,
            dx: dCellInput.pointer)
        let step = batch * inputSize
        let m = inputMask.buffer.pointer
        let applyInputMask = masksActive && inputMask.isActive
        for t in 0..<timesteps {
            let src = dCellInput.pointer + t * step
            let dst = dInput! + (goBackwards ? timesteps - 1 - t : t) * step
            if applyInputMask {
                for i in 0..<step { dst[i] = src[i] * m[i] }
            } else {
                dst.update(from: src, count: step)
            }
        }
    }
}
