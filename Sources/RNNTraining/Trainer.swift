import Foundation
import RNNData
import RNNEngine

/// The result of a completed run.
public struct TrainingResult: Sendable {
    public var history: [EpochMetrics]
    public var testLoss: Double
    public var testAccuracy: Double
    public var seconds: Double
    /// Final weights, flat in the model's parameter order (for bit-identity checks).
    public var weights: [Float]
}

/// Trains one configuration on one dataset: Keras `fit` + `evaluate` semantics, a checkpoint after every epoch,
/// exact resume. Knows nothing of sweeps or databases; it reports through `TrainingEvent`s.
public final class Trainer {
    public let config: TrainingConfig
    public let data: DatasetSplits
    public let architecture: any ModelArchitecture
    public let model: any Classifier
    public let optimizer: any Optimizer
    private let checkpointDirectory: URL?
    /// What the `started` event reports about this run's machine and build; nil without a build identity.
    public let provenance: Provenance?
    private var state: TrainingState
    /// Set when an unusable checkpoint was moved aside (`UnusableCheckpointPolicy.moveAside`); sent in `started`.
    private var discardedCheckpoint: String?
    private let batchInput: FloatBuffer
    private var batchLabels: [Int32]
    private var batchIndices: [Int]

    /// Builds the model and, with `resume`, restores the checkpoint in `checkpointDirectory` if there is one; a
    /// checkpoint that cannot be resumed is handled as `unusableCheckpoint` says. `build` (the executable's
    /// identity) makes the `started` event carry the run's ``Provenance``.
    public init(
        config: TrainingConfig, data: DatasetSplits, threads: Int = 1, checkpointDirectory: URL? = nil,
        resume: Bool = false, unusableCheckpoint: UnusableCheckpointPolicy = .fail, build: BuildIdentity? = nil
    ) throws(TrainingError) {
        ComputeThreads.set(threads)
        self.config = config
        self.data = data
        self.checkpointDirectory = checkpointDirectory
        provenance = build.map { Provenance.current(build: $0, threads: threads) }
        architecture = try config.model(
            shape: InputShape(timesteps: data.timesteps, features: data.features, classes: data.classes))
        do {
            model = try architecture.makeClassifier(maxBatch: config.batchSize, seed: config.seed)
            optimizer = try config.optimizer.make(for: model.parameters)
        } catch { throw .configuration(error.description) }
        state = TrainingState(
            epoch: 0, history: [], dropoutRNG: RandomSource(seed: config.seed, stream: 2),
            shuffleRNG: RandomSource(seed: config.seed, stream: 3), optimizerIterations: 0)
        if resume, let checkpointDirectory {
            do {
                if let restored = try Checkpoint.load(
                    from: checkpointDirectory, into: model, optimizer: optimizer, parameters: config.parameters)
                {
                    state = restored
                }
            } catch {
                // A failed load leaves the model and optimizer untouched, so training can start over with them.
                guard unusableCheckpoint == .moveAside, case .checkpoint(_, let reason) = error else { throw error }
                let movedTo = try Checkpoint.moveAside(in: checkpointDirectory)
                discardedCheckpoint =
                    "moved \(Checkpoint.fileName) aside to \(movedTo.lastPathComponent): \(reason)"
            }
        }
        batchInput = FloatBuffer(count: data.timesteps * config.batchSize * data.features)
        batchLabels = [Int32](repeating: 0, count: config.batchSize)
        batchIndices = [Int](repeating: 0, count: config.batchSize)
    }

    /// Epochs already completed (from a checkpoint).
    public var completedEpochs: Int { state.epoch }

    /// What happened to an unusable checkpoint that was moved aside, or nil; the `started` event carries it too.
    public var discardedCheckpointNote: String? { discardedCheckpoint }

    /// Runs the remaining epochs, then evaluates on the test set. With `until` below the configured epochs, stops
    /// after that epoch instead (a `paused` event, no test: the result's test metrics are NaN).
    public func run(until: Int? = nil, onEvent: (TrainingEvent) -> Void = { _ in }) throws(TrainingError)
        -> TrainingResult
    {
        try DenormalMode.run(flushingDenormals: type(of: architecture).flushesDenormals) { () throws(TrainingError) in
            try runEpochsAndTest(until: until.map { min($0, config.epochs) } ?? config.epochs, onEvent: onEvent)
        }
    }

