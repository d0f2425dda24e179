/// Labelled greyscale images `[count, rows, columns]` of bytes, before they are read as sequences.
struct ImageSet: Sendable {
    let rows: Int
    let columns: Int
    let pixels: [UInt8]
    let labels: [Int32]

    /// Reads an IDX image file and its IDX label file, checking they match and that labels are below `classes`.
    static func readIDX(images: String, labels: String, classes: Int = 10) throws(DataError) -> ImageSet {
        let imageFile = try IDXFile(path: images, dimensionCount: 3)
        let labelFile = try IDXFile(path: labels, dimensionCount: 1)
        guard imageFile.dimensions[0] == labelFile.dimensions[0] else {
            throw .countMismatch(
                images: images, imageCount: imageFile.dimensions[0], labels: labels,
                labelCount: labelFile.dimensions[0])
        }
        guard imageFile.dimensions[1] > 0 && imageFile.dimensions[2] > 0 else {
            throw .badIDX(path: images, reason: "images are \(imageFile.dimensions[1])×\(imageFile.dimensions[2])")
        }
        guard imageFile.dimensions[0] > 0 else { throw .emptySplit(path: images, member: nil) }
        if let bad = labelFile.bytes.firstIndex(where: { Int($0) >= classes }) {
            throw .labelOutOfRange(path: labels, index: bad, value: Int(labelFile.bytes[bad]), limit: classes)
        }
        return ImageSet(
            rows: imageFile.dimensions[1], columns: imageFile.dimensions[2], pixels: imageFile.bytes,
            labels: labelFile.bytes.map { Int32($0) })
    }

    /// The images as sequences under `view`; `columns` transposes every image once, here.
    func sequences(_ view: SequenceView) -> SequenceSet {
        switch view {
        case .rows:
            return SequenceSet(timesteps: rows, features: columns, labels: labels, storage: .bytes(pixels))
        case .pixels:
            return SequenceSet(timesteps: rows * columns, features: 1, labels: labels, storage: .bytes(pixels))
        case .columns:
            return SequenceSet(timesteps: columns, features: rows, labels: labels, storage: .bytes(transposed()))
        }
    }

    /// Every image transposed, so that timestep t holds column t.
    private func transposed() -> [UInt8] {
        guard !pixels.isEmpty else { return [] }
        let size = rows * columns
        let (rows, columns) = (self.rows, self.columns)
        return [UInt8](unsafeUninitializedCapacity: pixels.count) { out, initialized in
            pixels.withUnsafeBufferPointer { source in
                for image in 0..<labels.count {
                    let src = source.baseAddress! + image * size
                    let dst = out.baseAddress! + image * size
                    for r in 0..<rows {
                        for c in 0..<columns {
                            dst[c * rows + r] = src[r * columns + c]
                        }
                    }
                }
            }
            initialized = pixels.count
        }
    }
}
