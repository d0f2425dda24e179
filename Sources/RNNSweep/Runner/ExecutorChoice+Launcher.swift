import Foundation

extension ExecutorChoice {
    /// The executor that runs this choice's trials: the one place that names each (a new executor is one line).
    func launcher(
        options: SweepRunOptions, sweepName: String, workspace: SweepSetup, recorder: SweepRecorder,
        deliver: @escaping @Sendable (LaunchMessage) -> Void
    ) throws(SweepRunError) -> any TrialLauncher {
        switch self {
        case .local:
            LocalLauncher(
                workers: options.workers, executable: options.workerExecutable, freshWorkers: options.freshWorkers,
                deliver: deliver)
        case .slurm(let settings):
            try SlurmLauncher(
                settings: settings, sweepName: sweepName, runDirectory: workspace.runDirectory,
                executable: options.workerExecutable, adopting: workspace.inFlight, journal: recorder, deliver: deliver)
        }
    }
}
