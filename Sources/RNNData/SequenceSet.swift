/// A set of `count` labelled sequences, each `timesteps` long with `features` values per step.
///
/// Values are stored row-major as `[count, timesteps, features]`. Image data keeps its bytes (scaled by 1/255
/// only when a batch is gathered) so that Fashion-MNIST stays at 47 MB in memory instead of 188 MB.
public struct SequenceSet: Sendable, Equatable {
    /// The backing values of a `SequenceSet`, row-major `[count, timesteps, features]`.
    public enum Storage: Sendable, Equatable {
        /// Raw bytes; a batch sees `Float(byte) / 255`.
        case bytes([UInt8])
        /// Floats used as they are.
        case floats([Float])

        /// Number of stored values.
        public var count: Int {
            switch self {
            case .bytes(let values): values.count
            case .floats(let values): values.count
            }
        }
    }

    /// Number of examples (N).
    public let count: Int
    /// Sequence length (T).
    public let timesteps: Int
    /// Values per timestep (F).
    public let features: Int
    /// One label per example, in `0..<classes` of the owning dataset.
    public let labels: [Int32]
    /// The values, `count * timesteps * features` of them.
    public let storage: Storage

    /// Creates a set; `storage` must hold exactly `labels.count * timesteps * features` values.
    public init(timesteps: Int, features: Int, labels: [Int32], storage: Storage) {
        precondition(timesteps > 0 && features > 0, "SequenceSet needs positive timesteps and features")
        precondition(
            storage.count == labels.count * timesteps * features,
            "SequenceSet storage holds \(storage.count) values, expected \(labels.count)×\(timesteps)×\(features)")
        self.count = labels.count
        self.timesteps = timesteps
        self.features = features
        self.labels = labels
        self.storage = storage
    }

    /// Values per example (`timesteps * features`).
    public var stride: Int { timesteps * features }

    /// True when the values are bytes that get scaled by 1/255.
    public var isBytes: Bool {
        if case .bytes = storage { return true }
        return false
    }

    /// The value a batch sees for `example` at timestep `t`, feature `f` (bytes already scaled). Not for hot loops.
    public func value(example: Int, t: Int, f: Int) -> Float {
        precondition(example >= 0 && example < count && t >= 0 && t < timesteps && f >= 0 && f < features)
        let offset = example * stride + t * features + f
        switch storage {
        case .bytes(let values): return Float(values[offset]) / 255
        case .floats(let values): return values[offset]
        }
    }

    /// The examples in `range` (copied).
    public func subset(_ range: Range<Int>) -> SequenceSet {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "subset \(range) outside 0..<\(count)")
        let values = (range.lowerBound * stride)..<(range.upperBound * stride)
        let newStorage: Storage
        switch storage {
        case .bytes(let bytes): newStorage = .bytes(Array(bytes[values]))
        case .floats(let floats): newStorage = .floats(Array(floats[values]))
        }
        return SequenceSet(
            timesteps: timesteps, features: features, labels: Array(labels[range]), storage: newStorage)
    }

    /// The first `n` examples (all of them when `n >= count`).
    public func prefix(_ n: Int) -> SequenceSet {
        precondition(n >= 0, "prefix length must not be negative")
        return n >= count ? self : subset(0..<n)
    }

    /// The examples from index `start` to the end.
    public func suffix(from start: Int) -> SequenceSet {
        subset(start..<count)
    }
}
