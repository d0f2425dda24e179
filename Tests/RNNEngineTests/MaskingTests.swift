import Testing

@testable import RNNEngine

/// Masking beyond the Keras golden values: finite-difference gradients with dropout (whose masks Keras draws at
/// random), the same bits whether padded steps are skipped or computed, and padding that changes nothing.
@Suite("Masking")
struct MaskingTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var config: RecurrentConfig
        var description: String { name }
    }

    static func config(
        _ cell: CellKind, layers: Int = 1, bidirectional: Bool = false, merge: MergeMode = .concat,
        resetAfter: Bool = true, goBackwards: Bool = false, dropout: Float = 0, recurrentDropout: Float = 0,
        tokens: Bool = false, task: Task = .classification, timesteps: Int = 6
    ) -> RecurrentConfig {
        RecurrentConfig(
            cell: cell, units: 5, layers: layers, bidirectional: bidirectional, mergeMode: merge,
            resetAfter: resetAfter, dropout: dropout, recurrentDropout: recurrentDropout, goBackwards: goBackwards,
            mask: .zeros, input: tokens ? .tokens : .values, vocabularySize: tokens ? 7 : 0,
            embeddingDim: tokens ? 3 : 0, task: task, timesteps: timesteps, features: tokens ? 1 : 3,
            outputs: task == .classification ? 3 : 2)
    }

    static let cases: [Case] = {
        var all: [Case] = []
        for cell in CellKind.allCases {
            all.append(Case(name: "\(cell.rawValue)", config: config(cell)))
            all.append(Case(name: "\(cell.rawValue) stacked", config: config(cell, layers: 2)))
            all.append(
                Case(name: "\(cell.rawValue) go_backwards stacked", config: config(cell, layers: 2, goBackwards: true)))
            all.append(
                Case(
                    name: "\(cell.rawValue) dropout+recurrent_dropout",
                    config: config(cell, layers: 2, dropout: 0.3, recurrentDropout: 0.3)))
            for merge in MergeMode.allCases {
                all.append(
                    Case(
                        name: "\(cell.rawValue) bidirectional×2 \(merge)",
                        config: config(cell, layers: 2, bidirectional: true, merge: merge)))
            }
            all.append(Case(name: "\(cell.rawValue) tokens", config: config(cell, tokens: true)))
            all.append(Case(name: "\(cell.rawValue) regression", config: config(cell, task: .regression)))
        }
        all.append(Case(name: "gru reset_after=false", config: config(.gru, resetAfter: false)))
        all.append(
            Case(
                name: "gru reset_after=false bidirectional+dropout",
                config: config(
                    .gru, layers: 2, bidirectional: true, resetAfter: false, dropout: 0.2, recurrentDropout: 0.2)))
        all.append(
            Case(
                name: "lstm tokens bidirectional+dropout",
                config: config(.lstm, layers: 2, bidirectional: true, dropout: 0.2, recurrentDropout: 0.2, tokens: true)
            ))
        return all
    }()

    /// Real steps per sequence of the test batch (T = 6): full, post-padded, pre-padded, a hole in the middle, and a
    /// sequence of one step at the end. The batch's first and last steps are real, so nothing is skipped at its ends.
    static let layouts: [[Bool]] = [
        [true, true, true, true, true, true],
        [true, true, true, false, false, false],
        [false, false, false, true, true, true],
        [true, false, false, true, true, false],
        [false, false, false, false, false, true],
    ]

    /// A padded batch `[T, B, D]` (or ids `[T, B]`) following `layouts`, each sequence placed at `offset` steps.
    static func batch(_ c: RecurrentConfig, layouts: [[Bool]] = layouts, offset: Int = 0, seed: UInt64 = 99) -> [Float]
    {
        var rng = RandomSource(seed: seed)
        let (t, b, d) = (c.timesteps, layouts.count, c.features)
        var x = [Float](repeating: 0, count: t * b * d)
        for (row, layout) in layouts.enumerated() {
            for (step, real) in layout.enumerated() where real {
                for f in 0..<d {
                    // Token ids 1..<V; real values never 0, so no real step is all zeros.
                    x[((step + offset) * b + row) * d + f] =
                        c.input == .tokens
                        ? Float(1 + rng.nextInt(below: c.vocabularySize - 1)) : Float(rng.nextGaussian()) + 0.01
                }
            }
        }
        return x
    }

    static func targets(_ c: RecurrentConfig, batch: Int) -> (labels: [Int32], values: [Float]) {
        ((0..<batch).map { Int32($0 % c.outputs) }, (0..<(batch * c.outputs)).map { Float($0 % 5) * 0.3 - 0.5 })
    }

    static func run(
        _ model: RecurrentNetwork, x: [Float], batch: Int, dx: UnsafeMutablePointer<Float>?, maskSeed: UInt64 = 5
    ) -> BatchResult {
        let c = model.config
        let (labels, values) = targets(c, batch: batch)
        var rng = RandomSource(seed: maskSeed)
        return x.withUnsafeBufferPointer { xp in
            labels.withUnsafeBufferPointer { lp in
                values.withUnsafeBufferPointer { vp in
                    model.trainStep(
                        x: xp.baseAddress!,
                        targets: c.task == .classification ? .classes(lp.baseAddress!) : .values(vp.baseAddress!),
                        batch: batch, training: true, rng: &rng, inputGradient: dx)
                }
            }
        }
    }

    @Test("BPTT gradients under a mask match finite differences", arguments: cases)
    func gradients(_ c: Case) throws {
        let model = try RecurrentNetwork(config: c.config, maxBatch: Self.layouts.count, seed: 7)
        var x = Self.batch(c.config)
        let batch = Self.layouts.count
        let values = c.config.input == .values
        var dx = [Float](repeating: 0, count: x.count)
        dx.withUnsafeMutableBufferPointer {
            _ = Self.run(model, x: x, batch: batch, dx: values ? $0.baseAddress! : nil)
        }
        let analytic = model.parameters.gradientArray
        func loss() -> Double { Self.run(model, x: x, batch: batch, dx: nil).meanLoss }
        let eps = GradientCheckTests.epsilon
        let weights = model.parameters.values
        for spec in model.parameters.specs {
            var numeric: [Double] = []
            for i in spec.offset..<(spec.offset + spec.count) {
                let saved = weights[i]
                weights[i] = saved + eps
                let plus = loss()
                weights[i] = saved - eps
                let minus = loss()
                weights[i] = saved
                numeric.append((plus - minus) / Double(2 * eps))
            }
            let exact = analytic[spec.offset..<(spec.offset + spec.count)].map(Double.init)
            // An embedding row no id of the batch uses has a zero gradient; the others are checked as usual.
            if spec.name.hasSuffix("/embeddings") {
                #expect(
                    zip(numeric, exact).allSatisfy { abs($0 - $1) <= 2e-4 + 1e-2 * abs($1) }, "\(c.name): embeddings")
            } else {
                GradientCheckTests.expectClose(numeric, exact, what: "\(c.name): \(spec.name)")
            }
        }
        guard values else { return }
        // dL/dx at the real steps (perturbing a padded step's zeros would unmask it); exactly 0 at the padded ones.
        var numeric: [Double] = []
        var exact: [Double] = []
        let d = c.config.features
        for i in 0..<x.count {
            let step = i / d
            let real = (0..<d).contains { x[step * d + $0] != 0 }
            guard real else {
                #expect(dx[i] == 0, "\(c.name): dx at padded index \(i) is \(dx[i])")
                continue
            }
            let saved = x[i]
            x[i] = saved + eps
            let plus = loss()
            x[i] = saved - eps
            let minus = loss()
            x[i] = saved
            numeric.append((plus - minus) / Double(2 * eps))
            exact.append(Double(dx[i]))
        }
        GradientCheckTests.expectClose(numeric, exact, what: "\(c.name): input")
    }

    /// One step's loss, predictions, every gradient and dL/dx of `config`, with padded steps skipped or computed.
    static func outcome(_ config: RecurrentConfig, skip: Bool, x: [Float], layouts: [[Bool]]) throws -> [[UInt32]] {
        var c = config
        c.skipsPadding = skip
        let model = try RecurrentNetwork(config: c, maxBatch: layouts.count, seed: 11)
        var dx = [Float](repeating: 0, count: x.count)
        let result = dx.withUnsafeMutableBufferPointer {
            run(model, x: x, batch: layouts.count, dx: c.input == .values ? $0.baseAddress! : nil)
        }
        return [
            [UInt32(truncatingIfNeeded: result.lossSum.bitPattern)],
            model.predictions.map(\.bitPattern), model.parameters.gradientArray.map(\.bitPattern), dx.map(\.bitPattern),
        ]
    }

    /// Skipping the steps where the whole batch is padding gives the same bits as computing them: leading and
    /// trailing padding of the batch (T = 9, data in steps 2…7), with every layout above inside.
    @Test("Skipping padded steps changes no bit", arguments: cases)
    func skippingChangesNothing(_ c: Case) throws {
        var config = c.config
        config.timesteps = 9
        let x = Self.batch(config, offset: 2)
        let skipped = try Self.outcome(config, skip: true, x: x, layouts: Self.layouts)
        let computed = try Self.outcome(config, skip: false, x: x, layouts: Self.layouts)
        #expect(skipped == computed, "\(c.name)")
    }

    /// A batch of padding only: outputs as for an all-zero state, no gradient but the head's, dL/dx zero.
    @Test func aBatchOfOnlyPadding() throws {
        for skip in [true, false] {
            var config = Self.config(.lstm, layers: 2, bidirectional: true)
            config.skipsPadding = skip
            let layouts = [[Bool]](repeating: [Bool](repeating: false, count: 6), count: 3)
            let model = try RecurrentNetwork(config: config, maxBatch: 3, seed: 3)
            let x = Self.batch(config, layouts: layouts)
            var dx = [Float](repeating: .nan, count: x.count)
            let result = dx.withUnsafeMutableBufferPointer { Self.run(model, x: x, batch: 3, dx: $0.baseAddress!) }
            #expect(result.lossSum.isFinite)
            #expect(dx.allSatisfy { $0 == 0 })
            for spec in model.parameters.specs where !spec.name.hasPrefix("dense") {
                #expect(model.parameters.gradients(of: spec).allSatisfy { $0 == 0 }, "\(spec.name)")
            }
        }
    }

    /// Adding padding before or after every sequence changes nothing (Keras: a masked step keeps state and output):
    /// the same predictions and gradients, bit for bit, as the unpadded batch.
    @Test(arguments: [CellKind.simpleRNN, .lstm, .gru])
    func paddingChangesNothing(cell: CellKind) throws {
        let layouts = [[Bool]](repeating: [Bool](repeating: true, count: 4), count: 3)
        let base = Self.config(cell, layers: 2, timesteps: 4)
        let unpadded = try Self.outcome(base, skip: true, x: Self.batch(base, layouts: layouts), layouts: layouts)
        for offset in [0, 3] {
            var padded = base
            padded.timesteps = 7
            let x = Self.batch(padded, layouts: layouts, offset: offset)
            let result = try Self.outcome(padded, skip: true, x: x, layouts: layouts)
            #expect(result[0] == unpadded[0] && result[1] == unpadded[1], "\(cell) loss/predictions, offset \(offset)")
            #expect(result[2] == unpadded[2], "\(cell) gradients, offset \(offset)")
        }
    }
}
