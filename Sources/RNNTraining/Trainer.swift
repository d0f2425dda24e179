import Foundation
import RNNData
import RNNEngine

/// The result of a completed run.
public struct TrainingResult: Sendable {
    public var history: [EpochMetrics]
    /// The test metrics of the task (empty when the run paused before its last epoch).
    public var test: [Metric: Double]
    public var seconds: Double
    /// Final weights, flat in the model's parameter order (for bit-identity checks).
    public var weights: [Float]
}

/// Trains one configuration on one dataset: Keras `fit` + `evaluate` semantics, a checkpoint every
/// `checkpoint_every` epochs (written by a ``CheckpointWriter`` while the next epoch trains), exact resume. Knows
/// nothing of sweeps or databases; it reports through `TrainingEvent`s.
public final class Trainer {
    public let config: TrainingConfig
    public let data: DatasetSplits
    public let architecture: any ModelArchitecture
    public let model: any SequenceModel
    public let optimizer: any Optimizer
    private let checkpointDirectory: URL?
    /// Writes the checkpoints (in the background unless the caller gave a synchronous one).
    private let checkpointWriter: CheckpointWriter
    /// What the `started` event reports about this run's machine and build; nil without a build identity.
    public let provenance: Provenance?
    private var state: TrainingState
    /// Set when an unusable checkpoint was moved aside (`UnusableCheckpointPolicy.moveAside`); sent in `started`.
    private var discardedCheckpoint: String?
    /// Whether this run wrote the text vocabulary beside its checkpoint yet.
    private var savedVocabulary = false
    /// The checkpoints' metadata, encoded once per run.
    private lazy var checkpointMetadata = CheckpointMetadata(
        architecture: architecture, optimizer: optimizer.config.kind, parameters: config.parameters,
        dataFingerprint: config.dataFingerprint)
    private let batchInput: FloatBuffer
    private var batchLabels: [Int32]
    /// Regression targets of a batch `[B, k]`.
    private let batchTargetValues: FloatBuffer
    private var batchIndices: [Int]
    /// The real steps of each training example, for `bucket_by_length`; empty otherwise.
    private let trainLengths: [Int]

