import RNNTraining

/// Hyperband (`early_stopping: method: hyperband`): the sweep's configurations, in grid order, fill the brackets of
/// `Hyperband` (most aggressive first, iteration after iteration); each bracket is a synchronous successive halving
/// (`HalvingState`, the unchanged rule) with its own rungs and its own signature (`hyperband iteration=i
/// bracket=s …`), so its decisions are recorded per bracket. All brackets run at once, lowest rung first.
struct HyperbandScheduler: HalvingBracketsScheduler {
    var core: HalvingBrackets
    let hyperband: Hyperband
    /// Grid points in the order they were assigned to brackets.
    private var points: [Int] = []

    init(rule: SuccessiveHalving, epochs: Int, facts: SchedulerFacts) {
        hyperband = Hyperband(rule: rule, epochs: epochs)
        core = HalvingBrackets(states: [], decider: .synchronous, trials: [])
        admit(facts.trials)
        core.restore(facts)
    }

    /// Assigns new configurations to brackets, continuing the order: a partly filled bracket takes them first.
    mutating func admit(_ trials: [TrialSpec]) {
        var known = Set(points)
        var added: [Int] = []
        for trial in trials where known.insert(trial.gridPoint).inserted { added.append(trial.gridPoint) }
        guard !added.isEmpty else { return }
        points += added
        let position = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1, $0 + 1) })
        let isAdded = Set(added)
        for bracket in hyperband.brackets(configurations: points.count) {
            let members = trials.filter { trial in
                isAdded.contains(trial.gridPoint) && bracket.positions.contains(position[trial.gridPoint]!)
            }
            guard !members.isEmpty else { continue }
            let signature = hyperband.signature(iteration: bracket.iteration, bracket: bracket.s)
            if let index = core.states.firstIndex(where: { $0.signature == signature }) {
                core.admit(members, to: index)
            } else {
                core.append(
                    HalvingState(
                        rule: hyperband.rule, epochs: hyperband.epochs, trials: members,
                        rungs: hyperband.rungs(bracket: bracket.s), signature: signature),
                    trials: members)
            }
        }
    }
}
