/// Stochastic gradient descent, Keras 3 form (`keras.optimizers.SGD`).
///   momentum = 0:  θ ← θ − lr·g
///   otherwise:     m ← μ·m − lr·g;  θ ← θ + m                (nesterov: θ ← θ + μ·m − lr·g)
/// Nesterov form after Sutskever et al., "On the importance of initialization and momentum in deep learning" (2013).
final class SGD: Optimizer {
    let config: OptimizerConfig
    var iterations = 0
    private let momentum: FloatBuffer

    init(config: OptimizerConfig, count: Int) {
        self.config = config
        momentum = FloatBuffer(count: config.momentum > 0 ? count : 0)
    }

    var slots: [(name: String, buffer: FloatBuffer)] { config.momentum > 0 ? [("momentum", momentum)] : [] }

    /// Linear in the gradient: an embedding's summed slices are all it needs (`squares` is not used).
    func update(
        values: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, squares: UnsafePointer<Float>?,
        range: Range<Int>
    ) {
        let lr = config.resolvedLearningRate
        let mu = config.momentum
        if mu == 0 {
            for i in range { values[i] -= lr * gradients[i] }
            return
        }
        let m = momentum.pointer
        if config.nesterov {
            for i in range {
                m[i] = mu * m[i] - lr * gradients[i]
                values[i] += mu * m[i] - lr * gradients[i]
            }
        } else {
            for i in range {
                m[i] = mu * m[i] - lr * gradients[i]
                values[i] += m[i]
            }
        }
    }
}
