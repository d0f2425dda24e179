import RNNTraining

/// Asynchronous successive halving (`early_stopping: method: async_halving`): each trial runs to its
/// configuration's next rung, lowest rung first, and a configuration is promoted or stopped as soon as it and every
/// configuration before it in grid order have reached the rung or settled below it (the rule:
/// `HalvingState.readyAsynchronously`). No rung waits for its slowest trial, and the decisions are the same for
/// any worker count or arrival order. Decisions are recorded under `async_halving metric=… min_epochs=…
/// reduction_factor=…`.
struct AsyncHalvingScheduler: HalvingBracketsScheduler {
    var core: HalvingBrackets

    /// A scheduler over every trial of the sweep (`facts.trials`), restored from what the database holds.
    init(rule: SuccessiveHalving, epochs: Int, facts: SchedulerFacts) {
        let state = HalvingState(
            rule: rule, epochs: epochs, trials: facts.trials, signature: HalvingState.asyncSignature(rule))
        core = HalvingBrackets(states: [state], decider: .asynchronous, trials: facts.trials)
        core.restore(facts)
    }

    /// Added configurations are decided after every configuration before them in grid order.
    mutating func admit(_ trials: [TrialSpec]) { core.admit(trials, to: 0) }
}
