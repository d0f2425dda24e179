import RNNTraining

/// Successive halving (``HalvingState``): each trial runs to its configuration's next rung, lower rungs first and
/// in ordinal order; a rung is decided once every trial of its configurations has reached it, and the best 1/η go
/// on. Rebuilt from the recorded epochs, statuses and this rule's recorded decisions, so a resumed run decides
/// nothing twice.
struct HalvingScheduler: TrialScheduler {
    private var state: HalvingState
    private var specs: [String: TrialSpec]
    private(set) var stoppedCount: Int

    /// Nil when there is nothing to halve (no trials).
    init?(rule: SuccessiveHalving, facts: SchedulerFacts) {
        guard let epochs = facts.trials.first?.parameters.int("epochs") else { return nil }
        var state = HalvingState(rule: rule, epochs: epochs, trials: facts.trials)
        for trial in facts.trials {
            for epoch in facts.epochs[trial.id] ?? [] { state.recorded(trial: trial.id, epoch: epoch) }
            let settled = Self.standing(facts.status[trial.id], retries: facts.retries)
            state.set(trial.id, settled ?? (facts.inFlight.contains(trial.id) ? .inFlight : .idle))
        }
        for row in facts.rungs where row.rule == state.signature {
            state.restore(
                decision: HalvingState.Decision(
                    rung: row.rung, epoch: row.epoch, gridPoint: row.gridPoint, score: row.metric ?? .nan,
                    rank: row.rank, promoted: row.promoted))
        }
        stoppedCount = facts.trials.filter { state.pointOf[$0.id].map(state.isStopped) ?? false }.count
        specs = Dictionary(facts.trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.state = state
    }

    /// A recorded status's standing when it settles the trial; nil for a trial that can train (or is in flight).
    private static func standing(_ status: TrialStatus?, retries: Int) -> HalvingState.Standing? {
        switch status {
        case .completed: .completed
        case .diverged: retries > 0 ? .idle : .diverged
        case .failed: retries > 0 ? .idle : .failed
        default: nil
        }
    }

    var runnableCount: Int { state.runnable().count }
    var isFinished: Bool { state.runnable().isEmpty && !state.standing.values.contains(.inFlight) }

    mutating func next() -> ScheduledRun? {
        guard let (id, until) = state.runnable().first, let trial = specs[id] else { return nil }
        state.set(id, .inFlight)
        return ScheduledRun(trial: trial, until: until == state.rungs.last ? nil : until)
    }

    mutating func recorded(trial: String, epoch: EpochMetrics) { state.recorded(trial: trial, epoch: epoch) }
    mutating func resumed(trial: String, from epoch: Int) { state.resumed(trial: trial, from: epoch) }

    mutating func ended(trial: String, _ ending: AttemptEnding) {
        switch ending {
        case .completed: state.set(trial, .completed)
        case .diverged: state.set(trial, .diverged)
        case .failed(let willRetry): state.set(trial, willRetry ? .idle : .failed)
        case .paused, .interrupted: state.set(trial, .idle)
        }
    }

    /// The rung decisions that are ready, applied to the schedule (`HalvingState.ready` repeats until nothing more
    /// is ready, so one call gives all there are now).
    mutating func decisions() -> [SchedulerDecision] {
        let ready = state.ready()
        for decision in ready { state.restore(decision: decision) }
        return ready.map { decision in
            // A trial patience already completed is ranked with its configuration but has nothing left to stop.
            let stopping =
                decision.promoted
                ? [] : (state.trialsOf[decision.gridPoint] ?? []).filter { state.standing[$0] != .completed }
            stoppedCount += stopping.count
            return .rung(decision, rule: state.signature, metric: state.rule.metric, stopping: stopping)
        }
    }

    mutating func admit(_ trials: [TrialSpec]) {
        state.admit(trials)
        specs.merge(trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

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
            "rung \(first.rung + 1) of \(state.rungs.count) (epoch \(first.epoch)): \(kept) of \(rungs.count) "
                + "configuration(s) go on by the mean \(state.rule.metric.recordName) over their seeds; "
                + "\(stopped) trial(s) stopped"
        ]
    }
}
