import Foundation
import GRDB
import RNNTraining

/// What one trial costs, in seconds: the one cost model of `plan`'s estimate, the live ETA and a run's deadline.
///
/// seconds = overhead + gap + epochs it will train in this run × (seconds of one epoch of its shape + `epochOverhead`),
/// where
/// - an epoch's seconds are what the trainer times as the epoch row's `seconds`: its training batches and its
///   validation pass (the checkpoint written after it is not inside them);
/// - the overhead is everything else a trial costs: the worker's start-up, reading the data, building the model,
///   the checkpoints after each epoch and the test pass;
/// - the gap is what its worker waits between it and its next trial: the coordinator records the end and sends the
///   next request.
///
/// Learned from a database: an epoch's seconds per shape are the mean of its recorded epochs (any sweep): the
/// epochs that a core shared with others stretched are real time too (on small data, with two workers on two cores,
/// their tail made the mean 1.19 times the median); the overhead is the median, over the completed trials of the same
/// data (the same data parameters: the same set, the same size) that ran in one attempt, of their wall time from
/// start to finish (`started_at` → `finished_at`, the coordinator's stamps) minus their epochs' seconds; with no such
/// trial of the same data, the median over every such trial of the database. Rows whose epochs exceed their wall
/// time (results copied from another sweep) are not measurements and are skipped. The gap is the median of the times between one trial's finish and the next start on
/// the same local worker process. What a database does not hold is calibrated on this machine (``PlanEstimate``).
public struct TrialCost: Sendable {
    /// Seconds of one epoch, by shape (``PlanEstimate/shape(_:)``).
    var epochSeconds: [String: Double] = [:]
    /// Seconds beyond the epochs, by data (``dataKey(_:)``).
    var overheadByData: [String: Double] = [:]
    /// The overhead for data with none of its own.
    var overhead: Double
    /// Where `overhead` came from, for the plan's line.
    var overheadSource: String
    /// Seconds a worker pays once, not per trial (workers stay and keep their data set): its process start-up and
    /// reading the data. Calibrated; 0 with a history, whose first trials on each worker hold it.
    var workerStart = 0.0
    /// Seconds each epoch costs beyond its timed steps: its event, encoded and decoded, and its checkpoint's copy of
    /// the model (``PlanEstimate/measureEpochBookkeeping(metrics:validation:floats:)``), and, when the workers leave
    /// the coordinator no core, the coordinator's record of it
    /// (``PlanEstimate/measureCoordinatorEpoch(metrics:validation:)``).
    /// Calibrated; 0 with a history or a run's own measurements, whose overheads (wall time minus epochs) hold it.
    var epochOverhead = 0.0
    /// Seconds a worker waits between two trials (``TrialCost``); nil when neither a history nor a calibration said.
    var trialGap: Double?
    /// How much longer a calibrated epoch took with every worker training at once than alone (measured on real
    /// trials, ``PlanEstimate/measureWorkerTrials(_:epochs:wholeData:executable:threads:workers:dataCache:)``); 1
    /// when not measured. Already in `epochSeconds`: kept for the plan to show.
    var contention = 1.0

