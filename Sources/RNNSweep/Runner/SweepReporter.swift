import CProcessControl
import Foundation
import RNNTraining

/// What the coordinator shows while it runs. On a terminal: a live block with one line per worker (trial, epoch,
/// batch progress, samples/s) and the sweep's done/failed/total with an ETA. Otherwise: one plain log line per
/// event worth keeping (start, epoch, finish, failure).
public final class SweepReporter: @unchecked Sendable {
    private let terminal: Bool
    private let write: (String) -> Void
    private var workerLines: [Int: String] = [:]
    private var labels: [Int: String] = [:]
    /// How each lane is named in log lines: `worker 2`, `task 12_3 on node-4`.
    private var names: [Int: String] = [:]
    private var total = 0
    private var done = 0
    private var failed = 0
    private var workers = 1
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    /// Lanes whose worker process has not finished an epoch yet (its first is its warm-up: ``SweepETA/epoch``).
    private var warmingUp: Set<Int> = []
    /// The trial each lane runs.
    private var trials: [Int: TrialSpec] = [:]
    private var eta = SweepETA(plan: [:], workers: 1)
    /// Successive halving: the plan counts every epoch a trial could reach, so the ETA is an upper bound.
    private var etaIsBound = false
    private let started = Date()
    /// When each trial's attempt in flight started, for the ETA's overhead.
    private var attemptStarts: [String: Date] = [:]
    /// How the log names where trials run; the run sets its executor's before it begins.
    var presentation: any ExecutorPresentation = LocalPresentation()

    public init(terminal: Bool, write: @escaping (String) -> Void) {
        self.terminal = terminal
        self.write = write
    }

    /// `plan`: every trial this run may train, with its grid point and the epochs it has left; `bounded` when
    /// those are at most what it will train (successive halving).
    func begin(
        sweep: String, total: Int, toRun: Int, alreadyCompleted: Int, workers: Int, inFlight: Int = 0,
        plan: [String: SweepETA.Trial] = [:], bounded: Bool = false
    ) {
        self.total = total
        self.workers = workers == Int.max ? max(inFlight, 1) : workers
        done = alreadyCompleted
        eta = SweepETA(plan: plan, workers: self.workers)
        etaIsBound = bounded
        let on = presentation.placement(workers: workers)
        log(
            "sweep '\(sweep)': \(total) trials, \(alreadyCompleted) already completed, \(toRun) to run \(on)"
                + (inFlight > 0 ? " (\(inFlight) already in flight: following them)" : ""))
    }

    /// A trial was started (local) or submitted (`queued`: it gets a live line once it runs).
    func trialStarted(
        lane: Int, name: String, trial: TrialSpec, label: String, attempt: Int, queued: Bool = false,
        adopted: Bool = false, freshProcess: Bool = false
    ) {
        if freshProcess { warmingUp.insert(lane) }
        labels[lane] = label
        names[lane] = Self.shortName(name)
        trials[lane] = trial
        eta.started(trial: trial.id)
        attemptStarts[trial.id] = Date()
        if !queued { workerLines[lane] = "starting" }
        let what = adopted ? "following" : queued ? "submitted" : "start"
        log(
            "\(names[lane]!): \(what) #\(trial.ordinal) \(trial.id) \(label)"
                + (attempt > 1 ? " (attempt \(attempt))" : ""))
    }

    /// A queued trial's worker started (again, after a requeue).
    func workerStarted(lane: Int, name: String) {
        warmingUp.insert(lane)
        names[lane] = Self.shortName(name)
        workerLines[lane] = "starting"
        log("\(name): started")
    }

    /// The scheduler's view of a queued trial changed.
    func queueState(lane: Int, state: String, reason: String?, node: String?) {
        if state != "RUNNING", let name = names[lane] {
            log("\(name): \(state)" + (reason.map { " (\($0))" } ?? ""))
        }
    }

    /// A trial reached its successive-halving rung and waits for the rung's decision.
    func trialPaused(lane: Int, trial: TrialSpec, epoch: Int) {
        attemptEnded(trial)
        workerLines[lane] = nil
        log("\(name(lane)): paused #\(trial.ordinal) at its rung (epoch \(epoch))")
    }