    private func runEpochsAndTest(until: Int, onEvent: (TrainingEvent) -> Void) throws(TrainingError)
        -> TrainingResult
    {
        let clock = ContinuousClock()
        let start = clock.now
        let n = data.train.count
        let batches = (n + config.batchSize - 1) / config.batchSize
        onEvent(
            .started(
                .init(
                    resumedFromEpoch: state.epoch, epochs: config.epochs, trainSamples: n, batchesPerEpoch: batches,
                    parameters: model.parameterCount, dataset: data.summary, history: state.history,
                    discardedCheckpoint: discardedCheckpoint, provenance: provenance)))
        while state.epoch < until {
            let metrics = try runEpoch(state.epoch + 1, batches: batches, onEvent: onEvent)
            state.epoch += 1
            state.history.append(metrics)
            state.optimizerIterations = optimizer.iterations
            if let checkpointDirectory {
                try Checkpoint.save(
                    model: model, architecture: architecture, optimizer: optimizer, state: state,
                    parameters: config.parameters,
                    to: checkpointDirectory)
            }
            onEvent(.epoch(metrics))
        }
        if state.epoch < config.epochs {
            let seconds = (clock.now - start).seconds
            onEvent(.paused(.init(epoch: state.epoch, seconds: seconds)))
            return TrainingResult(
                history: state.history, testLoss: .nan, testAccuracy: .nan, seconds: seconds,
                weights: model.parameters.valueArray)
        }
        let test = evaluate(data.test)
        let seconds = (clock.now - start).seconds
        onEvent(.finished(.init(testLoss: test.loss, testAccuracy: test.accuracy, seconds: seconds)))
        return TrainingResult(
            history: state.history, testLoss: test.loss, testAccuracy: test.accuracy, seconds: seconds,
            weights: model.parameters.valueArray)
    }

    private func runEpoch(_ epoch: Int, batches: Int, onEvent: (TrainingEvent) -> Void) throws(TrainingError)
        -> EpochMetrics
    {
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        let n = data.train.count
        var order = Array(0..<n)
        state.shuffleRNG.shuffle(&order)
        var lossSum = 0.0
        var correct = 0
        for b in 0..<batches {
            let lo = b * config.batchSize
            let count = min(config.batchSize, n - lo)
            for i in 0..<count { batchIndices[i] = order[lo + i] }
            let result = fill(from: data.train, count: count) {
                model.trainStep(x: batchInput.pointer, labels: $0, batch: count, rng: &state.dropoutRNG)
            }
            guard result.lossSum.isFinite else {
                throw .diverged(epoch: epoch, batch: b + 1, loss: result.meanLoss)
            }
            optimizer.step(model.parameters)
            lossSum += result.lossSum
            correct += result.correct
            let now = clock.now
            if now - lastProgress > .milliseconds(250) || b == batches - 1 {
                lastProgress = now
                let elapsed = (now - start).seconds
                let rate = Double(lo + count) / max(elapsed, 1e-9)
                onEvent(
                    .progress(
                        .init(epoch: epoch, batch: b + 1, batches: batches, samplesPerSecond: rate, seconds: elapsed)))
            }
        }
        let validation = data.validation.map { evaluate($0) }
        return EpochMetrics(
            epoch: epoch, loss: lossSum / Double(n), accuracy: Double(correct) / Double(n), valLoss: validation?.loss,
            valAccuracy: validation?.accuracy, seconds: (clock.now - start).seconds)
    }

    /// Mean loss and accuracy over a whole set, inference path (no dropout), in batches of `batch_size`.
    public func evaluate(_ set: SequenceSet) -> (loss: Double, accuracy: Double) {
        DenormalMode.run(flushingDenormals: type(of: architecture).flushesDenormals) { evaluateAll(set) }
    }

    private func evaluateAll(_ set: SequenceSet) -> (loss: Double, accuracy: Double) {
        var lossSum = 0.0
        var correct = 0
        var lo = 0
        while lo < set.count {
            let count = min(config.batchSize, set.count - lo)
            for i in 0..<count { batchIndices[i] = lo + i }
            let result = fill(from: set, count: count) {
                model.evaluate(x: batchInput.pointer, labels: $0, batch: count)
            }
            lossSum += result.lossSum
            correct += result.correct
            lo += count
        }
        return (lossSum / Double(max(set.count, 1)), Double(correct) / Double(max(set.count, 1)))
    }

    /// Gathers `batchIndices[0..<count]` of `set` into the time-major batch buffer and labels, then runs `body`.
    private func fill(from set: SequenceSet, count: Int, _ body: (UnsafePointer<Int32>) -> BatchResult) -> BatchResult {
        batchIndices.withUnsafeBufferPointer { all in
            let indices = UnsafeBufferPointer(rebasing: all[0..<count])
            set.gatherTimeMajor(indices, into: batchInput.pointer)
            return batchLabels.withUnsafeMutableBufferPointer { labels in
                set.labels(at: indices, into: labels.baseAddress!)
                return body(labels.baseAddress!)
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
