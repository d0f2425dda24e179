import RNNTraining

extension SweepETA {
    /// What a run may train, for its ETA: every trial not done (completed; stopped when a rule stops trials;
    /// failed or diverged without retries), and those in flight elsewhere, with the epochs each has left and, from
    /// `cost`, the seconds of one of its epochs.
    static func plan(
        _ trials: [TrialSpec], rows: [TrialRow], adopted: Set<String>, bounded: Bool, retries: Int, cost: TrialCost?
    ) -> [String: Trial] {
        var done: Set<TrialStatus> = [.completed]
        if bounded { done.insert(.stopped) }
        if retries == 0 { done.formUnion([.failed, .diverged]) }
        let status = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.status) })
        let lastEpoch = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.lastEpoch ?? 0) })
        var plan: [String: Trial] = [:]
        for trial in trials where !done.contains(status[trial.id] ?? .pending) || adopted.contains(trial.id) {
            plan[trial.id] = Trial(
                gridPoint: trial.gridPoint,
                epochsLeft: max(0, trial.parameters.int("epochs") - (lastEpoch[trial.id] ?? 0)),
                priorEpoch: cost?.epoch(trial.parameters))
        }
        return plan
    }
}
