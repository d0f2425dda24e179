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
    /// Seconds the run takes to start before it calibrates: its process, and creating its database (measured: a
    /// start of the binary, and a temporary database).
    public var runStartSeconds = 0.0

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
                (runStartSeconds > 0
                    ? "; the run's own start ≈ \(Self.duration(runStartSeconds)) (process, database)" : "")
                + (calibrationSeconds > 0
                    ? "; the run's own calibration ≈ \(Self.duration(calibrationSeconds)) before its first trial" : "")
            let start =
                calibrating
                + ($0.workerStart > 0
                    ? "; each worker ≈ \(Self.duration($0.workerStart)) to start (process, data), once" : "")
            let shared =
                $0.contention > 1.005
                ? "; each epoch ×\(MetricLine.fixed($0.contention, digits: 2)) with the workers sharing the cores "
                    + "(measured on real trials)" : ""
            let perEpoch =
                shared
                + ($0.epochOverhead > 0
                    ? "; each epoch ≈ \(MetricLine.fixed(1000 * $0.epochOverhead, digits: 2)) ms beyond its steps (its "
                        + "event, its checkpoint's copy, its record)" : "")
            let gap = $0.trialGap.map { "; ≈ \(Self.duration($0)) between two trials (the coordinator's records)" }
            return "\(start)\(perEpoch); each trial ≈ \(Self.duration($0.overhead)) beyond its epochs (start-up, "
                + "data, checkpoints, test; from \($0.overheadSource))\(gap ?? "")"
        }
        // The seconds too when the rounded figure hides them (a plan is checked against the run's summary).
        let exact = seconds >= 90 ? " (\(Int(seconds.rounded())) s)" : ""
        return "\(upperBound ? "at most " : "")≈ \(Self.duration(seconds))\(exact) on \(workers) worker(s)" + source
            + (overhead ?? "") + left
    }

    static func duration(_ seconds: Double) -> String {
        // A trial's overhead on small data is a few milliseconds: "0.0 s" said nothing.
        if seconds < 0.0095 { return String(format: "%.1f ms", 1000 * seconds) }
        if seconds < 0.095 { return "\(Int((1000 * seconds).rounded())) ms" }
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
            trials: sweep.trials, threads: threads, database: database, executable: executable, workerTrials: true,
            workers: workers)
        let (fromHistory, calibrated, historyEpochs, workerTrialSeconds) = counts
        // What the run calibrates before its first trial: the same, without the real worker trials.
        let calibration =
            calibrated > 0 || cost.workerStart > 0
            ? (clock.now - calibrationStart).seconds - workerTrialSeconds : 0
        // The coordinator's own costs, measured in a temporary database: its start; the records of a trial's end and
        // the next one's start, which a worker waits for (unless a history said); and, calibrated per epoch with no
        // core left for the coordinator, its work for each epoch, which is the workers' too.
        let coordinator = sweep.trials.first.flatMap { first in
            Task(rawValue: first.parameters.string("task")).flatMap {
                measureCoordinator(metrics: $0.metrics, validation: first.parameters.double("validation_split") > 0)
            }
        }
        if let coordinator {
            if cost.trialGap == nil { cost.trialGap = coordinator.trial }
            if cost.epochOverhead > 0, workers * threads >= ProcessInfo.processInfo.activeProcessorCount {
                cost.epochOverhead += coordinator.epoch
            }
        }
        // Before anything else, the run starts: its process, and its database (created, the trials registered).
        let runStart = (executable.map(measureLaunch) ?? 0) + (coordinator?.setup ?? 0)
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
            seconds =
                runStart + calibration + (full * Double(budget) / Double(max(fullEpochs, 1)) + starts) / Double(workers)
        } else {
            // Trials in order, each to the worker that is free first; each worker starts once.
            var free = [Double](repeating: runStart + calibration + cost.workerStart, count: workers)
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
        result.runStartSeconds = runStart
        return result
    }

    /// The cost model of `trials` (``TrialCost``): the history of `database`, and a calibration on this machine of
    /// each shape it has no epochs of and each data it has no trial overhead of. Also returns how many shapes came
    /// from the history (with how many epochs) and how many were calibrated, and the seconds spent on real worker
    /// trials.
    /// `history`, when given, stands for the database's (a run reads it through its own store).
    /// With `workerTrials`, a data's trial overhead and a worker's start are measured on short real trials of a
    /// worker started from `executable` (``measureWorkerTrials(_:epochs:wholeData:executable:threads:workers:dataCache:)``); without,
    /// they are estimated from their parts (``calibrate(_:threads:data:)``, a start of `executable` with
    /// `--version`), which is quicker, for a run's ETA that learns the real figures from the run's first trials.
    static func costModel(
        trials: [TrialSpec], threads: Int, database: URL?, executable: URL?, workerTrials: Bool = false,
        workers: Int = 1, history given: TrialCost.History? = nil
    ) throws -> (TrialCost, (fromHistory: Int, calibrated: Int, historyEpochs: Int, workerTrialSeconds: Double)) {
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
        // From real worker trials, when measured: these replace the estimates from parts.
        var workerStart: Double?
        var contention: [String: Double] = [:]
        var calibratedShapes: [String: String] = [:]
        var workerTrialSeconds = 0.0
        let clock = ContinuousClock()
        for trial in trials {
            let key = shape(trial.parameters)
            let dataKey = TrialCost.dataKey(trial.parameters)
            if perShape[key] == nil, let recorded = history.epochs[key], !recorded.isEmpty {
                perShape[key] = mean(recorded)
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
                calibratedShapes[key] = dataKey
                calibrated += 1
            }
            if needsOverhead {
                let start = clock.now
                // The trial's epochs, as many as fit in a few hundredths of a second of steps: whole ones when they
                // are short, else of two batches.
                let wholeData = measured.epoch <= workerTrialWholeEpoch
                let epochs = min(
                    trial.parameters.int("epochs"),
                    Int(workerTrialSteps / max(wholeData ? measured.epoch : 2 * measured.trainBatch, 1e-6)))
                let real =
                    workerTrials
                    ? executable.flatMap {
                        measureWorkerTrials(
                            trial.parameters, epochs: epochs, wholeData: wholeData, executable: $0, threads: threads,
                            workers: workers,
                            dataCache: database.map(SweepData.cacheDirectory(database:)))
                    } : nil
                workerTrialSeconds += (clock.now - start).seconds
                if let real {
                    workerStart = max(workerStart ?? 0, real.start)
                    contention[dataKey] = real.contention
                } else if launch == nil {
                    launch = executable.map(measureLaunch) ?? 0
                }
                // The real trials' epochs carried their bookkeeping, which `epochOverhead` counts per epoch.
                calibratedOverhead[dataKey] =
                    real.map { max(0, $0.overhead - Double(max(1, epochs)) * measured.bookkeeping) }
                    ?? measured.overhead
                bookkeeping = max(bookkeeping, measured.bookkeeping)
            }
            loading = max(loading, measured.loading)
        }
        var cost = TrialCost(
            history: history, calibratedOverhead: calibratedOverhead.values.sorted().first ?? 0,
            calibratedSource: workerStart == nil ? "a calibration on this machine" : "short real trials on this machine"
        )
        // A calibrated epoch is one alone on the machine; the workers that share its cores stretch it as they
        // stretched the real trials of its data.
        for (key, dataKey) in calibratedShapes { perShape[key]! *= contention[dataKey] ?? 1 }
        cost.epochSeconds.merge(perShape) { _, new in new }
        cost.contention = contention.values.max() ?? 1
        cost.overheadByData.merge(calibratedOverhead) { recorded, _ in recorded }
        if let launch { cost.workerStart = launch + loading }
        if let workerStart { cost.workerStart = max(cost.workerStart, workerStart) }
        // A history's overheads hold its epochs' bookkeeping already.
        if history.overheads.isEmpty { cost.epochOverhead = bookkeeping }
        return (cost, (fromHistory, calibrated, historyEpochs, workerTrialSeconds))
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
    /// beyond its steps (``measureEpochBookkeeping(metrics:validation:floats:)``), reading its data (timed, when not
    /// already read), which a worker pays once, and the seconds of one training batch. The checkpoints after the
    /// other epochs cost an epoch nothing it waits for: they are written in the background, in at most
    /// `CheckpointWriter.writeShare` of the time, which the epoch carries.
    static func calibrate(
        _ parameters: TrainingParameters, threads: Int, data loaded: inout [DatasetSpec: DatasetSplits]
    ) throws -> (epoch: Double, overhead: Double, loading: Double, bookkeeping: Double, trainBatch: Double) {
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
            bookkeeping, result.trainMillisecondsPerBatch / 1000
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

    /// The arithmetic mean of `values` (not empty).
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func median(sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
