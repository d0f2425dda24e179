/// Where one named weight tensor lives inside the flat parameter block.
public struct TensorSlot: Sendable, Hashable, Codable {
    /// Keras-like name, e.g. `simple_rnn/kernel`, `bidirectional/backward_lstm/recurrent_kernel`, `dense/bias`.
    public let name: String
    /// Shape as Keras stores it (row-major), e.g. `[28, 256]` for a SimpleRNN kernel.
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// All parameters of a model in ONE contiguous block, and all gradients in another of the same layout, so an
/// optimizer step is a single flat loop and a checkpoint is a handful of slices. Tensors are laid out in Keras's
/// `model.trainable_weights` order.
public final class ParameterStore {
    public private(set) var specs: [TensorSlot] = []
    public private(set) var count = 0
    private var valueBuffer = FloatBuffer(count: 0)
    private var gradientBuffer = FloatBuffer(count: 0)
    private var sealed = false
    /// For the one tensor whose gradient Keras receives as slices (an `Embedding`'s: one `[E]` slice per gathered
    /// id), the sum over the batch of each slice's elementwise square. Keras's Adam and RMSprop square the slices
    /// before they are summed into rows, so a row gathered n times gets Σᵢ gᵢ², not (Σᵢ gᵢ)²; this is that.
    public private(set) var sliceSquares: (offset: Int, count: Int, buffer: FloatBuffer)?

    public init() {}

    /// Reserves a tensor; returns its offset. Only valid before `seal()`.
    func reserve(name: String, shape: [Int]) -> Int {
        precondition(!sealed, "parameters are reserved while the model is built")
        let spec = TensorSlot(name: name, shape: shape, offset: count)
        specs.append(spec)
        count += spec.count
        return spec.offset
    }

    /// Allocates the two blocks once the model's shape is known.
    func seal() {
        precondition(!sealed)
        valueBuffer = FloatBuffer(count: count)
        gradientBuffer = FloatBuffer(count: count)
        sealed = true
    }

    public var values: UnsafeMutablePointer<Float> { valueBuffer.pointer }
    public var gradients: UnsafeMutablePointer<Float> { gradientBuffer.pointer }
    public var valueArray: [Float] { Array(valueBuffer.buffer) }
    public var gradientArray: [Float] { Array(gradientBuffer.buffer) }

    public func spec(named name: String) -> TensorSlot? { specs.first { $0.name == name } }

    public func values(of spec: TensorSlot) -> [Float] {
        Array(UnsafeBufferPointer(start: values + spec.offset, count: spec.count))
    }

    public func gradients(of spec: TensorSlot) -> [Float] {
        Array(UnsafeBufferPointer(start: gradients + spec.offset, count: spec.count))
    }

    /// Overwrites every parameter (e.g. from a checkpoint or a reference test).
    public func load(_ flat: [Float]) {
        precondition(flat.count == count, "expected \(count) parameters, got \(flat.count)")
        flat.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
    }

    public func zeroGradients() {
        gradientBuffer.zero()
        sliceSquares?.buffer.zero()
    }

    /// Keeps `sliceSquares` for the tensor at `offset` (after `seal()`).
    func trackSliceSquares(of spec: TensorSlot) {
        precondition(sealed && sliceSquares == nil, "one sliced tensor, once the store is sealed")
        sliceSquares = (spec.offset, spec.count, FloatBuffer(count: spec.count))
    }
}
