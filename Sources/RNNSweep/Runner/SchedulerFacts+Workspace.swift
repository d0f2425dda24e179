import RNNTraining

extension SchedulerFacts {
    /// What the database holds of the trials this run may train (`trials`, in ordinal order): their statuses,
    /// recorded epochs and the sweep's rung decisions, with the Slurm tasks an earlier coordinator left in flight.
    init(workspace: SweepSetup, trials: [TrialSpec], retries: Int) throws(SweepRunError) {
        do {
            self.init(
                trials: trials,
                status: Dictionary(workspace.rows.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a }),
                epochs: try workspace.store.epochsByTrial(sweep: workspace.sweepID),
                rungs: try workspace.store.rungs(sweep: workspace.sweepID),
                inFlight: Set(workspace.inFlight.map(\.trialID)), retries: retries)
        } catch {
            throw .store("\(error)")
        }
    }
}
