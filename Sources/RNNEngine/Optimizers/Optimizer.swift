/// Which optimizer, with Keras's defaults. `learningRate == nil` means the optimizer's Keras default.
public struct OptimizerConfig: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Hashable {
        case sgd, rmsprop, adam
        /// Display name as the book writes it.
        public var displayName: String {
            switch self {
            case .sgd: "SGD"
            case .rmsprop: "RMSprop"
            case .adam: "Adam"
            }
        }
        /// The options (experiment-file keys) beyond `learning_rate` and `clipnorm` that this optimizer reads; the
        /// others must keep their neutral value (0, false).
        public var specificOptions: [String] { self == .sgd ? ["momentum", "nesterov"] : [] }

        /// Every optimizer-specific option of any kind.
        public static var allSpecificOptions: [String] { ["momentum", "nesterov"] }

        /// Keras's default learning rate (a Double: it is also the value recorded in a trial's parameters).
        public var defaultLearningRate: Double { self == .sgd ? 0.01 : 0.001 }
    }

    public var kind: Kind
    public var learningRate: Float?
    /// SGD only.
    public var momentum: Float = 0
    /// SGD only.
    public var nesterov: Bool = false
    /// Per-tensor gradient norm clip (Keras `clipnorm`); nil = off.
    public var clipnorm: Float?

    public init(
        kind: Kind, learningRate: Float? = nil, momentum: Float = 0, nesterov: Bool = false, clipnorm: Float? = nil
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.clipnorm = clipnorm
    }

    public var resolvedLearningRate: Float { learningRate ?? Float(kind.defaultLearningRate) }

    public func validate() throws(ModelConfigError) {
        let lr = resolvedLearningRate
        if !(lr > 0) || !lr.isFinite { throw .outOfRange(option: "learning_rate", value: "\(lr)", allowed: "> 0") }
        if !(0..<1).contains(momentum) {
            throw .outOfRange(option: "momentum", value: "\(momentum)", allowed: "[0, 1)")
        }
        if let clipnorm, !(clipnorm > 0) {
            throw .outOfRange(option: "clipnorm", value: "\(clipnorm)", allowed: "> 0")
        }
        let given = ["momentum": momentum != 0, "nesterov": nesterov]
        for option in Kind.allSpecificOptions where given[option] == true && !kind.specificOptions.contains(option) {
            throw .outOfRange(
                option: option, value: option == "momentum" ? "\(momentum)" : "\(nesterov)",
                allowed: "only with optimizer "
                    + Kind.allCases.filter { $0.specificOptions.contains(option) }.map(
                        \.rawValue
                    ).joined(separator: ", "))
        }
    }

    /// Builds the optimizer for a parameter store.
    public func make(for store: ParameterStore) throws(ModelConfigError) -> any Optimizer {
        try validate()
        switch kind {
        case .sgd: return SGD(config: self, count: store.count)
        case .rmsprop: return RMSprop(config: self, count: store.count)
        case .adam: return Adam(config: self, count: store.count)
        }
    }
}

/// A first-order optimizer: one override point, `update`, a flat loop over the whole parameter block.
public protocol Optimizer: AnyObject {
    var config: OptimizerConfig { get }
    /// Steps taken so far (Keras `optimizer.iterations`).
    var iterations: Int { get set }
    /// Slot variables (momentum, velocity, …) by name, each the size of the parameter block, for checkpoints.
    var slots: [(name: String, buffer: FloatBuffer)] { get }
    /// Applies `gradients` to `values` at the indices `range` of the parameter block (pointers to its start).
    /// `squares`, when given, is what the optimizer squares instead of each g² (`ParameterStore.sliceSquares`).
    func update(
        values: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, squares: UnsafePointer<Float>?,
        range: Range<Int>)
}

extension Optimizer {
    /// One optimizer step on the store's current gradients: per-tensor clipnorm (as Keras), then the update rule,
    /// with an embedding's sums of squared slices where the store has them.
    public func step(_ store: ParameterStore) {
        if let clip = config.clipnorm {
            for spec in store.specs { Self.clip(spec, in: store, to: clip) }
        }
        let all = 0..<store.count
        if let sliced = store.sliceSquares {
            let range = sliced.offset..<(sliced.offset + sliced.count)
            let squares = UnsafePointer(sliced.buffer.pointer - sliced.offset)
            update(values: store.values, gradients: store.gradients, squares: squares, range: range)
            update(values: store.values, gradients: store.gradients, squares: nil, range: 0..<range.lowerBound)
            update(
                values: store.values, gradients: store.gradients, squares: nil, range: range.upperBound..<all.upperBound
            )
        } else {
            update(values: store.values, gradients: store.gradients, squares: nil, range: all)
        }
        iterations += 1
    }

    /// Keras `clip_by_norm`: g · c / max(‖g‖, c), per tensor. An embedding's gradient reaches Keras as slices: its
    /// norm is over the slices (√Σ of their squares), and the scaled slices are what the optimizer then squares.
    static func clip(_ spec: TensorSlot, in store: ParameterStore, to c: Float) {
        let g = store.gradients + spec.offset
        let count = spec.count
        var sum: Double = 0
        let sliced = store.sliceSquares.flatMap { $0.offset == spec.offset ? $0.buffer.pointer : nil }
        if let sliced {
            for i in 0..<count { sum += Double(sliced[i]) }
        } else {
            for i in 0..<count { sum += Double(g[i]) * Double(g[i]) }
        }
        let norm = Float(sum.squareRoot())
        guard norm > c else { return }
        let scale = c / norm
        for i in 0..<count { g[i] *= scale }
        if let sliced {
            let square = scale * scale
            for i in 0..<count { sliced[i] *= square }
        }
    }
}
