/// Keras `Embedding(V, E)`: token ids → rows of the `[V, E]` weight `embedding/embeddings`.
///
/// Shapes: T timesteps, B batch, V vocabulary, E embedding width. The ids arrive as the model's input, time-major
/// `[T, B]` Floats holding integers exactly (the data layer refuses vocabularies above 2²⁴). The gradient is dense, as
/// Keras 3 applies it: every row a batch did not touch gets a zero gradient, and the optimizer updates it like any
/// other weight (momentum and Adam moments decay, weights move by them); what Adam and RMSprop square is each
/// gathered slice, not the summed row (`ParameterStore.sliceSquares`).
final class EmbeddingLayer {
    let timesteps: Int
    let vocabulary: Int
    let width: Int
    private let store: ParameterStore
    private let offset: Int
    /// The embedded sequence `[T, B, E]`.
    private let output: FloatBuffer
    private var lastIDs: UnsafePointer<Float>?

    init(timesteps: Int, vocabulary: Int, width: Int, store: ParameterStore, offset: Int, maxBatch: Int) {
        self.timesteps = timesteps
        self.vocabulary = vocabulary
        self.width = width
        self.store = store
        self.offset = offset
        output = FloatBuffer(count: timesteps * maxBatch * width)
    }

    func forward(_ ids: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        lastIDs = ids
        let table = store.values + offset
        for i in 0..<(timesteps * batch) {
            (output.pointer + i * width).update(from: table + row(ids[i]) * width, count: width)
        }
        return UnsafePointer(output.pointer)
    }

    /// dE[id] += dL/d(output) for every step, and the slice's square into the store's `sliceSquares`.
    func backward(_ dOutput: UnsafePointer<Float>, batch: Int) {
        let gradients = store.gradients + offset
        let squares = store.sliceSquares!.buffer.pointer
        for i in 0..<(timesteps * batch) {
            let r = row(lastIDs![i]) * width
            let src = dOutput + i * width
            for j in 0..<width {
                gradients[r + j] += src[j]
                squares[r + j] += src[j] * src[j]
            }
        }
    }

    @inline(__always)
    private func row(_ id: Float) -> Int {
        let r = Int(id)
        precondition(
            r >= 0 && r < vocabulary && Float(r) == id, "token id \(id) outside the vocabulary 0..<\(vocabulary)")
        return r
    }
}
