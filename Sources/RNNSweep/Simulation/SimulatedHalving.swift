import RNNTraining

/// Synchronous successive halving for the simulator: one `HalvingState` decided by its own `ready()` (a rung once
/// all its configurations reached it) and scheduled as the coordinator's queue does (lowest rung first, then
/// ordinal), through the same `HalvingBrackets` as the other two methods, so the three differ only by their rule.
struct SimulatedHalving: HalvingBracketsScheduler {
    var core: HalvingBrackets

    init(rule: SuccessiveHalving, epochs: Int, facts: SchedulerFacts) {
        core = HalvingBrackets(
            states: [HalvingState(rule: rule, epochs: epochs, trials: facts.trials)], decider: .synchronous,
            trials: facts.trials)
        core.restore(facts)
    }

    mutating func admit(_ trials: [TrialSpec]) { core.admit(trials, to: 0) }
}
