import Foundation
import GRDB
import RNNCore
import RNNData
import RNNEngine
import RNNTraining
import Spawn

/// How long a sweep will take on a number of workers: each trial's epochs times the seconds an epoch of its shape
/// takes, scheduled in trial order onto whichever worker is free first (as the coordinator does).
///
/// An epoch's seconds come from the database's history when it has epochs of the same shape (any sweep of it),
/// otherwise from a short calibration of the shape: a few training and evaluation batches on synthetic inputs of the
/// data's size, scaled to the epoch's batches.
public struct PlanEstimate: Sendable {
    public var seconds: Double
    public var workers: Int
    /// Successive halving or patience: the estimate is for the most it can train (every rung's survivors at their
    /// worst, every trial to its last epoch).
    public var upperBound: Bool
    public var shapesFromHistory: Int
    public var shapesCalibrated: Int
    public var historyEpochs: Int
    /// Trials left out because they need more memory than there is (``SweepMemory``): never calibrated.
    public var trialsTooLarge = 0
    /// Seconds this estimate's calibration took: a run calibrates the same shapes for its ETA before its first
    /// trial, so the estimate counts them once (0 when nothing was calibrated).
    public var calibrationSeconds = 0.0

    /// `≈ 29 min on 2 workers (estimate from 240 epochs of 4 shapes in r.sqlite; 1 shape calibrated)`.
    public func line(database: String?) -> String {
        var from: [String] = []
        if shapesFromHistory > 0 {
            from.append(
                "\(historyEpochs) recorded epochs of \(shapesFromHistory) shape(s) in \(database ?? "the database")")
        }
        if shapesCalibrated > 0 {
            from.append("a calibration of \(shapesCalibrated) shape(s), \(Self.calibrationBatches) batches each")
        }
        let source = from.isEmpty ? "" : " (estimate from \(from.joined(separator: " and ")))"
        let left = trialsTooLarge == 0 ? "" : "; \(trialsTooLarge) trial(s) left out: more memory than there is"
        let overhead = cost.map {
            let calibrating =
                calibrationSeconds > 0
                ? "; the run's own calibration ≈ \(Self.duration(calibrationSeconds)) before its first trial" : ""
            let start =
                calibrating
                + ($0.workerStart > 0
                    ? "; each worker ≈ \(Self.duration($0.workerStart)) to start (process, data), once" : "")
            let perEpoch =
                $0.epochOverhead > 0
                ? String(
                    format: "; each epoch ≈ %.2f ms beyond its steps (its event, its checkpoint's copy, its record)",
                    1000 * $0.epochOverhead) : ""
            return "\(start)\(perEpoch); each trial ≈ \(Self.duration($0.overhead)) beyond its epochs (start-up, "
                + "data, checkpoints, test; from \($0.overheadSource))"
        }
        // The seconds too when the rounded figure hides them (a plan is checked against the run's summary).
        let exact = seconds >= 90 ? " (\(Int(seconds.rounded())) s)" : ""
        return "\(upperBound ? "at most " : "")≈ \(Self.duration(seconds))\(exact) on \(workers) worker(s)" + source
            + (overhead ?? "") + left
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded())) min" }
        return String(format: "%.1f h", seconds / 3600)
    }

    /// Parameters that do not change how long an epoch takes: a shape is everything else.
    static let costFree: Set<String> = [
        "seed", "data_seed", "epochs", "learning_rate", "momentum", "nesterov", "patience", "patience_metric",
        "min_delta", "restore_best",
    ]
    static let calibrationBatches = 5
    static func shape(_ parameters: TrainingParameters) -> String {
        parameters.identityValues.filter { !costFree.contains($0.key) }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The cost model of a trial (``TrialCost``) used for the estimate; a deadline's plan reuses it.
    var cost: TrialCost?

    /// The estimate for `sweep` on `workers` workers of `threads` threads; `database` (when it exists) supplies
    /// the history.
    /// Trials that `memory` says do not fit are left out: calibrating them would allocate what cannot fit.
    /// `executable` (the `rnnsweep` binary) is started once with `--version` to measure a worker's start-up when
    /// the database has no trial overhead to learn from.
    public static func estimate(
        sweep all: ExpandedSweep, workers: Int, threads: Int, database: URL?, earlyStopping: EarlyStopping?,
        memory: SweepMemory? = nil, executable: URL? = nil
    ) throws -> PlanEstimate {
        var sweep = all
        sweep.trials = all.trials.filter { memory?.fits($0) ?? true }
        let clock = ContinuousClock()
        let calibrationStart = clock.now
        var (cost, counts) = try costModel(
            trials: sweep.trials, threads: threads, database: database, executable: executable)
        let (fromHistory, calibrated, historyEpochs) = counts
        let calibration = calibrated > 0 || cost.workerStart > 0 ? (clock.now - calibrationStart).seconds : 0
        // Calibrated per epoch, and no core left for the coordinator: its work for each epoch is the workers' too.
        if cost.epochOverhead > 0, workers * threads >= ProcessInfo.processInfo.activeProcessorCount,
            let first = sweep.trials.first, let task = Task(rawValue: first.parameters.string("task")),
            let coordinator = measureCoordinatorEpoch(
                metrics: task.metrics, validation: first.parameters.double("validation_split") > 0)
        {
            cost.epochOverhead += coordinator
        }
        let workers = max(workers, 1)
        var seconds: Double
        if let stopping = earlyStopping, let epochs = sweep.trials.first?.parameters.int("epochs") {
            // Which configurations survive is not known before: spread the most it can train evenly over them.
            let budget = stopping.mostEpochs(
                configurations: sweep.gridPointCount, seeds: sweep.seeds.count, epochs: epochs)
            let full = sweep.trials.reduce(0.0) {
                $0 + Double($1.parameters.int("epochs")) * (cost.epoch($1.parameters)! + cost.epochOverhead)
            }
            let fullEpochs = sweep.trials.reduce(0) { $0 + $1.parameters.int("epochs") }
            // Every run to a rung starts a worker again.
            let starts = sweep.trials.reduce(0.0) {
                $0 + Double(stopping.mostRungs(epochs: epochs)) * cost.overhead($1.parameters)
            }
            seconds = calibration + (full * Double(budget) / Double(max(fullEpochs, 1)) + starts) / Double(workers)
        } else {
            // Trials in order, each to the worker that is free first; each worker starts once.
            var free = [Double](repeating: calibration + cost.workerStart, count: workers)
            for trial in sweep.trials {
                let lane = free.indices.min { free[$0] < free[$1] }!
                free[lane] += cost.seconds(trial.parameters, epochs: trial.parameters.int("epochs"))
            }
            seconds = free.max() ?? 0
        }
        var result = PlanEstimate(
            // Patience may stop a trial before its epochs, which are counted in full.
            seconds: seconds, workers: workers,
            upperBound: earlyStopping != nil || sweep.trials.contains { $0.parameters.int("patience") > 0 },
            shapesFromHistory: fromHistory,
            shapesCalibrated: calibrated, historyEpochs: historyEpochs,
            trialsTooLarge: all.trials.count - sweep.trials.count)
        result.cost = cost
        result.calibrationSeconds = calibration
        return result
    }

    /// The cost model of `trials` (``TrialCost``): the history of `database`, and a calibration on this machine of
    /// each shape it has no epochs of and each data it has no trial overhead of. Also returns how many shapes came
    /// from the history (with how many epochs) and how many were calibrated.
    /// `history`, when given, stands for the database's (a run reads it through its own store).
    static func costModel(
        trials: [TrialSpec], threads: Int, database: URL?, executable: URL?, history given: TrialCost.History? = nil
    ) throws -> (TrialCost, (fromHistory: Int, calibrated: Int, historyEpochs: Int)) {
        let history = try given ?? database.map { try TrialCost.history($0) } ?? TrialCost.History()
        var perShape: [String: Double] = [:]
        var calibratedOverhead: [String: Double] = [:]
        var fromHistory = 0
        var calibrated = 0
        var historyEpochs = 0
        var loaded: [DatasetSpec: DatasetSplits] = [:]
        // Measured once, and only when some data has no recorded overhead.
        var launch: Double?
        var loading = 0.0
        var bookkeeping = 0.0
        for trial in trials {
            let key = shape(trial.parameters)
            let dataKey = TrialCost.dataKey(trial.parameters)
            if perShape[key] == nil, let recorded = history.epochs[key], !recorded.isEmpty {
                perShape[key] = median(recorded)
                fromHistory += 1
                historyEpochs += recorded.count
            }
            // The history's overheads (of this data, else of any) win; with none, each data is calibrated.
            let needsOverhead = history.overheads.isEmpty && calibratedOverhead[dataKey] == nil
            guard perShape[key] == nil || needsOverhead else { continue }
            // The coordinator traps these signals; a handler must not run on this thread inside oneDNN's kernels.
            let measured = try SignalTrap.withBlocked([SIGINT, SIGTERM, SIGHUP]) {
                try calibrate(trial.parameters, threads: threads, data: &loaded)
            }
            if perShape[key] == nil {
                perShape[key] = measured.epoch
                calibrated += 1
            }
            if needsOverhead {
                if launch == nil { launch = executable.map(measureLaunch) ?? 0 }
                calibratedOverhead[dataKey] = measured.overhead
                bookkeeping = max(bookkeeping, measured.bookkeeping)
            }
            loading = max(loading, measured.loading)
        }
        var cost = TrialCost(
            history: history, calibratedOverhead: calibratedOverhead.values.sorted().first ?? 0,
            calibratedSource: "a calibration on this machine")
        cost.epochSeconds.merge(perShape) { _, new in new }
        cost.overheadByData.merge(calibratedOverhead) { recorded, _ in recorded }
        if let launch { cost.workerStart = launch + loading }
        // A history's overheads hold its epochs' bookkeeping already.
        if history.overheads.isEmpty { cost.epochOverhead = bookkeeping }
        return (cost, (fromHistory, calibrated, historyEpochs))
    }

    /// Seconds to start the `rnnsweep` binary and have it exit (`--version`): a worker's process start-up on this
    /// machine, measured rather than assumed.
    static func measureLaunch(_ executable: URL) -> Double {
        let process = ChildProcess(executableURL: executable, arguments: ["--version"])
        process.standardOutput = .nullDevice
        process.standardError = .nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        guard (try? process.run()) != nil else { return 0 }
        process.waitUntilExit()
        return (clock.now - start).seconds
    }

    /// Seconds of one epoch of `parameters`' shape, from a few timed batches on synthetic inputs of the data's size,
    /// what a trial of it costs beyond its epochs that can be measured here (its test pass, the test batches at the
    /// measured evaluation speed, its last checkpoint, and building its model and optimizer), what each epoch costs
    /// beyond its steps (``measureEpochBookkeeping(metrics:validation:floats:)``), and reading its data (timed, when
    /// not already read), which a worker pays once. The checkpoints after the other epochs cost an epoch nothing it
    /// waits for: they are written in the background, in at most `CheckpointWriter.writeShare` of the time, which the
    /// epoch carries.
    static func calibrate(
        _ parameters: TrainingParameters, threads: Int, data loaded: inout [DatasetSpec: DatasetSplits]
    ) throws -> (epoch: Double, overhead: Double, loading: Double, bookkeeping: Double) {
        let config = try TrainingConfig(parameters: parameters)
        let clock = ContinuousClock()
        let start = clock.now
        let data = try loaded[config.dataset] ?? DatasetLoader.load(config.dataset)
        let loading = loaded[config.dataset] == nil ? (clock.now - start).seconds : 0
        // One data set held at a time, as a trial holds: several large ones together might not fit where each does.
        loaded = [config.dataset: data]
        let architecture = try config.model(shape: data.inputShape)
        let batch = parameters.int("batch_size")
        let result = try EngineBenchmark.run(
            architecture: architecture, name: "", units: 0, batchSize: batch, batches: calibrationBatches,
            warmup: 1, threads: threads)
        let trainBatches = (data.train.count + batch - 1) / batch
        let evalBatches = ((data.validation?.count ?? 0) + batch - 1) / batch
        let testBatches = (data.test.count + batch - 1) / batch
        let train = Double(trainBatches) * result.trainMillisecondsPerBatch
        let evaluate = Double(evalBatches) * result.evalMillisecondsPerBatch
        let test = Double(testBatches) * result.evalMillisecondsPerBatch
        // The last checkpoint, which the attempt's end waits for: the weights and the optimizer's slots, written
        // durably as `Checkpoint.save` writes them.
        let memory = architecture.memory(maxBatch: batch)
        let checkpointBytes = 4 * (memory.parameters + config.optimizer.slotFloats(parameters: memory.parameters))
        let checkpoint = measureCheckpoint(bytes: Int(checkpointBytes))
        // Each trial builds its model and optimizer (a worker keeps only its data between trials).
        let buildStart = clock.now
        let model = try architecture.makeModel(maxBatch: batch, seed: config.seed)
        _ = try config.optimizer.make(for: model.parameters)
        let build = (clock.now - buildStart).seconds
        let bookkeeping = measureEpochBookkeeping(
            metrics: data.inputShape.task.metrics, validation: data.validation != nil, floats: Int(checkpointBytes / 4))
        return (
            (train + evaluate) / 1000 * (1 + CheckpointWriter.writeShare), test / 1000 + checkpoint + build, loading,
            bookkeeping
        )
    }

    /// Seconds of one durable atomic write of `bytes` (temporary file, fsync, rename, fsync of the folder) in the
    /// temporary folder, the second of two (the first pays for creating the file); 0 when it cannot be written.
    static func measureCheckpoint(bytes: Int) -> Double {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-calibration-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil
        else { return 0 }
        let data = [UInt8](repeating: 0, count: max(bytes, 1))
        let path = folder.appendingPathComponent("checkpoint").path
        var seconds = 0.0
        for _ in 0..<2 {
            let clock = ContinuousClock()
            let start = clock.now
            guard (try? AtomicFile.write(data, to: path, durable: true)) != nil else { return 0 }
            seconds = (clock.now - start).seconds
        }
        return seconds
    }

    static func median(_ values: [Double]) -> Double { median(sorted: values.sorted()) }

    static func median(sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
