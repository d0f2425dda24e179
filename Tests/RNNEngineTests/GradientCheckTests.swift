import Testing

@testable import RNNEngine

/// Finite-difference checks of dL/dθ for every parameter tensor and dL/dx, against the analytic BPTT gradients.
///
/// Central differences in float32 with ε = 4e-3, loss summed in double. Tolerance: for every tensor the normwise
/// relative error ‖g_fd − g‖ / (‖g_fd‖ + ‖g‖) must be ≤ 2e-3 (the worst case measured is 2.9e-4, LSTM recurrent
/// kernels), and every element must satisfy |g_fd − g| ≤ 2e-4 + 1e-2·|g|. A 10 % error in one LSTM gate's gradient
/// measured 1.0e-2–2.0e-2, so this tolerance catches it five times over.
@Suite("Gradient checks")
struct GradientCheckTests {
    static let epsilon: Float = 4e-3
    static let normTolerance = 2e-3

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var config: RecurrentConfig
        var description: String { name }
    }

    static func config(
        _ cell: CellKind, layers: Int = 1, bidirectional: Bool = false, merge: MergeMode = .concat,
        resetAfter: Bool = true, goBackwards: Bool = false, dropout: Float = 0, recurrentDropout: Float = 0
    ) -> RecurrentConfig {
        RecurrentConfig(
            cell: cell, units: 5, layers: layers, bidirectional: bidirectional, mergeMode: merge,
            resetAfter: resetAfter, dropout: dropout, recurrentDropout: recurrentDropout, goBackwards: goBackwards,
            timesteps: 4, features: 3, outputs: 3)
    }

    static let cases: [Case] = {
        var all: [Case] = []
        for cell in CellKind.allCases {
            all.append(Case(name: "\(cell.rawValue)", config: config(cell)))
            all.append(Case(name: "\(cell.rawValue) stacked×2 (return_sequences)", config: config(cell, layers: 2)))
            all.append(
                Case(name: "\(cell.rawValue) go_backwards stacked", config: config(cell, layers: 2, goBackwards: true)))
            for merge in MergeMode.allCases {
                all.append(
                    Case(
                        name: "\(cell.rawValue) bidirectional \(merge)",
                        config: config(cell, bidirectional: true, merge: merge)))
            }
            all.append(
                Case(
                    name: "\(cell.rawValue) dropout+recurrent_dropout",
                    config: config(cell, layers: 2, dropout: 0.3, recurrentDropout: 0.3)))
        }
        all.append(Case(name: "gru reset_after=false", config: config(.gru, resetAfter: false)))
        all.append(Case(name: "gru reset_after=false stacked", config: config(.gru, layers: 2, resetAfter: false)))
        all.append(
            Case(
                name: "gru reset_after=false bidirectional+dropout",
                config: config(.gru, bidirectional: true, resetAfter: false, dropout: 0.2, recurrentDropout: 0.2)))
        return all
    }()

    @Test("BPTT gradients match finite differences", arguments: cases)
    func gradients(_ c: Case) throws {
        let model = try RecurrentNetwork(config: c.config, maxBatch: 3, seed: 7)
        Self.check(model, timesteps: c.config.timesteps, features: c.config.features, name: c.name)
    }

    /// Compares every parameter's and the input's analytic gradient with central differences, on a batch of 3
    /// Gaussian sequences; dropout masks (if any) are drawn from the same fixed generator at every evaluation.
    static func check(_ model: any SequenceModel, timesteps t: Int, features d: Int, name: String) {
        let batch = 3
        var dataRNG = RandomSource(seed: 99)
        var x = (0..<(t * batch * d)).map { _ in Float(dataRNG.nextGaussian()) }
        let labels: [Int32] = [0, 2, 1]
        let maskSeed = RandomSource(seed: 5)

        func loss() -> Double {
            var rng = maskSeed  // the same dropout masks at every evaluation: the loss is a fixed function of θ
            return x.withUnsafeBufferPointer { xp in
                labels.withUnsafeBufferPointer { lp in
                    model.trainStep(x: xp.baseAddress!, labels: lp.baseAddress!, batch: batch, rng: &rng).meanLoss
                }
            }
        }

        var rng = maskSeed
        var dx = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                dx.withUnsafeMutableBufferPointer { dxp in
                    _ = model.trainStep(
                        x: xp.baseAddress!, labels: lp.baseAddress!, batch: batch, rng: &rng,
                        inputGradient: dxp.baseAddress!)
                }
            }
        }
        let analytic = model.parameters.gradientArray
        let values = model.parameters.values
        let eps = epsilon
        for spec in model.parameters.specs {
            var numeric: [Double] = []
            for i in spec.offset..<(spec.offset + spec.count) {
                let saved = values[i]
                values[i] = saved + eps
                let plus = loss()
                values[i] = saved - eps
                let minus = loss()
                values[i] = saved
                numeric.append((plus - minus) / Double(2 * eps))
            }
            let exact = analytic[spec.offset..<(spec.offset + spec.count)].map(Double.init)
            expectClose(numeric, exact, what: "\(name): \(spec.name)")
        }
        var numericX: [Double] = []
        for i in 0..<x.count {
            let saved = x[i]
            x[i] = saved + eps
            let plus = loss()
            x[i] = saved - eps
            let minus = loss()
            x[i] = saved
            numericX.append((plus - minus) / Double(2 * eps))
        }
        expectClose(numericX, dx.map(Double.init), what: "\(name): input")
    }

    static func expectClose(_ numeric: [Double], _ exact: [Double], what: String) {
        var diff = 0.0
        var n1 = 0.0
        var n2 = 0.0
        var worst = 0.0
        for (a, b) in zip(numeric, exact) {
            diff += (a - b) * (a - b)
            n1 += a * a
            n2 += b * b
            worst = max(worst, abs(a - b) - (2e-4 + 1e-2 * abs(b)))
        }
        let relative = diff.squareRoot() / max(n1.squareRoot() + n2.squareRoot(), 1e-12)
        #expect(relative <= normTolerance, "\(what): normwise relative error \(relative)")
        #expect(worst <= 0, "\(what): an element is off by \(worst) beyond the elementwise tolerance")
        #expect(n2 > 0, "\(what): gradient is identically zero")
    }
}