    /// The data parameters of a trial: trials with the same key read the same data, of the same size.
    static func dataKey(_ parameters: TrainingParameters) -> String {
        let names = Set(ParameterSchema.names(in: .data))
        return parameters.identityValues.filter { names.contains($0.key) }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Seconds of one epoch of `parameters`' shape, when known.
    func epoch(_ parameters: TrainingParameters) -> Double? { epochSeconds[PlanEstimate.shape(parameters)] }

    /// Seconds beyond the epochs for a trial of `parameters`' data, with the gap before its worker's next trial.
    func overhead(_ parameters: TrainingParameters) -> Double {
        (overheadByData[Self.dataKey(parameters)] ?? overhead) + (trialGap ?? 0)
    }

    /// Seconds a run of `parameters` costs that trains `epochs` epochs (to its rung under halving); a shape with
    /// no known epoch time costs its overhead alone.
    func seconds(_ parameters: TrainingParameters, epochs: Int) -> Double {
        overhead(parameters) + Double(max(epochs, 0)) * (epoch(parameters).map { $0 + epochOverhead } ?? 0)
    }

    /// What a database's history says: epoch seconds by shape, and overheads by data.
    struct History: Sendable {
        var epochs: [String: [Double]] = [:]
        var overheads: [String: [Double]] = [:]
        /// Seconds between a trial's finish and the next start on the same worker process.
        var gaps: [Double] = []

        var allOverheads: [Double] { overheads.keys.sorted().flatMap { overheads[$0]! } }
    }

    /// Reads the history of every sweep of the database at `url` (read only; a missing file or one that is not a
    /// database gives none).
    static func history(_ url: URL) throws -> History {
        guard FileManager.default.fileExists(atPath: url.path), let store = try? MetricsStore.openExisting(at: url)
        else { return History() }
        return try history(store)
    }

    /// Reads the history of every sweep of `store` (a run reads it through its own connection: another one,
    /// opened and closed while concurrent runs create the database, left their read-back a disk I/O error).
    static func history(_ store: MetricsStore) throws -> History {
        var history = History()
        var decoded: [String: TrainingParameters?] = [:]
        func parameters(_ json: String) -> TrainingParameters? {
            if let known = decoded[json] { return known }
            let value = try? JSONDecoder().decode(TrainingParameters.self, from: Data(json.utf8))
            decoded[json] = value
            return value
        }
        let stamps = ISO8601DateFormatter()
        stamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try store.pool.read { db in
            let epochs = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.params AS params, e.seconds AS seconds FROM epochs e
                    JOIN trials t ON t.sweep_id = e.sweep_id AND t.id = e.trial_id
                    """)
            while let row = try epochs.next() {
                guard let seconds: Double = row["seconds"], seconds > 0, let p = parameters(row["params"]) else {
                    continue
                }
                history.epochs[PlanEstimate.shape(p), default: []].append(seconds)
            }
            let trials = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.params AS params, t.started_at AS started, t.finished_at AS finished,
                        (SELECT SUM(e.seconds) FROM epochs e WHERE e.sweep_id = t.sweep_id AND e.trial_id = t.id)
                        AS epochs, t.sweep_id AS sweep, t.worker_pid AS pid
                    FROM trials t WHERE t.status = 'completed' AND t.attempts = 1
                    ORDER BY t.sweep_id, t.ordinal
                    """)
            // Each local worker process's trials by start, for the gaps between them.
            var byWorker: [String: [(start: Date, finish: Date)]] = [:]
            while let row = try trials.next() {
                guard let started: String = row["started"], let finished: String = row["finished"],
                    let from = stamps.date(from: started), let to = stamps.date(from: finished),
                    let p = parameters(row["params"])
                else { continue }
                let epochSeconds: Double = row["epochs"] ?? 0
                let overhead = to.timeIntervalSince(from) - epochSeconds
                guard overhead >= 0 else { continue }
                history.overheads[dataKey(p), default: []].append(overhead)
                if let pid: Int64 = row["pid"], let sweep: Int64 = row["sweep"] {
                    byWorker["\(sweep)/\(pid)", default: []].append((from, to))
                }
            }
            for runs in byWorker.values {
                let sorted = runs.sorted { $0.start < $1.start }
                for (done, next) in zip(sorted, sorted.dropFirst()) where next.start >= done.finish {
                    history.gaps.append(next.start.timeIntervalSince(done.finish))
                }
            }
        }
        return history
    }

    /// The model from a history alone; `calibratedOverhead` (with its source) stands in when it has no overhead.
    init(history: History, calibratedOverhead: Double, calibratedSource: String) {
        epochSeconds = history.epochs.compactMapValues { $0.isEmpty ? nil : PlanEstimate.mean($0) }
        overheadByData = history.overheads.compactMapValues { $0.isEmpty ? nil : PlanEstimate.median($0) }
        trialGap = history.gaps.isEmpty ? nil : PlanEstimate.median(history.gaps)
        let all = history.allOverheads
        if all.isEmpty {
            overhead = calibratedOverhead
            overheadSource = calibratedSource
        } else {
            overhead = PlanEstimate.median(all)
            overheadSource = "\(all.count) recorded trial(s)"
        }
    }

    /// A model with given figures (tests, and a run's own measurements).
    init(epochSeconds: [String: Double], overhead: Double, overheadByData: [String: Double] = [:]) {
        self.epochSeconds = epochSeconds
        self.overhead = overhead
        self.overheadByData = overheadByData
        overheadSource = "given"
    }
}
