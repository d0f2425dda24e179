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

    func begin(sweep: String, total: Int, toRun: Int, alreadyCompleted: Int, workers: Int) {
        self.total = total
        self.workers = workers
        done = alreadyCompleted
        remaining = toRun
        log(
            "sweep '\(sweep)': \(total) trials, \(alreadyCompleted) already completed, \(toRun) to run on \(workers) worker(s)"
        )
    }

    func trialStarted(slot: Int, trial: TrialSpec, label: String, attempt: Int) {
        labels[slot] = label
        workerLines[slot] = "starting"
        remaining = max(0, remaining - 1)
        log(
            "worker \(slot + 1): start #\(trial.ordinal) \(trial.id) \(label)"
                + (attempt > 1 ? " (attempt \(attempt))" : ""))
    }

    func trialResumed(slot: Int, fromEpoch: Int, epochs: Int) {
        if fromEpoch > 0 {
            log("worker \(slot + 1): resuming from the checkpoint after epoch \(fromEpoch) of \(epochs)")
        }
    }

    func progress(slot: Int, progress p: TrainingEvent.Progress) {
        workerLines[slot] = "epoch \(p.epoch) batch \(p.batch)/\(p.batches) \(Int(p.samplesPerSecond)) samples/s"
        redraw()
    }

    func epoch(slot: Int, metrics m: EpochMetrics, epochs: Int) {
        var text = "epoch \(m.epoch)/\(epochs) loss \(f4(m.loss)) accuracy \(f4(m.accuracy))"
        if let v = m.valAccuracy { text += " val_accuracy \(f4(v))" }
        text += String(format: " (%.1fs)", m.seconds)
        workerLines[slot] = text
        log("worker \(slot + 1): \(text)")
    }

    func trialCompleted(slot: Int, trial: TrialSpec, finished f: TrainingEvent.Finished) {
        done += 1
        trialSeconds.append(f.seconds)
        workerLines[slot] = nil
        log(
            String(
                format: "worker %d: done #%d test_accuracy %.2f%% (%.0fs)", slot + 1, trial.ordinal,
                100 * f.testAccuracy, f.seconds))
    }

    func trialFailed(slot: Int, trial: TrialSpec, status: String, reason: String) {
        failed += 1
        workerLines[slot] = nil
        log("worker \(slot + 1): \(status.uppercased()) #\(trial.ordinal) \(trial.id): \(reason)")
    }

    func note(_ text: String) { log(text) }
    func warning(_ text: String) { log("warning: \(text)") }
    func tick() { redraw() }

    func end(_ s: SweepSummary) {
        clearBlock()
        var parts = ["\(s.completed) completed", "\(s.failed) failed"]
        if s.diverged > 0 { parts.append("\(s.diverged) diverged") }
        if s.interrupted > 0 { parts.append("\(s.interrupted) interrupted") }
        parts.append("\(s.alreadyCompleted) were already completed")
        write(
            "summary: " + parts.joined(separator: ", ") + String(format: " — %.1fs", s.seconds)
                + (s.wasInterrupted ? " (interrupted: run the same command again to resume)" : "") + "\n")
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
