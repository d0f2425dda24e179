import RNNTraining

/// Successive halving (``HalvingState``): each trial runs to its configuration's next rung, lower rungs first and
/// in ordinal order; a rung is decided once every trial of its configurations has reached it, and the best 1/η go
/// on. Rebuilt from the recorded epochs, statuses and this rule's recorded decisions, so a resumed run decides
/// nothing twice.
struct HalvingScheduler: HalvingBracketsScheduler {
    var core: HalvingBrackets

    /// Nil when there is nothing to halve (no trials).
    init?(rule: SuccessiveHalving, facts: SchedulerFacts) {
        guard let epochs = facts.trials.first?.parameters.int("epochs") else { return nil }
        self.init(rule: rule, epochs: epochs, facts: facts)
    }

    /// A scheduler over every trial of the sweep (`facts.trials`) of `epochs` epochs, restored from what the
    /// database holds.
    init(rule: SuccessiveHalving, epochs: Int, facts: SchedulerFacts) {
        core = HalvingBrackets(
            states: [HalvingState(rule: rule, epochs: epochs, trials: facts.trials)], decider: .synchronous,
            trials: facts.trials)
        core.restore(facts)
    }

    mutating func admit(_ trials: [TrialSpec]) { core.admit(trials, to: 0) }

    /// `rung 2 of 3 (epoch 3): 1 of 2 configuration(s) go on by the mean val_accuracy over their seeds; 2 trial(s)
    /// stopped`, for the decisions of one rung.
    func log(_ decisions: [SchedulerDecision]) -> [String] {
        var rungs: [HalvingState.Decision] = []
        var stopped = 0
        for case .rung(let decision, _, _, let stopping) in decisions {
            rungs.append(decision)
            stopped += stopping.count
        }
        guard let first = rungs.first else { return [] }
        let kept = rungs.filter(\.promoted).count
        return [
            "rung \(first.rung + 1) of \(core.states[0].rungs.count) (epoch \(first.epoch)): \(kept) of \(rungs.count) "
                + "configuration(s) go on by the mean \(core.states[0].rule.metric.recordName) over their seeds; "
                + "\(stopped) trial(s) stopped"
        ]
    }
}
