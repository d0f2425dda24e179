import Foundation

/// Where a sweep's results come from, for the HTML report: the experiment file as written, the command that
/// ran it, the machine, and the wall time of the trials shown.
public struct SweepProvenance: Sendable, Equatable {
    /// Text for a fact the database does not hold.
    public static let notRecorded = "not recorded"

    public var experimentPath: String?
    public var experimentText: String?
    public var command: String?
    public var machine: String
    public var wallTime: WallTime?
    /// Each version of data files the shown trials read: fingerprint, summary, files, trials; empty for generated
    /// data only.
    public var data: [String]
    /// The earlier sweeps and trials a TPE warm start used (``WarmStart``), nil without one.
    public var warmStart: String?
    /// How busy the latest local run kept its workers (0…1, ``WorkerBusyTime``); nil when not measured.
    public var busyFraction: Double?

    /// Elapsed time from the earliest trial start to the latest trial end, and the trials' own seconds summed.
    public struct WallTime: Sendable, Equatable {
        public var firstStart: String
        public var lastFinish: String
        public var elapsedSeconds: Double
        /// Σ `trials.seconds` (each trial's last attempt, as its worker measured it) and how many trials had it.
        public var trialSeconds: Double
        public var timedTrials: Int
        /// Trials that have started but not finished (running, or stale).
        public var unfinished: Int
    }

    public init(source: ReportSource) {
        experimentPath = source.sweep.experimentPath
        experimentText = source.sweep.experimentText
        command = source.sweep.command
        machine = Self.machine(for: source)
        wallTime = Self.wallTime(source.trials.map(\.row))
        data = Self.data(DataVersionsUsed(rows: source.trials.map(\.row), known: source.data.knownVersions))
        warmStart = WarmStart.Stored(experimentJSON: source.sweep.experimentJSON).map { stored in
            "from \(stored.sweeps.joined(separator: ", ")): \(stored.trials.count) trial(s)"
                + (stored.trials.isEmpty ? "" : " (\(stored.trials.joined(separator: ", ")))")
        }
        busyFraction = source.sweep.busyFraction
    }

    /// One line per data version: `fingerprint 3f2a9c1d0b7e…: summary; files; trials #1–#12`.
    static func data(_ used: DataVersionsUsed) -> [String] {
        guard used.entries.contains(where: { $0.fingerprint != nil }) else { return [] }
        return used.entries.map { entry in
            guard let fingerprint = entry.fingerprint else {
                return "not recorded (registered before data fingerprints, not run since): trials "
                    + SweepData.ranges(entry.ordinals)
            }
            var line = "fingerprint \(fingerprint)"
            if let version = entry.version {
                line += ": \(version.summary); \(version.sources.joined(separator: ", "))"
            }
            return line + "; trials " + SweepData.ranges(entry.ordinals)
        }
    }

    /// What the trials ran on, from their recorded provenance (``MachineSummary/description``): CPU kind, build,
    /// threads and hosts, with trial counts where they differ; "not recorded" for trials of an older rnnsweep —
    /// never a guess from the machine that renders the report.
    static func machine(for source: ReportSource) -> String {
        MachineSummary(trials: source.trials.map(\.row)).description
    }

    /// Nil when no trial has both a start and an end.
    static func wallTime(_ trials: [TrialRow]) -> WallTime? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func date(_ text: String?) -> Date? { text.flatMap { formatter.date(from: $0) } }
        let starts = trials.compactMap { trial in date(trial.startedAt).map { (trial.startedAt!, $0) } }
        let ends = trials.compactMap { trial in date(trial.finishedAt).map { (trial.finishedAt!, $0) } }
        guard let first = starts.min(by: { $0.1 < $1.1 }), let last = ends.max(by: { $0.1 < $1.1 }) else { return nil }
        let seconds = trials.compactMap(\.seconds).filter(\.isFinite)
        return WallTime(
            firstStart: first.0, lastFinish: last.0, elapsedSeconds: max(0, last.1.timeIntervalSince(first.1)),
            trialSeconds: seconds.reduce(0, +), timedTrials: seconds.count,
            unfinished: trials.filter { $0.startedAt != nil && ($0.status == .running || $0.finishedAt == nil) }.count)
    }

    /// `42.3 s`, `3 min 12 s`, `2 h 05 min`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(String(format: "%02d", whole % 60)) s" }
        return "\(whole / 3600) h \(String(format: "%02d", whole % 3600 / 60)) min"
    }
}
