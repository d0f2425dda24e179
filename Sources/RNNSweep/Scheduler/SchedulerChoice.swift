import RNNTraining

/// The one place a sweep's definition picks its scheduler: a new strategy is its own file plus one line here.
enum SchedulerChoice {
    /// The scheduler of `definition`, rebuilt from what the database holds (`facts`). `makeTrials` makes the trials
    /// of a configuration a strategy proposes while the sweep runs.
    static func make(
        for definition: SweepDefinition, facts: SchedulerFacts, makeTrials: TrialMaker?
    ) -> any TrialScheduler {
        if let given = definition.scheduler { return given(facts, makeTrials) }
        if let rule = definition.earlyStopping, let halving = HalvingScheduler(rule: rule, facts: facts) {
            return halving
        }
        return GridScheduler(facts: facts)
    }
}
