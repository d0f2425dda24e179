import Foundation
import GRDB
import RNNTraining

/// A trial to register: one grid point × seed, identified by a stable hash of its resolved parameters.
public struct NewTrial: Sendable, Equatable {
    /// Stable 16-hex-digit hash of the resolved parameters.
    public var id: String
    /// Position in the expanded trial list (run order).
    public var ordinal: Int
    /// Index of the grid point (seeds folded).
    public var gridPoint: Int
    public var seed: Int
    /// Flat JSON object of resolved parameters (snake_case keys → scalars).
    public var paramsJSON: String
    /// The fingerprint of the trial's data files; nil for generated data.
    public var dataFingerprint: String?
    /// What the data check warned of (``SweepData/DataSet/warnings``).
    public var dataWarnings: [String]

    public init(
        id: String, ordinal: Int, gridPoint: Int, seed: Int, paramsJSON: String, dataFingerprint: String? = nil,
        dataWarnings: [String] = []
    ) {
        self.id = id
        self.ordinal = ordinal
        self.gridPoint = gridPoint
        self.seed = seed
        self.paramsJSON = paramsJSON
        self.dataFingerprint = dataFingerprint
        self.dataWarnings = dataWarnings
    }
}

/// One row of `trials`.
public struct TrialRow: Sendable, Equatable {
    public var sweepID: SweepID
    public var id: String
    public var ordinal: Int
    public var gridPoint: Int
    public var seed: Int
    public var paramsJSON: String
    public var status: TrialStatus
    /// How many times the trial was started.
    public var attempts: Int
    public var workerPID: Int?
    public var startedAt: String?
    public var finishedAt: String?
    /// Wall-clock seconds of the last attempt, as reported by the worker.
    public var seconds: Double?
    public var exitStatus: Int?
    /// The signal that killed the worker, if any.
    public var signal: Int?
    public var error: String?
    public var stderrTail: String?
    /// The latest epoch recorded for the running/last attempt.
    public var lastEpoch: Int?
    /// The test metrics the trial recorded (`test_loss`, `test_accuracy` or `test_mae`, …); empty before it ends.
    public var test: [Metric: Double]
    /// Shorthands of a classification trial's test metrics.
    public var testLoss: Double? { test[.loss] }
    public var testAccuracy: Double? { test[.accuracy] }
    /// Things to know that are not errors (a checkpoint moved aside), one per line.
    public var notes: String?
    /// The fingerprint of the data files the trial read (``DataFingerprint``); nil for generated data, and for a
    /// trial registered before fingerprints that no run has matched with its data yet.
    public var dataFingerprint: String?
    /// A completed classifier's test confusion matrix, `[true class][predicted class]` counts; nil otherwise (and
    /// for trials completed before it was recorded).
    public var testConfusion: [[Int]]?
    /// The model's trainable parameter count as its worker reported it (``StoreSchema/v8ParameterCount``); nil when
    /// no attempt started since it was recorded.
    public var parameterCount: Int?
    /// What the data check warned of when the trial was registered (a validation split missing a class).
    public var dataWarnings: [String]
    /// When the latest registration of the sweep stopped expanding to this trial (``StoreSchema/v10SupersededTrials``);
    /// nil for a trial of the sweep's current definition.
    public var supersededAt: String?
    /// Whether the sweep's current definition no longer has this trial.
    public var isSuperseded: Bool { supersededAt != nil }
    /// How patience ended the trial (v11 columns; empty before, and without patience).
    public var patience = PatienceEnding()
    /// Where the attempt that ran epoch 1 ran and what ran it; nil when not recorded (never started, or run by an
    /// rnnsweep before 0.6.0).
    public var provenance: Provenance?
    /// Resumes that ran with other result bits than the attempt before them, oldest first.
    public var resumedOn: [ProvenanceResume]

    init(row: Row) throws {
        sweepID = SweepID(rawValue: row["sweep_id"])
        id = row["id"]
        ordinal = row["ordinal"]
        gridPoint = row["grid_point"]
        seed = row["seed"]
        paramsJSON = row["params"]
        let statusText: String = row["status"]
        // The CHECK constraint makes this unreachable unless the file was edited without constraints.
        guard let status = TrialStatus(rawValue: statusText) else {
            throw MetricsStoreError.badJSON(column: "trials.status", detail: "unknown status \(statusText)")
        }
        self.status = status
        attempts = row["attempts"]
        workerPID = row["worker_pid"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        seconds = try MetricValue.read(row, "seconds")
        exitStatus = row["exit_status"]
        signal = row["signal"]
        error = row["error"]
        stderrTail = row["stderr_tail"]
        lastEpoch = row["last_epoch"]
        var test: [Metric: Double] = [:]
        for key in MetricColumns.test {
            // A database before v6 read without migrating has no regression columns.
            guard row.hasColumn(key.recordName) else { continue }
            test[key.metric] = try MetricValue.read(row, key.recordName)
        }
        self.test = test
        notes = row["notes"]
        dataFingerprint = row["data_fingerprint"]
        // A database before v8 read without migrating has no such column.
        parameterCount = row.hasColumn("param_count") ? row["param_count"] : nil
        // A database before v10 read without migrating has no such column.
        supersededAt = row.hasColumn("superseded_at") ? row["superseded_at"] : nil
        // A database before v11 read without migrating has no such columns.
        if row.hasColumn("patience_stopped_epoch") {
            patience = PatienceEnding(
                stoppedEpoch: row["patience_stopped_epoch"], bestEpoch: row["best_epoch"],
                restoredEpoch: row["restored_epoch"])
        }
        dataWarnings = (row["data_warnings"] as String?).map { $0.components(separatedBy: "\n") } ?? []
        if let json: String = row["test_confusion"] {
            do { testConfusion = try JSONDecoder().decode([[Int]].self, from: Data(json.utf8)) } catch {
                throw MetricsStoreError.badJSON(column: "trials.test_confusion of \(id)", detail: "\(error)")
            }
        }
        provenance = Self.provenance(row)
        if let json: String = row["resumed_on"] {
            do {
                resumedOn = try JSONDecoder().decode([ProvenanceResume].self, from: Data(json.utf8))
            } catch {
                throw MetricsStoreError.badJSON(column: "trials.resumed_on of \(id)", detail: "\(error)")
            }
        } else {
            resumedOn = []
        }
    }

    /// The provenance columns; a row without `rnnsweep_version` has none (the columns are written together).
    /// The stored form of a confusion matrix: `[[12,0],[1,9]]`.
    static func confusionJSON(_ matrix: [[Int]]) -> String {
        String(decoding: try! JSONEncoder().encode(matrix), as: UTF8.self)  // integers always encode
    }

    private static func provenance(_ row: Row) -> Provenance? {
        guard let version: String = row["rnnsweep_version"] else { return nil }
        let dirty: Int? = row["rnnsweep_dirty"]
        return Provenance(
            build: BuildIdentity(version: version, commit: row["rnnsweep_commit"], dirty: dirty == 1),
            host: row["host"] ?? "unknown host", cpuModel: row["cpu_model"], kernels: row["kernels"] ?? "unknown",
            backend: row["backend"] ?? "unknown backend", threads: row["threads"] ?? 1)
    }

    /// Where each part of the trial ran, in order: the start (nil when not recorded), then each resume with other
    /// result bits.
    public var provenanceChain: [Provenance?] { [provenance] + resumedOn.map(\.provenance) }

    /// Whether the trial has results a report shows (an epoch recorded, or test metrics).
    public var hasResults: Bool { lastEpoch != nil || !test.isEmpty }
}
