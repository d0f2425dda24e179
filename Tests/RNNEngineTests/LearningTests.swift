import Testing

@testable import RNNEngine

/// Each cell type learns a small synthetic sequence task generated here, and training is bit-reproducible.
@Suite("Learning and determinism")
struct LearningTests {
    /// Sum-sign task: T = 12 steps of 2 features (one signal, one distractor); the label says whether the signal's
    /// sum over time is positive. Time-major `[T, N, 2]`.
    static func task(count n: Int, seed: UInt64) -> (x: [Float], labels: [Int32]) {
        let t = 12
        var rng = RandomSource(seed: seed)
        var x = [Float](repeating: 0, count: t * n * 2)
        var labels = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            var sum: Float = 0
            for s in 0..<t {
                let v = Float(rng.nextGaussian())
                x[(s * n + i) * 2] = v
                x[(s * n + i) * 2 + 1] = Float(rng.nextGaussian())
                sum += v
            }
            labels[i] = sum > 0 ? 1 : 0
        }
        return (x, labels)
    }

    /// Gathers rows `range` of a time-major set into a time-major batch.
    static func batch(_ x: [Float], count n: Int, range: Range<Int>) -> [Float] {
        var out: [Float] = []
        for s in 0..<12 {
            for i in range { out.append(contentsOf: x[((s * n + i) * 2)..<((s * n + i) * 2 + 2)]) }
        }
        return out
    }

    /// Trains any kind of model with Adam on the sum-sign task; returns it and its held-out accuracy.
    static func train(_ architecture: any ModelArchitecture, steps: Int, seed: UInt64) throws -> (
        any SequenceModel, Double
    ) {
        let n = 1024
        let batchSize = 32
        let (x, y) = task(count: n, seed: 11)
        let model = try architecture.makeModel(maxBatch: 256, seed: seed)
        let optimizer = try OptimizerConfig(kind: .adam, learningRate: 0.01).make(for: model.parameters)
        var rng = RandomSource(seed: seed, stream: 2)
        for step in 0..<steps {
            let start = (step * batchSize) % n
            let xb = batch(x, count: n, range: start..<(start + batchSize))
            let yb = Array(y[start..<(start + batchSize)])
            _ = xb.withUnsafeBufferPointer { xp in
                yb.withUnsafeBufferPointer {
                    model.trainStep(x: xp.baseAddress!, labels: $0.baseAddress!, batch: batchSize, rng: &rng)
                }
            }
            optimizer.step(model.parameters)
        }
        let (tx, ty) = task(count: 256, seed: 12)
        let result = tx.withUnsafeBufferPointer { xp in
            ty.withUnsafeBufferPointer { model.evaluate(x: xp.baseAddress!, labels: $0.baseAddress!, batch: 256) }
        }
        return (model, Double(result.correct) / 256)
    }

    /// Stated accuracy: ≥ 90 % on held-out sequences after 300 Adam steps (chance is ~50 %).
    @Test(arguments: CellKind.allCases)
    func learnsSumSign(cell: CellKind) throws {
        let config = RecurrentConfig(cell: cell, units: 16, timesteps: 12, features: 2, outputs: 2)
        let (_, accuracy) = try Self.train(config, steps: 300, seed: 3)
        #expect(accuracy >= 0.9, "\(cell.rawValue) reached only \(accuracy)")
    }

    @Test func sameSeedGivesBitIdenticalTraining() throws {
        let config = RecurrentConfig(
            cell: .lstm, units: 8, bidirectional: true, dropout: 0.2, recurrentDropout: 0.2, timesteps: 12, features: 2,
            outputs: 2)
        let (a, _) = try Self.train(config, steps: 20, seed: 5)
        let (b, _) = try Self.train(config, steps: 20, seed: 5)
        let (c, _) = try Self.train(config, steps: 20, seed: 6)
        #expect(a.parameters.valueArray.map(\.bitPattern) == b.parameters.valueArray.map(\.bitPattern))
        #expect(a.parameters.valueArray != c.parameters.valueArray)
    }

    @Test func dropoutChangesTrainingButNotInference() throws {
        let config = RecurrentConfig(cell: .simpleRNN, units: 8, dropout: 0.5, timesteps: 12, features: 2, outputs: 2)
        let model = try RecurrentNetwork(config: config, maxBatch: 32, seed: 1)
        let (x, y) = Self.task(count: 32, seed: 1)
        func run(training: Bool, seed: UInt64) -> Double {
            var rng = RandomSource(seed: seed)
            return x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer {
                    model.trainStep(
                        x: xp.baseAddress!, labels: $0.baseAddress!, batch: 32, training: training, rng: &rng
                    ).lossSum
                }
            }
        }
        #expect(run(training: true, seed: 1) != run(training: true, seed: 2))
        #expect(run(training: false, seed: 1) == run(training: false, seed: 2))
    }
}
