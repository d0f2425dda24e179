import RNNCore

/// A set of `count` sequences with their targets, each `timesteps` long with `features` values per step.
///
/// Values are stored row-major as `[count, timesteps, features]`. Image data keeps its bytes (scaled by 1/255
/// only when a batch is gathered) so that Fashion-MNIST stays at 47 MB in memory instead of 188 MB; token ids stay
/// integers until a batch is gathered.
public struct SequenceSet: Sendable, Equatable {
    /// The backing values of a `SequenceSet`, row-major `[count, timesteps, features]`.
    public enum Storage: Sendable, Equatable {
        /// Raw bytes; a batch sees `Float(byte) / 255`.
        case bytes([UInt8])
        /// Floats used as they are.
        case floats([Float])
        /// Token ids ≥ 0 (features = 1); a batch sees each id as an exact Float.
        case tokens([Int32])

        /// Number of stored values.
        public var count: Int {
            switch self {
            case .bytes(let values): values.count
            case .floats(let values): values.count
            case .tokens(let values): values.count
            }
        }
    }

    /// What each example is trained towards.
    public enum Targets: Sendable, Equatable {
        /// One class index per example, in `0..<classes` of the owning dataset.
        case classes([Int32])
        /// `width` real targets per example, row-major `[count, width]`.
        case values([Float], width: Int)

        /// Number of examples the targets are for.
        public var count: Int {
            switch self {
            case .classes(let labels): labels.count
            case .values(let values, let width): width > 0 ? values.count / width : 0
            }
        }

        /// The targets of the examples in `range`.
        func subset(_ range: Range<Int>) -> Targets {
            switch self {
            case .classes(let labels): .classes(Array(labels[range]))
            case .values(let values, let width):
                .values(Array(values[(range.lowerBound * width)..<(range.upperBound * width)]), width: width)
            }
        }
    }

    /// Number of examples (N).
    public let count: Int
    /// Sequence length (T).
    public let timesteps: Int
    /// Values per timestep (F).
    public let features: Int
    /// One class or `width` real values per example.
    public let targets: Targets
    /// The values, `count * timesteps * features` of them.
    public let storage: Storage

    /// Creates a set; `storage` must hold exactly `targets.count * timesteps * features` values.
    public init(timesteps: Int, features: Int, targets: Targets, storage: Storage) {
        precondition(timesteps > 0 && features > 0, "SequenceSet needs positive timesteps and features")
        precondition(
            storage.count == targets.count * timesteps * features,
            "SequenceSet storage holds \(storage.count) values, expected \(targets.count)×\(timesteps)×\(features)")
        if case .values(let values, let width) = targets {
            precondition(width > 0 && values.count % width == 0, "regression targets must be [count, width]")
        }
        self.count = targets.count
        self.timesteps = timesteps
        self.features = features
        self.targets = targets
        self.storage = storage
    }

    /// A classification set with one label per example.
    public init(timesteps: Int, features: Int, labels: [Int32], storage: Storage) {
        self.init(timesteps: timesteps, features: features, targets: .classes(labels), storage: storage)
    }

    /// The class labels of a classification set (a regression set has none: a caller's bug).
    public var labels: [Int32] {
        guard case .classes(let labels) = targets else { preconditionFailure("a regression set has no class labels") }
        return labels
    }

    /// Values per example (`timesteps * features`).
    public var stride: Int { timesteps * features }

    /// Whether `other` can be another split of the same data: the same steps and features, the same storage (bytes,
    /// floats or ids) and the same kind of targets (classes, or real targets of the same width). A batch buffer sized
    /// for one split then fits every other.
    public func sharesShape(with other: SequenceSet) -> Bool {
        func kind(_ storage: Storage) -> Int {
            switch storage {
            case .bytes: 0
            case .floats: 1
            case .tokens: 2
            }
        }
        func width(_ targets: Targets) -> Int {
            switch targets {
            case .classes: 0
            case .values(_, let width): width
            }
        }
        return timesteps == other.timesteps && features == other.features && kind(storage) == kind(other.storage)
            && width(targets) == width(other.targets)
    }

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
        case .tokens(let values): return Float(values[offset])
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
        case .tokens(let tokens): newStorage = .tokens(Array(tokens[values]))
        }
        return SequenceSet(
            timesteps: timesteps, features: features, targets: targets.subset(range), storage: newStorage)
    }

    /// The examples at `indices`, in that order (copied).
    public func gathering(_ indices: [Int]) -> SequenceSet {
        func pick<T>(_ all: [T], width: Int) -> [T] {
            var out: [T] = []
            out.reserveCapacity(indices.count * width)
            for i in indices { out.append(contentsOf: all[(i * width)..<((i + 1) * width)]) }
            return out
        }
        let newStorage: Storage
        switch storage {
        case .bytes(let bytes): newStorage = .bytes(pick(bytes, width: stride))
        case .floats(let floats): newStorage = .floats(pick(floats, width: stride))
        case .tokens(let tokens): newStorage = .tokens(pick(tokens, width: stride))
        }
        let newTargets: Targets
        switch targets {
        case .classes(let labels): newTargets = .classes(indices.map { labels[$0] })
        case .values(let values, let width): newTargets = .values(pick(values, width: width), width: width)
        }
        return SequenceSet(timesteps: timesteps, features: features, targets: newTargets, storage: newStorage)
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

    /// The number of real steps of each example under Keras's zero masking: for values the steps with some non-zero
    /// feature, for tokens the non-zero ids. Counts steps anywhere in the sequence (pre- or post-padding alike).
    public func realSteps() -> [Int] {
        let n = count
        func steps<T: Equatable>(_ values: [T], zero: T) -> [Int] {
            (0..<n).map { example in
                var real = 0
                for t in 0..<timesteps {
                    let base = example * stride + t * features
                    for f in 0..<features where values[base + f] != zero {
                        real += 1
                        break
                    }
                }
                return real
            }
        }
        switch storage {
        case .bytes(let values): return steps(values, zero: 0)
        case .floats(let values): return steps(values, zero: 0)
        case .tokens(let values): return steps(values, zero: 0)
        }
    }
}
