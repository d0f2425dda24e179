import RNNCore

/// Adam, Keras 3 form (`keras.optimizers.Adam`, β₁ 0.9, β₂ 0.999, ε 1e-7), bias correction folded into the step:
///   t ← t + 1;  α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)
///   m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂);  θ ← θ − α·m / (√v + ε)
/// Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015), Algorithm 1 with the §2 efficiency note.
/// For an embedding, g² is Σ of each slice's square (`ParameterStore.sliceSquares`), as Keras 3 squares the
/// gradient's slices before summing them.
final class Adam: Optimizer {
    static let beta1: Double = 0.9
    static let beta2: Double = 0.999
    static let epsilon: Float = 1e-7
    let config: OptimizerConfig
    var iterations = 0
    private let m: FloatBuffer
    private let v: FloatBuffer

    init(config: OptimizerConfig, count: Int) {
        self.config = config
        m = FloatBuffer(count: count)
        v = FloatBuffer(count: count)
    }

    var slots: [(name: String, buffer: FloatBuffer)] { [("m", m), ("v", v)] }

    func update(
        values: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, squares: UnsafePointer<Float>?,
        range: Range<Int>
    ) {
        let t = Double(iterations + 1)
        let alpha = Float(
            Double(config.resolvedLearningRate) * (1 - pow(Self.beta2, t)).squareRoot() / (1 - pow(Self.beta1, t)))
        let b1 = Float(1 - Self.beta1)
        let b2 = Float(1 - Self.beta2)
        let mp = m.pointer
        let vp = v.pointer
        if let squares {
            for i in range {
                mp[i] += (gradients[i] - mp[i]) * b1
                vp[i] += (squares[i] - vp[i]) * b2
                values[i] -= alpha * mp[i] / (vp[i].squareRoot() + Self.epsilon)
            }
            return
        }
        for i in range {
            let g = gradients[i]
            mp[i] += (g - mp[i]) * b1
            vp[i] += (g * g - vp[i]) * b2
            values[i] -= alpha * mp[i] / (vp[i].squareRoot() + Self.epsilon)
        }
    }
}
