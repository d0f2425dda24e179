import Foundation
import GRDB
import RNNData
import RNNEngine
import RNNTraining

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
        return "\(upperBound ? "at most " : "")≈ \(Self.duration(seconds)) on \(workers) worker(s)" + source + left
    }

    static func duration(_ seconds: Double) -> String {
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
    /// Per trial, beyond its epochs: starting the worker, building the model, the test pass.
    static let overheadSeconds = 0.5

    static func shape(_ parameters: TrainingParameters) -> String {
        parameters.identityValues.filter { !costFree.contains($0.key) }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The estimate for `sweep` on `workers` workers of `threads` threads; `database` (when it exists) supplies
    /// the history.
    /// Trials that `memory` says do not fit are left out: calibrating them would allocate what cannot fit.
    public static func estimate(
        sweep all: ExpandedSweep, workers: Int, threads: Int, database: URL?, earlyStopping: EarlyStopping?,
        memory: SweepMemory? = nil
    ) throws -> PlanEstimate {
        var sweep = all
        sweep.trials = all.trials.filter { memory?.fits($0) ?? true }
        let history = try database.map(recordedEpochSeconds) ?? [:]
        var perShape: [String: Double] = [:]
        var fromHistory = 0
        var calibrated = 0
        var historyEpochs = 0
        var loaded: [DatasetSpec: DatasetSplits] = [:]
        for trial in sweep.trials {
            let key = shape(trial.parameters)
            guard perShape[key] == nil else { continue }
            if let recorded = history[key], !recorded.isEmpty {
                perShape[key] = median(recorded)
                fromHistory += 1
                historyEpochs += recorded.count
            } else {
                perShape[key] = try calibrate(trial.parameters, threads: threads, data: &loaded)
                calibrated += 1
            }
        }
        let workers = max(workers, 1)
        var seconds: Double
        if let stopping = earlyStopping, let epochs = sweep.trials.first?.parameters.int("epochs") {
            // Which configurations survive is not known before: spread the most it can train evenly over them.
            let budget = stopping.mostEpochs(
                configurations: sweep.gridPointCount, seeds: sweep.seeds.count, epochs: epochs)
            let full = sweep.trials.reduce(0.0) {
                $0 + Double($1.parameters.int("epochs")) * perShape[shape($1.parameters)]!
            }
            let fullEpochs = sweep.trials.reduce(0) { $0 + $1.parameters.int("epochs") }
            let starts = Double(sweep.trials.count * stopping.mostRungs(epochs: epochs))
            seconds = (full * Double(budget) / Double(max(fullEpochs, 1)) + starts * overheadSeconds) / Double(workers)
        } else {
            // Trials in order, each to the worker that is free first.
            var free = [Double](repeating: 0, count: workers)
            for trial in sweep.trials {
                let cost = Double(trial.parameters.int("epochs")) * perShape[shape(trial.parameters)]! + overheadSeconds
                let lane = free.indices.min { free[$0] < free[$1] }!
                free[lane] += cost
            }
            seconds = free.max() ?? 0
        }
        return PlanEstimate(
            // Patience may stop a trial before its epochs, which are counted in full.
            seconds: seconds, workers: workers,
            upperBound: earlyStopping != nil || sweep.trials.contains { $0.parameters.int("patience") > 0 },
            shapesFromHistory: fromHistory,
            shapesCalibrated: calibrated, historyEpochs: historyEpochs,
            trialsTooLarge: all.trials.count - sweep.trials.count)
    }

    /// Every recorded epoch's seconds, by shape, from every sweep of the database (read only; a file that is not a
    /// database gives no history).
    static func recordedEpochSeconds(_ url: URL) throws -> [String: [Double]] {
        guard FileManager.default.fileExists(atPath: url.path),
            let store = try? MetricsStore.openExisting(at: url)
        else { return [:] }
        var result: [String: [Double]] = [:]
        var shapes: [String: String] = [:]
        try store.pool.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.params AS params, e.seconds AS seconds FROM epochs e
                    JOIN trials t ON t.sweep_id = e.sweep_id AND t.id = e.trial_id
                    """)
            while let row = try rows.next() {
                let json: String = row["params"]
                guard let seconds: Double = row["seconds"], seconds > 0 else { continue }
                if shapes[json] == nil {
                    guard let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(json.utf8))
                    else { continue }
                    shapes[json] = shape(parameters)
                }
                result[shapes[json]!, default: []].append(seconds)
            }
        }
        return result
    }

    /// Seconds of one epoch of `parameters`' shape, from a few timed batches on synthetic inputs of the data's size.
    static func calibrate(
        _ parameters: TrainingParameters, threads: Int, data loaded: inout [DatasetSpec: DatasetSplits]
    ) throws -> Double {
        let config = try TrainingConfig(parameters: parameters)
        let data = try loaded[config.dataset] ?? DatasetLoader.load(config.dataset)
        // One data set held at a time, as a trial holds: several large ones together might not fit where each does.
        loaded = [config.dataset: data]
        let architecture = try config.model(shape: data.inputShape)
        let batch = parameters.int("batch_size")
        let result = try EngineBenchmark.run(
            architecture: architecture, name: "", units: 0, batchSize: batch, batches: calibrationBatches,
            warmup: 1, threads: threads)
        let trainBatches = (data.train.count + batch - 1) / batch
        let evalBatches = ((data.validation?.count ?? 0) + batch - 1) / batch
        let train = Double(trainBatches) * result.trainMillisecondsPerBatch
        let evaluate = Double(evalBatches) * result.evalMillisecondsPerBatch
        return (train + evaluate) / 1000
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
