import RNNTraining

/// The one place a sweep's definition picks its scheduler: a new strategy is its own file plus one line here.
///
/// Two layers: the rule that runs the trials (the file's order, or an early-stopping rule that pauses them at
/// rungs), and, for `search: method: tpe`, the sampler that proposes configurations and hands them to that rule.
enum SchedulerChoice {
    /// The scheduler of `definition`, rebuilt from what the database holds (`facts`). `makeTrials` makes the trials
    /// of a configuration a strategy proposes while the sweep runs; without it (`sync`, which has no experiment
    /// file) nothing is proposed, and the rule follows the trials the database holds.
    static func make(
        for definition: SweepDefinition, facts: SchedulerFacts, makeTrials: TrialMaker?
    ) -> any TrialScheduler {
        if let given = definition.scheduler { return given(facts, makeTrials) }
        let rule = rule(for: definition, facts: facts)
        if let space = definition.experiment?.search, case .tpe = space.method, let makeTrials {
            let metric = TPEObjective.metric(halving: definition.earlyStopping, trials: facts.trials)
            return sampled(by: space, running: rule, metric: metric, facts: facts, make: makeTrials)
        }
        return rule
    }

    /// The rule that runs the trials, one line per early-stopping method (patience is the trainer's, per trial,
    /// under any of them).
    private static func rule(for definition: SweepDefinition, facts: SchedulerFacts) -> any TrialScheduler {
        guard let rule = definition.earlyStopping, let epochs = facts.trials.first?.parameters.int("epochs") else {
            return GridScheduler(facts: facts)
        }
        switch definition.halvingMethod {
        case .successiveHalving: return HalvingScheduler(rule: rule, epochs: epochs, facts: facts)
        case .asyncHalving: return AsyncHalvingScheduler(rule: rule, epochs: epochs, facts: facts)
        case .hyperband: return HyperbandScheduler(rule: rule, epochs: epochs, facts: facts)
        }
    }

    /// TPE proposing the configurations `inner` runs (generic, so the sampler holds the rule itself).
    private static func sampled<Inner: TrialScheduler>(
        by space: SearchSpace, running inner: Inner, metric: MetricKey, facts: SchedulerFacts,
        make: @escaping TrialMaker
    ) -> any TrialScheduler {
        TPEScheduler(inner: inner, space: space, metric: metric, facts: facts, make: make)
    }
}
