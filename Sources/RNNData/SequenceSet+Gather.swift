extension SequenceSet {
    /// `byteScale[b] == Float(b) / 255`, for the scalar (F = 1) path where a lookup beats a scalar division.
    static let byteScale: [Float] = (0..<256).map { Float($0) / 255 }

    /// Writes the examples at `indices` as one batch in time-major layout `[T, B, F]`, B = `indices.count`:
    /// element (t, b, f) goes to `out[(t * B + b) * F + f]`. Bytes become `Float(byte) / 255`.
    ///
    /// This runs for every training batch, so it works on raw pointers and allocates nothing.
    /// `out` must have room for `timesteps * indices.count * features` floats.
    public func gatherTimeMajor(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) {
        guard !indices.isEmpty else { return }
        for example in indices {
            precondition(example >= 0 && example < count, "batch index \(example) outside 0..<\(count)")
        }
        switch storage {
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer { source in
                if features == 1 {
                    Self.byteScale.withUnsafeBufferPointer { scale in
                        gather(source.baseAddress!, indices, out) { scale[Int($0)] }
                    }
                } else {
                    // Division, not a reciprocal multiply, so values equal Keras's `x / 255` bit for bit
                    // (`* (1 / 255)` differs in the last bit for 126 of the 256 bytes); it vectorizes.
                    gather(source.baseAddress!, indices, out) { Float($0) / 255 }
                }
            }
        case .floats(let floats):
            floats.withUnsafeBufferPointer { source in
                gather(source.baseAddress!, indices, out) { $0 }
            }
        case .tokens(let tokens):
            tokens.withUnsafeBufferPointer { source in
                gather(source.baseAddress!, indices, out) { Float($0) }
            }
        }
    }

    @inline(__always)
    private func gather<Element>(
        _ base: UnsafePointer<Element>, _ indices: UnsafeBufferPointer<Int>, _ out: UnsafeMutablePointer<Float>,
        _ convert: (Element) -> Float
    ) {
        let (batch, steps, width, exampleStride) = (indices.count, timesteps, features, stride)
        // Blocks of 16 examples: few enough source rows to stay in L1 cache and the TLB while a block is walked
        // step by step, and each step then writes one contiguous run of 16 × F floats.
        let blockSize = 16
        var blockStart = 0
        while blockStart < batch {
            let blockEnd = min(blockStart + blockSize, batch)
            if width == 1 {
                // Sequential pixels: a one-iteration inner loop over F measured 3× slower than this.
                // Tiles of 64 steps keep the 16 source lines and the 64 output rows in L1 cache.
                var tileStart = 0
                while tileStart < steps {
                    let tileEnd = min(tileStart + 64, steps)
                    for b in blockStart..<blockEnd {
                        let from = base + indices[b] * exampleStride
                        for t in tileStart..<tileEnd { out[t * batch + b] = convert(from[t]) }
                    }
                    tileStart = tileEnd
                }
            } else {
                for t in 0..<steps {
                    var to = out + (t * batch + blockStart) * width
                    for b in blockStart..<blockEnd {
                        let from = base + indices[b] * exampleStride + t * width
                        for f in 0..<width { to[f] = convert(from[f]) }
                        to += width
                    }
                }
            }
            blockStart = blockEnd
        }
    }

    /// Writes the labels of the examples at `indices` to `out[0..<indices.count]` (a classification set).
    public func labels(at indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Int32>) {
        labels.withUnsafeBufferPointer { source in
            for (b, example) in indices.enumerated() {
                precondition(example >= 0 && example < count, "batch index \(example) outside 0..<\(count)")
                out[b] = source[example]
            }
        }
    }

    /// Writes the regression targets of the examples at `indices` as `[B, width]` to `out` (a regression set).
    public func targetValues(at indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) {
        guard case .values(let values, let width) = targets else { preconditionFailure("a classification set") }
        values.withUnsafeBufferPointer { source in
            for (b, example) in indices.enumerated() {
                precondition(example >= 0 && example < count, "batch index \(example) outside 0..<\(count)")
                (out + b * width).update(from: source.baseAddress! + example * width, count: width)
            }
        }
    }

    /// Convenience for tests and tools: the batch at `indices` as a new time-major array `[T, B, F]`.
    public func gatherTimeMajor(_ indices: [Int]) -> [Float] {
        let size = timesteps * indices.count * features
        guard size > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: size) { buffer, initialized in
            indices.withUnsafeBufferPointer { gatherTimeMajor($0, into: buffer.baseAddress!) }
            initialized = size
        }
    }
}