    func trialResumed(lane: Int, fromEpoch: Int, epochs: Int) {
        if fromEpoch > 0 {
            log("\(name(lane)): resuming from the checkpoint after epoch \(fromEpoch) of \(epochs)")
        }
    }

    func progress(lane: Int, progress p: TrainingEvent.Progress) {
        let epochs = trials[lane].map { "/\($0.parameters.int("epochs"))" } ?? ""
        workerLines[lane] =
            "epoch \(p.epoch)\(epochs) batch \(p.batch)/\(p.batches) \(Int(p.samplesPerSecond)) samples/s"
        // Progress comes many times a second from every worker; the screen needs no more than ten frames.
        if Date().timeIntervalSince(lastDraw) >= 0.1 { redraw() }
    }

    func epoch(lane: Int, metrics m: EpochMetrics, epochs: Int) {
        var text =
            "epoch \(m.epoch)/\(epochs) \(MetricKey.loss.recordName) \(MetricLine.decimal(m.loss)) \(MetricLine.epoch(m))"
        text += " (\(MetricLine.fixed(m.seconds, digits: 1))s)"
        workerLines[lane] = text
        let warmUp = warmingUp.remove(lane) != nil
        if let trial = trials[lane] {
            eta.epoch(trial: trial.id, gridPoint: trial.gridPoint, seconds: m.seconds, warmUp: warmUp)
        }
        // On a terminal the worker's line shows it (at most ten frames a second, as progress: small models end
        // thousands of epochs a second); a log keeps every epoch.
        if terminal {
            if Date().timeIntervalSince(lastDraw) >= 0.1 { redraw() }
        } else {
            // Written with the other lines of the coordinator's wake-up (``flushEpochLines()``): one write, not one
            // per epoch.
            pendingEpochLines += "[\(stamp())] \(name(lane)): \(text)\n"
        }
    }

    /// Writes the epoch lines kept since the last write; the loop calls it after each batch of events it handled.
    func flushEpochLines() {
        guard !pendingEpochLines.isEmpty else { return }
        write(pendingEpochLines)
        pendingEpochLines = ""
    }

    func trialCompleted(lane: Int, trial: TrialSpec, finished f: TrainingEvent.Finished) {
        done += 1
        attemptEnded(trial)
        eta.ended(trial: trial.id)
        workerLines[lane] = nil
        var line =
            "\(name(lane)): "
            + "done #\(trial.ordinal) \(MetricLine.test(f.test))" + String(format: " (%.0fs)", f.seconds)
        // A log has no live block: its finish lines carry the overall state.
        if !terminal { line += " — \(done)/\(total) trials done, ETA \(etaText)" }
        log(line)
    }

    /// `final`: the trial will not train again in this run (not re-queued for a retry).
    func trialFailed(lane: Int, trial: TrialSpec, status: String, reason: String, final: Bool = true) {
        failed += 1
        if final { eta.ended(trial: trial.id) }
        workerLines[lane] = nil
        log("\(name(lane)): \(status.uppercased()) #\(trial.ordinal) \(trial.id): \(reason)")
    }

    /// Successive halving stopped these trials at a rung.
    /// Trials a scheduler added: counted in the done/total line and planned in the ETA from now on.
    func trialsAdded(_ added: [TrialSpec], cost: TrialCost? = nil) {
        total += added.count
        eta.added(
            Dictionary(
                added.map {
                    (
                        $0.id,
                        SweepETA.Trial(
                            gridPoint: $0.gridPoint, epochsLeft: $0.parameters.int("epochs"),
                            priorEpoch: cost?.epoch($0.parameters))
                    )
                },
                uniquingKeysWith: { a, _ in a }))
    }

    func trialsStopped(_ ids: [String]) {
        for id in ids { eta.ended(trial: id) }
    }

    /// An attempt that trained to its end (completed, or paused at a rung): its overhead for the ETA.
    private func attemptEnded(_ trial: TrialSpec) {
        guard let start = attemptStarts.removeValue(forKey: trial.id) else { return }
        eta.attemptEnded(trial: trial.id, wall: Date().timeIntervalSince(start))
    }

    private func name(_ lane: Int) -> String { names[lane] ?? "worker \(lane + 1)" }

