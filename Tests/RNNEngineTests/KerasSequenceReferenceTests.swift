import Foundation
import Testing

@testable import RNNEngine

/// The engine against Keras 3 on padded sequences, token input and regression: predictions, loss, metrics, every
/// weight gradient, the input gradient and (some cases) three training steps, with the fixed weights of
/// Scripts/reference/keras_sequence_reference.py (float64). Tolerances as for the unmasked cases:
/// |ours − keras| ≤ 2e-6 + 1e-4·|keras| for values and gradients; weights after training steps within 1e-6.
@Suite("Keras reference values: masking, tokens, regression")
struct KerasSequenceReferenceTests {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 2e-6 + 1e-4 * abs(b) }

    static func config(for c: KerasSequenceReference.Case, skipPadding: Bool = true) throws -> RecurrentConfig {
        let input: InputKind = try ModelConfigError.parse(c.input, option: "input")
        return RecurrentConfig(
            cell: try ModelConfigError.parse(c.cell, option: "cell"), units: c.units, layers: c.layers,
            bidirectional: c.bidirectional,
            mergeMode: try ModelConfigError.parse(c.mergeMode ?? "concat", option: "merge_mode"),
            activation: try ModelConfigError.parse(c.activation, option: "activation"), resetAfter: c.resetAfter,
            goBackwards: c.goBackwards, mask: try ModelConfigError.parse(c.mask, option: "mask"), input: input,
            vocabularySize: c.vocabularySize, embeddingDim: c.embeddingDim,
            task: try ModelConfigError.parse(c.task, option: "task"), timesteps: c.T, features: c.D,
            outputs: c.outputs, skipsPadding: skipPadding)
    }

    /// Keras's x is batch-major (`[B, T, D]`, or `[B, T]` ids); the engine reads time-major `[T, B, D]`.
    static func timeMajor(_ values: [Float], _ c: KerasSequenceReference.Case) -> [Float] {
        var x = [Float](repeating: 0, count: values.count)
        for b in 0..<c.B {
            for t in 0..<c.T {
                for d in 0..<c.D { x[(t * c.B + b) * c.D + d] = values[(b * c.T + t) * c.D + d] }
            }
        }
        return x
    }

    /// The inverse of `timeMajor`: `[T, B, D]` → Keras's `[B, T, D]`.
    static func batchMajor(_ values: [Float], _ c: KerasSequenceReference.Case) -> [Float] {
        var x = [Float](repeating: 0, count: values.count)
        for b in 0..<c.B {
            for t in 0..<c.T {
                for d in 0..<c.D { x[(b * c.T + t) * c.D + d] = values[(t * c.B + b) * c.D + d] }
            }
        }
        return x
    }

    /// A training-mode step (there is no dropout) with the case's targets; writes dL/dx when asked.
    @discardableResult
    static func step(
        _ model: RecurrentNetwork, _ c: KerasSequenceReference.Case, x: [Float], labels: [Int]? = nil,
        dx: UnsafeMutablePointer<Float>? = nil
    ) -> BatchResult {
        let classes = (labels ?? c.labels).map(Int32.init)
        let targets = c.targets.map(Float.init)
        var rng = RandomSource(seed: 1)
        return x.withUnsafeBufferPointer { xp in
            classes.withUnsafeBufferPointer { lp in
                targets.withUnsafeBufferPointer { tp in
                    model.trainStep(
                        x: xp.baseAddress!,
                        targets: c.task == "classification" ? .classes(lp.baseAddress!) : .values(tp.baseAddress!),
                        batch: c.B, training: true, rng: &rng, inputGradient: dx)
                }
            }
        }
    }

    static func evaluate(_ model: RecurrentNetwork, _ c: KerasSequenceReference.Case, x: [Float]) -> BatchResult {
        let classes = c.labels.map(Int32.init)
        let targets = c.targets.map(Float.init)
        return x.withUnsafeBufferPointer { xp in
            classes.withUnsafeBufferPointer { lp in
                targets.withUnsafeBufferPointer { tp in
                    model.evaluate(
                        x: xp.baseAddress!,
                        targets: c.task == "classification" ? .classes(lp.baseAddress!) : .values(tp.baseAddress!),
                        batch: c.B)
                }
            }
        }
    }

    static func model(_ c: KerasSequenceReference.Case, skipPadding: Bool = true) throws -> RecurrentNetwork {
        let model = try RecurrentNetwork(config: try config(for: c, skipPadding: skipPadding), maxBatch: c.B, seed: 1)
        model.parameters.load(c.weights.flatMap { $0.values.map(Float.init) })
        return model
    }

    @Test(arguments: KerasSequenceReference.all.map(\.name), [true, false])
    func matchesKeras(name: String, skipPadding: Bool) throws {
        let c = try #require(KerasSequenceReference.all.first { $0.name == name })
        let model = try Self.model(c, skipPadding: skipPadding)
        // Same tensors, order, shapes and Keras-like names (`sequential/embedding/embeddings` → `embedding/embeddings`).
        #expect(model.parameters.specs.map(\.shape) == c.weights.map(\.shape))
        #expect(
            model.parameters.specs.map { $0.name.split(separator: "/").last! }
                == c.weights.map { $0.name.split(separator: "/").last! })

        let x = Self.timeMajor(c.x, c)
        let evaluation = Self.evaluate(model, c, x: x)
        for (ours, keras) in zip(model.predictions, c.predictions) {
            #expect(Self.close(Double(ours), keras), "\(name): prediction \(ours) vs \(keras)")
        }
        #expect(model.predictions.count >= c.predictions.count)
        #expect(Self.close(evaluation.meanLoss, c.loss), "\(name): loss \(evaluation.meanLoss) vs \(c.loss)")
        if let accuracy = c.accuracy { #expect(evaluation.value(.accuracy) == accuracy, "\(name): accuracy") }
        if let mae = c.mae { #expect(Self.close(evaluation.value(.mae), mae), "\(name): mae") }
        if let rmse = c.rmse { #expect(Self.close(evaluation.value(.rmse), rmse), "\(name): rmse") }

        var dx = [Float](repeating: .nan, count: x.count)
        let result = dx.withUnsafeMutableBufferPointer {
            Self.step(model, c, x: x, dx: c.inputGradient == nil ? nil : $0.baseAddress!)
        }
        #expect(Self.close(result.meanLoss, c.loss))
        for (spec, keras) in zip(model.parameters.specs, c.weightGradients) {
            let ours = model.parameters.gradients(of: spec)
            let bad = zip(ours, keras.values).enumerated().filter { !Self.close(Double($0.element.0), $0.element.1) }
            #expect(bad.isEmpty, "\(name): \(spec.name) differs from \(keras.name) at \(bad.prefix(3))")
        }
        if let inputGradient = c.inputGradient {
            let ours = Self.batchMajor(dx, c).map(Double.init)
            let bad = zip(ours, inputGradient).enumerated().filter { !Self.close($0.element.0, $0.element.1) }
            #expect(bad.isEmpty, "\(name): dx differs at \(bad.prefix(3))")
            // Keras's input gradient at a padded step is exactly zero (Masking outputs where(mask, x, 0)).
            for (ours, keras) in zip(ours, inputGradient) where keras == 0 && c.mask == "zeros" { #expect(ours == 0) }
        }
    }

    /// Three training steps (the case's optimizer) land where Keras's did: for token input this pins down how
    /// Keras 3 applies an embedding's sliced gradient (dense updates; Σ of squared slices in Adam's v).
    @Test(arguments: KerasSequenceReference.all.filter { !$0.steps.isEmpty }.map(\.name))
    func trainingStepsMatchKeras(name: String) throws {
        let c = try #require(KerasSequenceReference.all.first { $0.name == name })
        let model = try Self.model(c)
        let optimizer = try Self.optimizer(c.optimizer).make(for: model.parameters)
        let x = Self.timeMajor(c.x, c)
        for (k, expected) in c.steps.enumerated() {
            Self.step(model, c, x: x)
            optimizer.step(model.parameters)
            let worst = zip(model.parameters.valueArray, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst <= 1e-6, "\(name): step \(k + 1) is off by \(worst)")
        }
    }

    /// Batches 1, 2, 1: rows used in steps 1 and 3 but not in step 2 still move in step 2 (Keras's Adam is dense).
    @Test func embeddingRowsABatchDidNotTouchStillMove() throws {
        let alternating = KerasSequenceReference.embeddingAlternatingBatches
        let c = try #require(KerasSequenceReference.all.first { $0.name == alternating.caseName })
        let model = try Self.model(c)
        let optimizer = try Self.optimizer(c.optimizer).make(for: model.parameters)
        let embeddings = try #require(model.parameters.spec(named: "embedding/embeddings"))
        for (k, (batch, labels)) in zip(alternating.batches, alternating.labels).enumerated() {
            let before = model.parameters.values(of: embeddings)
            Self.step(model, c, x: Self.timeMajor(batch, c), labels: labels)
            optimizer.step(model.parameters)
            let worst = zip(model.parameters.valueArray, alternating.steps[k]).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst <= 1e-6, "step \(k + 1) is off by \(worst)")
            if k == 1 {
                let after = model.parameters.values(of: embeddings)
                for row in alternating.rowsSkippedInStep2 {
                    let e = c.embeddingDim
                    #expect(before[(row * e)..<((row + 1) * e)] != after[(row * e)..<((row + 1) * e)], "row \(row)")
                }
            }
        }
    }

    /// The optimizer a case names, e.g. `Adam(learning_rate=0.01)` (the generator spells out what it uses).
    static func optimizer(_ text: String?) throws -> OptimizerConfig {
        let text = try #require(text)
        func number(_ key: String) -> Float? {
            guard let range = text.range(of: key + "=") else { return nil }
            let rest = text[range.upperBound...].prefix { "0123456789.e-".contains($0) }
            return Float(rest)
        }
        let kind: OptimizerConfig.Kind =
            text.hasPrefix("Adam") ? .adam : text.hasPrefix("RMSprop") ? .rmsprop : .sgd
        return OptimizerConfig(
            kind: kind, learningRate: number("learning_rate"), momentum: number("momentum") ?? 0,
            nesterov: text.contains("nesterov=True"), clipnorm: number("clipnorm"))
    }

    @Test(
        arguments: [KerasParameterCountReference.embeddingLSTM, KerasParameterCountReference.regression].map(
            \.description))
    func parameterCountsMatchKeras(description: String) throws {
        let reference = try #require(
            [KerasParameterCountReference.embeddingLSTM, KerasParameterCountReference.regression].first {
                $0.description == description
            })
        let config =
            reference.layers[0].type == "Embedding"
            ? RecurrentConfig(
                cell: .lstm, units: 128, mask: .zeros, input: .tokens, vocabularySize: 20000, embeddingDim: 128,
                timesteps: 200, features: 1, outputs: 2)
            : RecurrentConfig(
                cell: .gru, units: 64, mask: .zeros, task: .regression, timesteps: 29, features: 12, outputs: 3)
        let model = try RecurrentNetwork(config: config, maxBatch: 1, seed: 1)
        #expect(model.summaryRows.map { "\($0.name) (\($0.type))" } == reference.layers.map(\.text))
        #expect(model.summaryRows.map(\.outputShape) == reference.layers.map(\.outputShape))
        #expect(model.summaryRows.map(\.parameters) == reference.layers.map(\.parameters))
        #expect(model.parameterCount == reference.total)
    }
}
