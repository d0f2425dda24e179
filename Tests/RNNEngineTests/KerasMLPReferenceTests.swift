import Foundation
import Testing

@testable import RNNEngine

/// The MLP against Keras 3: forward probabilities, loss, every weight gradient, the input gradient and three Adam
/// training steps of the book's MLP shape with fixed weights (Scripts/reference/keras_reference.py, float64).
/// Tolerances: values and gradients as for the recurrent cases, |ours − keras| ≤ 2e-6 + 1e-4·|keras|; weights
/// after the training steps |ours − keras| ≤ 1e-6 (float32 weights near 0.5 carry ≈ 3e-8 of rounding, and an
/// Adam step moves each weight by at most the learning rate, 1e-2).
@Suite("Keras reference values: MLP")
struct KerasMLPReferenceTests {
    static func model(for c: KerasMLPReference.Case) throws -> MLPNetwork {
        let config = MLPConfig(
            units: c.units, layers: c.layers, dropout: Float(c.dropout), timesteps: c.T, features: c.D, outputs: c.C)
        let model = try MLPNetwork(config: config, maxBatch: c.B, seed: 1)
        model.parameters.load(c.weights.flatMap { $0.values.map(Float.init) })
        return model
    }

    /// Keras's x is `[B, T, D]`; the engine reads time-major `[T, B, D]`.
    static func timeMajor(_ c: KerasMLPReference.Case) -> [Float] {
        var x = [Float](repeating: 0, count: c.x.count)
        for b in 0..<c.B {
            for t in 0..<c.T {
                for d in 0..<c.D { x[(t * c.B + b) * c.D + d] = c.x[(b * c.T + t) * c.D + d] }
            }
        }
        return x
    }

    /// One training-mode step with dropout switched off (Keras's values were taken with training=False).
    static func step(_ model: MLPNetwork, _ c: KerasMLPReference.Case, dx: inout [Float]) -> BatchResult {
        let x = timeMajor(c)
        let labels = c.labels.map(Int32.init)
        var rng = RandomSource(seed: 1)
        return x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                dx.withUnsafeMutableBufferPointer {
                    model.trainStep(
                        x: xp.baseAddress!, labels: lp.baseAddress!, batch: c.B, training: false, rng: &rng,
                        inputGradient: $0.baseAddress!)
                }
            }
        }
    }

    @Test(arguments: KerasMLPReference.all.map(\.name))
    func matchesKeras(name: String) throws {
        let c = try #require(KerasMLPReference.all.first { $0.name == name })
        let model = try Self.model(for: c)
        // Same tensors, names and shapes as Keras's trainable_weights (`sequential/dense/kernel` → `dense/kernel`).
        #expect(model.parameters.specs.map(\.name) == c.weights.map { String($0.name.dropFirst("sequential/".count)) })
        #expect(model.parameters.specs.map(\.shape) == c.weights.map(\.shape))

        let x = Self.timeMajor(c)
        let labels = c.labels.map(Int32.init)
        let evaluation = x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { model.evaluate(x: xp.baseAddress!, labels: $0.baseAddress!, batch: c.B) }
        }
        for (ours, keras) in zip(model.predictions, c.probabilities) {
            #expect(KerasReferenceTests.close(Double(ours), keras), "\(name): probability \(ours) vs \(keras)")
        }
        #expect(KerasReferenceTests.close(evaluation.meanLoss, c.loss), "\(name): loss \(evaluation.meanLoss)")

        var dx = [Float](repeating: 0, count: x.count)
        let step = Self.step(model, c, dx: &dx)
        #expect(KerasReferenceTests.close(step.meanLoss, c.loss))
        for (spec, keras) in zip(model.parameters.specs, c.weightGradients) {
            let ours = model.parameters.gradients(of: spec)
            let bad = zip(ours, keras.values).filter { !KerasReferenceTests.close(Double($0), $1) }
            #expect(bad.isEmpty, "\(name): \(spec.name) differs from \(keras.name): \(bad.prefix(3))")
        }
        for b in 0..<c.B {
            for t in 0..<c.T {
                for d in 0..<c.D {
                    let ours = Double(dx[(t * c.B + b) * c.D + d])
                    let keras = c.inputGradient[(b * c.T + t) * c.D + d]
                    #expect(KerasReferenceTests.close(ours, keras), "\(name): dx[\(b),\(t),\(d)] \(ours) vs \(keras)")
                }
            }
        }
    }

    @Test(arguments: KerasMLPReference.all.map(\.name))
    func trainingStepsMatchKeras(name: String) throws {
        let c = try #require(KerasMLPReference.all.first { $0.name == name })
        let model = try Self.model(for: c)
        let optimizer = try OptimizerConfig(kind: .adam, learningRate: Float(c.learningRate)).make(
            for: model.parameters)
        var dx = [Float](repeating: 0, count: c.x.count)
        var worst = 0.0
        for (k, expected) in c.steps.enumerated() {
            _ = Self.step(model, c, dx: &dx)
            optimizer.step(model.parameters)
            let ours = model.parameters.valueArray
            #expect(ours.count == expected.count)
            for (i, (a, b)) in zip(ours, expected).enumerated() {
                worst = max(worst, abs(Double(a) - b))
                #expect(abs(Double(a) - b) <= 1e-6, "\(name): step \(k + 1), weight \(i): \(a) vs \(b)")
            }
        }
        // The steps must move the weights far more than the tolerance, or the comparison would prove nothing.
        let initial = c.weights.flatMap(\.values)
        let moved = zip(c.steps[2], initial).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 1e-2, "\(name): Keras's steps moved the weights by only \(moved)")
        print("\(name): worst weight difference after \(c.steps.count) Adam steps \(worst)")
    }

    /// The generated values are consistent with themselves and with the documented formulas.
    @Test(arguments: KerasMLPReference.all.map(\.name))
    func valuesAreConsistent(name: String) throws {
        let c = try #require(KerasMLPReference.all.first { $0.name == name })
        #expect(c.x.count == c.B * c.T * c.D)
        #expect(c.probabilities.count == c.B * c.C)
        #expect(c.inputGradient.count == c.x.count)
        #expect(c.weights.map(\.name) == c.weightGradients.map(\.name))
        #expect(c.weights.map(\.shape) == c.weightGradients.map(\.shape))
        let total = c.weights.map { $0.values.count }.reduce(0, +)
        #expect(
            total == c.T * c.D * c.units + c.units + (c.layers - 1) * (c.units * c.units + c.units)
                + c.units * c.C + c.C)
        #expect(c.steps.count == 3 && c.steps.allSatisfy { $0.count == total })
        var loss = 0.0
        for b in 0..<c.B { loss -= log(c.probabilities[b * c.C + c.labels[b]]) }
        #expect(abs(loss / Double(c.B) - c.loss) < 1e-12)
        for (j, value) in c.x.enumerated() {
            #expect(value == Float(cos(0.23 * Double(j) + 0.5)), "x[\(j)]")
        }
        for (k, value) in c.weights.flatMap(\.values).enumerated() {
            #expect(Float(value) == Float(0.5 * sin(0.37 * Double(k) + 1.0)), "weight element \(k)")
        }
    }
}
