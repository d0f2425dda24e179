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
    private var trialSeconds: [Double] = []
    private var remaining = 0
    private let started = Date()

    public init(terminal: Bool, write: @escaping (String) -> Void) {
        self.terminal = terminal
        self.write = write
    }

    func begin(sweep: String, total: Int, toRun: Int, alreadyCompleted: Int, workers: Int, inFlight: Int = 0) {
        self.total = total
        self.workers = workers == Int.max ? max(inFlight, 1) : workers
        done = alreadyCompleted
        remaining = toRun
        let on = workers == Int.max ? "as Slurm array tasks" : "on \(workers) worker(s)"
        log(
            "sweep '\(sweep)': \(total) trials, \(alreadyCompleted) already completed, \(toRun) to run \(on)"
                + (inFlight > 0 ? " (\(inFlight) already in flight: following them)" : ""))
    }

    /// A trial was started (local) or submitted (`queued`: it gets a live line once it runs).
    func trialStarted(
        lane: Int, name: String, trial: TrialSpec, label: String, attempt: Int, queued: Bool = false,
        adopted: Bool = false
    ) {
        labels[lane] = label
        names[lane] = Self.shortName(name)
        if !queued { workerLines[lane] = "starting" }
        remaining = max(0, remaining - 1)
        let what = adopted ? "following" : queued ? "submitted" : "start"
        log(
            "\(names[lane]!): \(what) #\(trial.ordinal) \(trial.id) \(label)"
                + (attempt > 1 ? " (attempt \(attempt))" : ""))
    }

    /// A queued trial's worker started (again, after a requeue).
    func workerStarted(lane: Int, name: String) {
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
        workerLines[lane] = nil
        log("\(name(lane)): paused #\(trial.ordinal) at its rung (epoch \(epoch))")
    }

    func trialResumed(lane: Int, fromEpoch: Int, epochs: Int) {
        if fromEpoch > 0 {
            log("\(name(lane)): resuming from the checkpoint after epoch \(fromEpoch) of \(epochs)")
        }
    }

    func progress(lane: Int, progress p: TrainingEvent.Progress) {
        workerLines[lane] = "epoch \(p.epoch) batch \(p.batch)/\(p.batches) \(Int(p.samplesPerSecond)) samples/s"
        redraw()
    }

    func epoch(lane: Int, metrics m: EpochMetrics, epochs: Int) {
        var text = "epoch \(m.epoch)/\(epochs) loss \(f4(m.loss)) accuracy \(f4(m.accuracy))"
        if let v = m.valAccuracy { text += " val_accuracy \(f4(v))" }
        text += String(format: " (%.1fs)", m.seconds)
        workerLines[lane] = text
        log("\(name(lane)): \(text)")
    }

    func trialCompleted(lane: Int, trial: TrialSpec, finished f: TrainingEvent.Finished) {
        done += 1
        trialSeconds.append(f.seconds)
        workerLines[lane] = nil
        log(
            "\(name(lane)): "
                + String(
                    format: "done #%d test_accuracy %.2f%% (%.0fs)", trial.ordinal, 100 * f.testAccuracy, f.seconds))
    }

    func trialFailed(lane: Int, trial: TrialSpec, status: String, reason: String) {
        failed += 1
        workerLines[lane] = nil
        log("\(name(lane)): \(status.uppercased()) #\(trial.ordinal) \(trial.id): \(reason)")
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
        if s.inFlight > 0 { parts.append("\(s.inFlight) queued or running on Slurm") }
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
        write(text)
    }

    private var eta: String {
        guard !trialSeconds.isEmpty else { return "?" }
        let mean = trialSeconds.reduce(0, +) / Double(trialSeconds.count)
        let left = Double(remaining + workerLines.count) * mean / Double(max(workers, 1))
        return left < 60 ? String(format: "%.0fs", left) : String(format: "%dm%02ds", Int(left) / 60, Int(left) % 60)
    }

    private func log(_ line: String) {
        if terminal {
            clearBlock()
            write(line + "\n")
            redraw()
        } else {
            let stamp = ISO8601DateFormatter.string(
                from: Date(), timeZone: .current, formatOptions: [.withTime, .withColonSeparatorInTime])
            write("[\(stamp)] \(line)\n")
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
            lines.append("  worker \(slot + 1) │ \(labels[slot] ?? "") │ \(workerLines[slot] ?? "")")
        }
        let elapsed = Date().timeIntervalSince(started)
        lines.append(
            String(format: "  %d/%d done, %d failed │ %.0fs elapsed │ ETA %@", done, total, failed, elapsed, eta))
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func f4(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }
}
