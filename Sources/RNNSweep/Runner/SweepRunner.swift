import Dispatch
import Foundation
import RNNTraining

/// How to run a sweep.
public struct SweepRunOptions: Sendable {
    public var databaseURL: URL
    /// Checkpoints go to `<resultsDirectory>/<sweep>/<trial>/`.
    public var resultsDirectory: URL
    public var workers: Int
    public var threadsPerWorker: Int
    /// Extra attempts for a trial whose worker failed (crashed, was killed, or hit an error); diverged trials are not
    /// retried, because the same seed diverges again.
    public var retries: Int
    /// The `rnnsweep` binary to start as `rnnsweep worker`.
    public var workerExecutable: URL
    /// Stored with the sweep for its report: the experiment file as written, and the command line that ran it.
    public var experimentText: String?
    public var command: String?

    public init(
        databaseURL: URL, resultsDirectory: URL? = nil, workers: Int, threadsPerWorker: Int, retries: Int,
        workerExecutable: URL, experimentText: String? = nil, command: String? = nil
    ) {
        self.databaseURL = databaseURL
        self.resultsDirectory = resultsDirectory ?? databaseURL.deletingLastPathComponent()
        self.workers = workers
        self.threadsPerWorker = threadsPerWorker
        self.retries = retries
        self.workerExecutable = workerExecutable
        self.experimentText = experimentText
        self.command = command
    }
}

/// What a `run` did.
public struct SweepSummary: Sendable {
    public var total = 0
    public var alreadyCompleted = 0
    public var completed = 0
    public var failed = 0
    public var diverged = 0
    public var interrupted = 0
    public var seconds = 0.0
    /// Mean milliseconds from spawning a worker to its `started` event (data loaded, model built).
    public var meanStartupMilliseconds: Double?
    /// True when SIGINT/SIGTERM stopped the sweep.
    public var wasInterrupted = false
}

/// The coordinator: the only writer of the database. It registers the sweep and its trials, then keeps up to
/// `workers` worker processes busy, each training one trial, and commits every event as it arrives.
/// It knows nothing of YAML (it is handed an expanded sweep) and nothing of how a trial trains.
public final class SweepRunner {
    let experiment: Experiment
    let sweep: ExpandedSweep
    let options: SweepRunOptions
    let reporter: SweepReporter

    public init(experiment: Experiment, sweep: ExpandedSweep, options: SweepRunOptions, reporter: SweepReporter) {
        self.experiment = experiment
        self.sweep = sweep
        self.options = options
        self.reporter = reporter
    }

    private struct Running {
        let process: WorkerProcess
        let trial: TrialSpec
        var finished = false
        var failure: TrainingEvent.Failure?
        var epoch = 0
    }

    public func run() throws(SweepRunError) -> SweepSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let sweepDirectory = options.resultsDirectory.appendingPathComponent(experiment.name)
        let lock = try SweepLock(directory: sweepDirectory, sweep: experiment.name)
        defer { withExtendedLifetime(lock) {} }

        let store: MetricsStore
        let sweepID: SweepID
        var queue: [TrialSpec]
        var neverStarted: Set<String>
        var summary = SweepSummary()
        do {
            // Created and migrated here, before any worker exists: one process migrates, nobody races it.
            store = try MetricsStore.create(at: options.databaseURL)
            sweepID = try store.registerSweep(
                name: experiment.name, description: experiment.description, experimentPath: experiment.path,
                experimentJSON: experiment.resolvedContent, varyingKeys: sweep.varyingKeys,
                experimentText: options.experimentText, command: options.command)
            try store.registerTrials(
                sweep: sweepID,
                trials: sweep.trials.map {
                    NewTrial(
                        id: $0.id, ordinal: $0.ordinal, gridPoint: $0.gridPoint, seed: $0.seed,
                        paramsJSON: $0.parameters.canonicalJSON)
                })
            // We hold the lock, so any "running" row is left over from a coordinator that died.
            _ = try store.markStaleRunningAsInterrupted(sweep: sweepID)
            let rows = try store.trialsToRun(sweep: sweepID, retryFailed: options.retries > 0)
            let toRun = Set(rows.map(\.id))
            neverStarted = Set(rows.filter { $0.status == .pending }.map(\.id))
            queue = sweep.trials.filter { toRun.contains($0.id) }
            summary.total = sweep.trials.count
            summary.alreadyCompleted = try store.trials(sweep: sweepID).filter { $0.status == .completed }.count
        } catch let error as SweepRunError {
            throw error
        } catch {
            throw .store("\(error)")
        }

