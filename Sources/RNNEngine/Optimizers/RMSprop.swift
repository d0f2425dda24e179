/// RMSprop, Keras 3 form (`keras.optimizers.RMSprop`, rho 0.9, epsilon 1e-7, not centered):
///   v ← ρ·v + (1 − ρ)·g²;   θ ← θ − lr·g / √(v + ε)
/// Tieleman & Hinton, Lecture 6.5, "rmsprop" (COURSERA: Neural Networks for Machine Learning, 2012).
final class RMSprop: Optimizer {
    static let rho: Float = 0.9
    static let epsilon: Float = 1e-7
    let config: OptimizerConfig
    var iterations = 0
    private let velocity: FloatBuffer

    init(config: OptimizerConfig, count: Int) {
        self.config = config
        velocity = FloatBuffer(count: count)
    }

    var slots: [(name: String, buffer: FloatBuffer)] { [("velocity", velocity)] }

    func update(
        values: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, squares: UnsafePointer<Float>?,
        range: Range<Int>
    ) {
        let lr = config.resolvedLearningRate
        let rho = Self.rho
        let v = velocity.pointer
        if let squares {
            for i in range {
                v[i] = rho * v[i] + (1 - rho) * squares[i]
                values[i] -= lr * gradients[i] / (v[i] + Self.epsilon).squareRoot()
            }
            return
        }
        for i in range {
            let g = gradients[i]
            v[i] = rho * v[i] + (1 - rho) * g * g
            values[i] -= lr * g / (v[i] + Self.epsilon).squareRoot()
        }
    }
}
