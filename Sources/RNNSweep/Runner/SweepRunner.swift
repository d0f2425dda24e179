import Dispatch
import Foundation
import RNNTraining

/// The coordinator: it registers the sweep and its trials, then keeps the launcher busy with what the queue says
/// runs next, hands every event to the recorder (the only writer of the database), decides how each attempt ended,
/// and stops everything on SIGINT, SIGTERM or SIGHUP. It knows nothing of YAML (it is handed an expanded sweep) and
/// nothing of how a trial trains.
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

    public func run() throws(SweepRunError) -> SweepSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let trials = sweep.trials.filter { options.shard?.contains($0) ?? true }
        let workspace = try SweepSetup.open(
            database: options.databaseURL, sweepName: experiment.name, description: experiment.description,
            experimentPath: experiment.path, experimentJSON: experiment.resolvedContent,
            varyingKeys: sweep.varyingKeys, trials: trials, executorJSON: options.executor.json)
        defer { withExtendedLifetime(workspace.lock) {} }
        let recorder = SweepRecorder(store: workspace.store, sweepID: workspace.sweepID)
        var summary = SweepSummary()
        summary.total = trials.count

        // A worker that dies before reading its request would otherwise kill the coordinator with SIGPIPE when the
        // request is written; ignored, the write just fails and the worker's exit is recorded as its trial's failure.
        // Restored afterwards: the disposition is process-wide, and a library caller may rely on its own.
        let pipeDisposition = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, pipeDisposition) }
        let mailbox = Mailbox<LaunchMessage>()
        let signals = SignalTrap(signals: [SIGINT, SIGTERM, SIGHUP]) { mailbox.post(signal: $0) }
        defer { signals.restore() }
        let deliver: @Sendable (LaunchMessage) -> Void = { mailbox.post($0) }
        let launcher: any TrialLauncher
        switch options.executor {
        case .local:
            launcher = LocalLauncher(
                workers: options.workers, executable: options.workerExecutable, deliver: deliver)
        case .slurm(let settings):
            launcher = try SlurmLauncher(
                settings: settings, sweepName: experiment.name, runDirectory: workspace.runDirectory,
                executable: options.workerExecutable, adopting: workspace.inFlight, deliver: deliver)
        }
        var loop = CoordinatorLoop(
            options: options, launcher: launcher, recorder: recorder, reporter: reporter, summary: summary,
            workspace: workspace, label: label)
        try loop.run(trials: trials, mailbox: mailbox)
        summary = loop.summary
        summary.seconds = (clock.now - start).seconds
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