    /// Builds the model and, with `resume`, restores the checkpoint in `checkpointDirectory` if there is one; a
    /// checkpoint that cannot be resumed is handled as `unusableCheckpoint` says. `build` (the executable's
    /// identity) makes the `started` event carry the run's ``Provenance``. `checkpointWriter` writes the
    /// checkpoints; by default a background one of this run's own.
    public init(
        config: TrainingConfig, data: DatasetSplits, threads: Int = 1, checkpointDirectory: URL? = nil,
        resume: Bool = false, unusableCheckpoint: UnusableCheckpointPolicy = .fail, build: BuildIdentity? = nil,
        checkpointWriter: CheckpointWriter? = nil
    ) throws(TrainingError) {
        ComputeThreads.set(threads)
        self.config = config
        self.data = data
        self.checkpointDirectory = checkpointDirectory
        self.checkpointWriter = checkpointWriter ?? CheckpointWriter()
        provenance = build.map { Provenance.current(build: $0, threads: threads) }
        architecture = try config.model(shape: data.inputShape)
        do {
            model = try architecture.makeModel(maxBatch: config.batchSize, seed: config.seed)
            optimizer = try config.optimizer.make(for: model.parameters)
        } catch { throw .configuration(error.description) }
        state = TrainingState(
            epoch: 0, history: [], dropoutRNG: RandomSource(seed: config.seed, stream: 2),
            shuffleRNG: RandomSource(seed: config.seed, stream: 3), optimizerIterations: 0)
        if resume, let checkpointDirectory {
            do {
                if let restored = try Checkpoint.load(
                    from: checkpointDirectory, into: model, optimizer: optimizer, parameters: config.parameters,
                    dataFingerprint: config.dataFingerprint,
                    acceptingMovedData: unusableCheckpoint == .moveAside)
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
        batchTargetValues = FloatBuffer(count: config.batchSize * data.outputs)
        batchIndices = [Int](repeating: 0, count: config.batchSize)
        trainLengths = config.bucketByLength ? data.train.realSteps() : []
    }

    /// Epochs already completed (from a checkpoint).
    public var completedEpochs: Int { state.epoch }

    /// Checkpoints written so far, and due epochs whose background copy a newer one replaced before it was written.
    public var checkpointStatistics: (written: Int, superseded: Int) { checkpointWriter.statistics }

    /// What happened to an unusable checkpoint that was moved aside, or nil; the `started` event carries it too.
    public var discardedCheckpointNote: String? { discardedCheckpoint }

    /// Runs the remaining epochs, then evaluates on the test set. With `until` below the configured epochs, stops
    /// after that epoch instead (a `paused` event, no test: the result's test metrics are empty). `paused` and
    /// `finished` are sent once every checkpoint is on disk; an `epoch` event may precede its checkpoint (the rule
    /// is ``CheckpointWriter``'s).
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
        // A run that ends with an error leaves no write behind it half done (the previous checkpoint would stay
        // valid, but a worker exits right after).
        defer { checkpointWriter.settle() }
        let n = data.train.count
        let batches = (n + config.batchSize - 1) / config.batchSize
        onEvent(
            .started(
                .init(
                    resumedFromEpoch: state.epoch, epochs: config.epochs, trainSamples: n, batchesPerEpoch: batches,
                    parameters: model.parameterCount, dataset: data.summary, history: state.history,
                    discardedCheckpoint: discardedCheckpoint, provenance: provenance)))
        // A run patience stopped stays stopped: resumed, it only tests.
        while state.epoch < until && !state.patience.stopped {
            let metrics = try runEpoch(state.epoch + 1, batches: batches, onEvent: onEvent)
            state.epoch += 1
            state.history.append(metrics)
            state.optimizerIterations = optimizer.iterations
            if let rule = config.patience {
                let step = rule.observe(metrics.value(rule.metric), epoch: state.epoch, state: &state.patience)
                if step.keepWeights { state.bestWeights = model.parameters.valueArray }
            }
            if let checkpointDirectory {
                // Once per run, with the first checkpoint (a resumed run writes the same tokens again).
                if let vocabulary = data.vocabulary, !savedVocabulary {
                    try Checkpoint.saveVocabulary(vocabulary, in: checkpointDirectory)
                    savedVocabulary = true
                }
                // Every `checkpoint_every` epochs, and always where this attempt may end: the last epoch, the rung
                // (`until`) and a patience stop.
                let due =
                    state.epoch % config.checkpointEvery == 0 || state.epoch == until
                    || state.epoch == config.epochs || state.patience.stopped
                try checkpointWriter.checkpoint(
                    model: model, optimizer: optimizer, state: state,
                    target: CheckpointTarget(
                        directory: checkpointDirectory, architecture: architecture, parameters: config.parameters,
                        dataFingerprint: config.dataFingerprint, metadata: checkpointMetadata),
                    due: due)
            }
            onEvent(.epoch(metrics))
        }
        // `paused` and `finished` mean the checkpoint is on disk. A run that ends tests while the last one is written
        // (the test pass reads the model, the write its own copy), then waits for it.
        let paused = state.epoch < config.epochs && !state.patience.stopped
        if paused {
            try checkpointWriter.finish()
            let seconds = (clock.now - start).seconds
            onEvent(.paused(.init(epoch: state.epoch, seconds: seconds)))
            return TrainingResult(
                history: state.history, test: [:], seconds: seconds, weights: model.parameters.valueArray)
        }
        // The end of training: Keras 3 restores the kept weights here, stopped early or not, and the test
        // metrics measure them.
        var restoredEpoch: Int?
        if let rule = config.patience, rule.restores(state.patience), let best = state.bestWeights {
            model.parameters.load(best)
            restoredEpoch = state.patience.bestEpoch
        }
        checkpointWriter.hurryLastWrite()
        let testStart = clock.now
        let (test, confusion) = evaluate(data.test, confusion: true)
        let testPassSeconds = (clock.now - testStart).seconds
        try checkpointWriter.finish()
        let seconds = (clock.now - start).seconds
        onEvent(
            .finished(
                .init(
                    test: test, seconds: seconds, confusion: confusion,
                    stoppedEpoch: state.patience.stopped ? state.patience.stoppedEpoch : nil,
                    bestEpoch: config.patience != nil && state.patience.bestEpoch > 0 ? state.patience.bestEpoch : nil,
                    restoredEpoch: restoredEpoch, testPassSeconds: testPassSeconds)))
        return TrainingResult(
            history: state.history, test: test, seconds: seconds, weights: model.parameters.valueArray)
    }

    /// The metrics the model's task reports.
    private var metrics: [Metric] { model.task.metrics }

    private func runEpoch(_ epoch: Int, batches: Int, onEvent: (TrainingEvent) -> Void) throws(TrainingError)
        -> EpochMetrics
    {
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        // The last batch's progress closes an epoch that reported progress; one shorter than the interval reports
        // none (its epoch event follows at once, and two events per short epoch cost the coordinator more than it).
        var reportedProgress = false
        let n = data.train.count
        var order = Array(0..<n)
        state.shuffleRNG.shuffle(&order)
        let batchStarts = trainLengths.isEmpty ? nil : bucketByLength(&order)
        var total = BatchResult()
        for b in 0..<batches {
            let lo = batchStarts?[b] ?? b * config.batchSize
            let count = min(config.batchSize, n - lo)
            for i in 0..<count { batchIndices[i] = order[lo + i] }
            let result = fill(from: data.train, count: count) {
                model.trainStep(x: batchInput.pointer, targets: $0, batch: count, rng: &state.dropoutRNG)
            }
            guard result.lossSum.isFinite else {
                throw .diverged(epoch: epoch, batch: b + 1, loss: result.meanLoss)
            }
            optimizer.step(model.parameters)
            total += result
            let now = clock.now
            if now - lastProgress > .milliseconds(250) || (b == batches - 1 && reportedProgress) {
                lastProgress = now
                reportedProgress = true
                let elapsed = (now - start).seconds
                let rate = Double(total.count) / max(elapsed, 1e-9)
                onEvent(
                    .progress(
                        .init(epoch: epoch, batch: b + 1, batches: batches, samplesPerSecond: rate, seconds: elapsed)))
            }
        }
        let validation = data.validation.map { evaluate($0).metrics }
        return EpochMetrics(
            epoch: epoch, train: total.values(metrics), validation: validation, seconds: (clock.now - start).seconds)
    }

    /// `bucket_by_length`: regroups the shuffled `order` so that each batch holds examples of similar length, and
    /// returns where each batch starts in it (`lengthBuckets`).
    private func bucketByLength(_ order: inout [Int]) -> [Int] {
        Self.lengthBuckets(&order, lengths: trainLengths, batchSize: config.batchSize, rng: &state.shuffleRNG)
    }

    /// Pools of 50 batches of the shuffled `order` are each sorted by length (stable, so ties keep the shuffled
    /// order) and cut into batches, and the batches are shuffled; every draw comes from `rng` (the shuffling stream),
    /// so the same seed gives the same batches. Returns each batch's start in `order`.
    static func lengthBuckets(_ order: inout [Int], lengths: [Int], batchSize size: Int, rng: inout RandomSource)
        -> [Int]
    {
        let pool = size * 50
        var start = 0
        while start < order.count {
            let end = min(start + pool, order.count)
            let sorted = order[start..<end].enumerated().sorted {
                let (a, b) = (lengths[$0.element], lengths[$1.element])
                return a != b ? a < b : $0.offset < $1.offset
            }
            for (i, item) in sorted.enumerated() { order[start + i] = item.element }
            start = end
        }
        var starts = Array(stride(from: 0, to: order.count, by: size))
        rng.shuffle(&starts)
        return starts
    }

    /// The task's metrics over a whole set, inference path (no dropout), in batches of `batch_size`, and, when asked
    /// and the model classifies, its confusion matrix (``ModelEvaluation``, which `evaluate` and `predict` run too,
    /// so they reproduce these numbers). Called within `run`'s denormal mode.
    private func evaluate(_ set: SequenceSet, confusion wanted: Bool = false) -> (
        metrics: [Metric: Double], confusion: [[Int]]?
    ) {
        let result = ModelEvaluation.run(
            model: model, architecture: architecture, set: set, batchSize: config.batchSize, classes: data.classes)
        return (result.metrics, wanted ? result.confusion : nil)
    }

    /// Gathers `batchIndices[0..<count]` of `set` into the time-major batch buffer and its targets (labels or
    /// regression values), then runs `body`.
    private func fill(from set: SequenceSet, count: Int, _ body: (BatchTargets) -> BatchResult) -> BatchResult {
        batchIndices.withUnsafeBufferPointer { all in
            set.withBatch(
                UnsafeBufferPointer(rebasing: all[0..<count]), input: batchInput.pointer, labels: &batchLabels,
                values: batchTargetValues.pointer, body)
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