    /// `worker 2 (pid 4242)` → `worker 2`; `task 12_3 on node-4` → `task 12_3`.
    static func shortName(_ name: String) -> String {
        if let paren = name.range(of: " (") { return String(name[..<paren.lowerBound]) }
        if let on = name.range(of: " on ") { return String(name[..<on.lowerBound]) }
        return name
    }

    func note(_ text: String) { log(text) }
    func warning(_ text: String) { log("warning: \(text)") }
    func tick() { redraw() }

    func end(_ s: SweepSummary) {
        clearBlock()
        var parts = ["\(s.completed) completed", "\(s.failed) failed"]
        if s.diverged > 0 { parts.append("\(s.diverged) diverged") }
        if s.interrupted > 0 { parts.append("\(s.interrupted) interrupted") }
        if s.stopped > 0 { parts.append("\(s.stopped) stopped by successive halving") }
        parts.append("\(s.alreadyCompleted) were already completed")
        if s.inFlight > 0 { parts.append("\(s.inFlight) \(presentation.inFlightPlace)") }
        var text = "summary: " + parts.joined(separator: ", ") + String(format: " — %.1fs", s.seconds)
        if s.wasInterrupted { text += " (interrupted: run the same command again to resume)" }
        text += "\n"
        if s.leftFailed + s.leftDiverged > 0 {
            var left: [String] = []
            if s.leftFailed > 0 { left.append("\(s.leftFailed) failed") }
            if s.leftDiverged > 0 { left.append("\(s.leftDiverged) diverged") }
            text +=
                "left as they are from earlier runs: " + left.joined(separator: ", ")
                + " (`rnnsweep status` shows why; run again with --retries 1 to try them again)\n"
        }
        if let fatal = s.fatalError { text += "error: \(fatal)\n" }
        flushEpochLines()
        write(text)
    }

    /// `1h02m`, `12m05s`, `40s`.
    static func duration(_ seconds: Double) -> String {
        // Tenths under 10 s: a short run's ETA is otherwise off by half a second in five.
        if seconds < 9.95 { return String(format: "%.1fs", max(0, seconds)) }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    private var etaText: String {
        eta.remainingSeconds.map { (etaIsBound ? "≤ " : "") + Self.duration($0) } ?? "after the first epoch"
    }

    /// The live block's last line: trials, epochs, elapsed time and the ETA.
    var overallLine: String {
        let elapsed = Date().timeIntervalSince(started)
        return "  \(done)/\(total) trials done, \(failed) failed │ epochs \(eta.epochsDone)/\(eta.epochsPlanned) │ "
            + "\(Self.duration(elapsed)) elapsed │ ETA \(etaText)"
    }

    /// The log lines' time stamps (`14:03:27`): one formatter for the run, since making one costs more than a
    /// small trial's epoch, and a line goes out after every epoch.
    private var stampSecond = Int.min
    private var stampText = ""
    /// Epoch lines of a log not written yet, in order.
    private var pendingEpochLines = ""
    private let stamps: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        formatter.formatOptions = [.withTime, .withColonSeparatorInTime]
        return formatter
    }()

    /// `stamps`' text for now, formatted once per second (a log line goes out after every epoch).
    private func stamp() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970.rounded(.down))
        if second != stampSecond {
            stampSecond = second
            stampText = stamps.string(from: now)
        }
        return stampText
    }

    private func log(_ line: String) {
        if terminal {
            clearBlock()
            write(line + "\n")
            redraw()
        } else {
            flushEpochLines()
            write("[\(stamp())] \(line)\n")
        }
    }

    private func clearBlock() {
        guard terminal, drawnLines > 0 else { return }
        write(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines) + "\r")
        drawnLines = 0
    }

    private func redraw() {
        guard terminal else { return }
        clearBlock()
        var lines: [String] = []
        for slot in workerLines.keys.sorted() {
            lines.append("  \(name(slot)) │ \(labels[slot] ?? "") │ \(workerLines[slot] ?? "")")
        }
        lines.append(overallLine)
        // A line longer than the terminal wraps, and the block would no longer be redrawn in place.
        let width = Int(rnnsweep_terminal_columns(1))
        if width > 1 { lines = lines.map { $0.count < width ? $0 : String($0.prefix(width - 2)) + "…" } }
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
        lastDraw = Date()
    }

}