        reporter.begin(
            sweep: experiment.name, total: sweep.trials.count, toRun: queue.count,
            alreadyCompleted: summary.alreadyCompleted, workers: options.workers)
        // A worker that dies before reading its request would otherwise kill the coordinator with SIGPIPE when the
        // request is written; ignored, the write just fails and the worker's exit is recorded as its trial's failure.
        // Restored afterwards: the disposition is process-wide, and a library caller may rely on its own.
        let pipeDisposition = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, pipeDisposition) }
        let mailbox = Mailbox()
        let signals = SignalTrap(signals: [SIGINT, SIGTERM]) { mailbox.post(slot: -1, .signal($0)) }
        defer { signals.restore() }

        var running: [Int: Running] = [:]
        var attempts: [String: Int] = [:]
        var stopping = false
        var startupTimes: [Double] = []

        func record(_ m: EpochMetrics, trial: String) throws {
            try store.recordEpoch(
                sweep: sweepID, trial: trial,
                EpochRecord(
                    epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, valLoss: m.valLoss, valAccuracy: m.valAccuracy,
                    seconds: m.seconds))
        }

        func write(_ what: String, _ body: () throws -> Void) {
            do { try body() } catch { reporter.warning("database write failed (\(what)): \(error)") }
        }

        while true {
            while !stopping && running.count < options.workers, !queue.isEmpty {
                let trial = queue.removeFirst()
                let slot = (0..<options.workers).first { running[$0] == nil }!
                let process = WorkerProcess(trial: trial.id, slot: slot)
                let request = WorkerRequest(
                    sweep: experiment.name, trial: trial.id, parameters: trial.parameters,
                    checkpointDirectory: sweepDirectory.appendingPathComponent(trial.id).path,
                    threads: options.threadsPerWorker, resume: !neverStarted.contains(trial.id),
                    coordinatorPID: getpid())
                neverStarted.remove(trial.id)
                attempts[trial.id, default: 0] += 1
                do {
                    try process.start(executable: options.workerExecutable, request: request) {
                        mailbox.post(slot: slot, .worker($0))
                    }
                } catch {
                    write("failed to spawn") {
                        try store.markStarted(sweep: sweepID, trial: trial.id, pid: nil)
                        try store.markFailed(sweep: sweepID, trial: trial.id, status: .failed, error: "spawn: \(error)")
                    }
                    summary.failed += 1
                    reporter.trialFailed(
                        slot: slot, trial: trial, status: "failed", reason: "could not start worker: \(error)")
                    continue
                }
                write("start") { try store.markStarted(sweep: sweepID, trial: trial.id, pid: process.pid) }
                running[slot] = Running(process: process, trial: trial)
                reporter.trialStarted(slot: slot, trial: trial, label: label(trial), attempt: attempts[trial.id]!)
            }
            if running.isEmpty { break }

            guard let (slot, message) = mailbox.take(timeout: 0.5) else {
                reporter.tick()
                continue
            }
            switch message {
            case .signal(let signal):
                if stopping {
                    // A second Ctrl-C: stop waiting for graceful exits.
                    for r in running.values { r.process.kill9() }
                } else {
                    stopping = true
                    summary.wasInterrupted = true
                    reporter.note("received signal \(signal): stopping workers (running trials become 'interrupted')")
                    for r in running.values { r.process.terminate() }
                }
            case .worker(let workerMessage):
                guard var r = running[slot] else { continue }
                let trialID = r.trial.id
                switch workerMessage {
                case .event(.started(let s)):
                    startupTimes.append((clock.now - r.process.spawnedAt).milliseconds)
                    r.epoch = s.resumedFromEpoch
                    // Epoch rows past the checkpoint belong to an attempt that died before saving; they are re-run.
                    // Rows up to it are re-recorded from the checkpoint, in case a commit was lost with a coordinator.
                    write("resume") {
                        try store.deleteEpochs(sweep: sweepID, trial: trialID, after: s.resumedFromEpoch)
                        for m in s.history { try record(m, trial: trialID) }
                    }
                    reporter.trialResumed(slot: slot, fromEpoch: s.resumedFromEpoch, epochs: s.epochs)
                case .event(.progress(let p)):
                    reporter.progress(slot: slot, progress: p)
                case .event(.epoch(let m)):
                    r.epoch = m.epoch
                    write("epoch") { try record(m, trial: trialID) }
                    reporter.epoch(slot: slot, metrics: m, epochs: r.trial.parameters.int("epochs"))
                case .event(.finished(let f)):
                    r.finished = true
                    write("finish") {
                        try store.markCompleted(
                            sweep: sweepID, trial: trialID, testLoss: f.testLoss, testAccuracy: f.testAccuracy,
                            seconds: f.seconds)
                    }
                    summary.completed += 1
                    reporter.trialCompleted(slot: slot, trial: r.trial, finished: f)
                case .event(.error(let e)):
                    r.failure = e
                case .unparsable(let line):
                    reporter.warning("worker \(slot + 1): unexpected output: \(line.prefix(200))")
                case .exited(let status, let signal, let tail):
                    running[slot] = nil
                    if r.finished { continue }
                    let how = signal.map { "killed by signal \($0)" } ?? "exited with status \(status)"
                    if stopping && r.failure == nil {
                        write("interrupt") {
                            try store.markInterrupted(
                                sweep: sweepID, trial: trialID, signal: signal, error: "sweep interrupted; \(how)")
                        }
                        summary.interrupted += 1
                        reporter.trialFailed(slot: slot, trial: r.trial, status: "interrupted", reason: how)
                        continue
                    }
                    let diverged = r.failure?.kind == "diverged"
                    let message = r.failure.map { $0.message } ?? "worker \(how)"
                    write("fail") {
                        try store.markFailed(
                            sweep: sweepID, trial: trialID, status: diverged ? .diverged : .failed,
                            exitStatus: signal == nil ? status : nil, signal: signal, error: message,
                            stderrTail: tail.isEmpty ? nil : tail)
                    }
                    reporter.trialFailed(
                        slot: slot, trial: r.trial, status: diverged ? "diverged" : "failed", reason: message)
                    if !diverged && !stopping && attempts[trialID, default: 0] <= options.retries {
                        reporter.note(
                            "re-queueing \(trialID) (attempt \(attempts[trialID]! + 1) of \(options.retries + 1))")
                        queue.append(r.trial)
                    } else if diverged {
                        summary.diverged += 1
                    } else {
                        summary.failed += 1
                    }
                    continue
                }
                running[slot] = r
            }
        }
        summary.seconds = (clock.now - start).seconds
        if !startupTimes.isEmpty {
            summary.meanStartupMilliseconds = startupTimes.reduce(0, +) / Double(startupTimes.count)
        }
        reporter.end(summary)
        return summary
    }

    /// The varying parameters and seed of a trial, e.g. `cell=gru units=64 seed=1`.
    func label(_ trial: TrialSpec) -> String {
        (sweep.varyingKeys.map { "\($0)=\(trial.parameters.value($0)?.description ?? "-")" } + ["seed=\(trial.seed)"])
            .joined(separator: " ")
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}
