import HeapModule
import RNNTraining

/// The bookkeeping successive halving, asynchronous halving and Hyperband share: one or more `HalvingState`s (one per
/// Hyperband bracket, one for successive or asynchronous halving) run as one schedule. Pure: it hears only the facts
/// of the `TrialScheduler` contract.
///
/// Scheduling: a worker never waits while any trial can run. Under the synchronous rule the runnable trial with the
/// lowest target epoch goes first (then the lowest ordinal), across all brackets, so rung barriers are reached
/// sooner; under the asynchronous rule the highest target epoch goes first (then the lowest ordinal), as ASHA's
/// `get_job` promotes before it starts new configurations. Which trial runs first never changes a decision.
struct HalvingBrackets {
    /// How a state's rung decisions are taken.
    enum Decider: Sendable {
        /// `HalvingState.ready`: a rung is decided once all its configurations reached it.
        case synchronous
        /// `HalvingState.readyAsynchronously`: configuration by configuration, in grid order.
        case asynchronous
    }

    private(set) var states: [HalvingState]
    let decider: Decider
    private var specs: [String: TrialSpec] = [:]
    /// Trial id → index in `states`.
    private var stateOf: [String: Int] = [:]
    /// The trials that may run, in the order `next()` takes them, each with the epoch it would train to when it
    /// was queued. An entry is queued whenever something may have let a trial run (it was registered, ended, or its
    /// configuration was promoted) and checked when taken: one no longer true (the trial is in flight, its target
    /// moved) is dropped. A scan of every trial at every start made a 3,000-trial halving sweep's coordinator spend
    /// a third of its time choosing, growing with the square of the trials.
    private var queue = Heap<Queued>()

    /// A queued trial: synchronous halving takes the lowest target epoch first, asynchronous the highest; then the
    /// lowest ordinal (unique), so the order never depends on when entries were queued.
    struct Queued: Comparable {
        var key: Int
        var ordinal: Int
        var until: Int
        var state: Int
        var trial: TrialSpec

        static func < (a: Queued, b: Queued) -> Bool { (a.key, a.ordinal) < (b.key, b.ordinal) }
        static func == (a: Queued, b: Queued) -> Bool { (a.key, a.ordinal, a.until) == (b.key, b.ordinal, b.until) }
    }

    init(states: [HalvingState], decider: Decider, trials: [TrialSpec]) {
        self.states = states
        self.decider = decider
        register(trials)
    }

    /// Registers trials the states already hold (by id).
    mutating func register(_ trials: [TrialSpec]) {
        for trial in trials {
            guard let index = states.firstIndex(where: { $0.pointOf[trial.id] != nil }) else { continue }
            guard specs.updateValue(trial, forKey: trial.id) == nil else { continue }
            stateOf[trial.id] = index
            enqueue(trial.id)
        }
    }

    /// Queues `id` with the epoch it may train to now, if any (see `queue`).
    private mutating func enqueue(_ id: String) {
        guard let index = stateOf[id], let spec = specs[id], let until = states[index].next(for: id) else { return }
        queue.insert(
            Queued(
                key: decider == .synchronous ? until : -until, ordinal: spec.ordinal, until: until, state: index,
                trial: spec))
    }

    /// Adds a state (a new Hyperband bracket) for trials not yet held.
    mutating func append(_ state: HalvingState, trials: [TrialSpec]) {
        states.append(state)
        register(trials)
    }

    /// Adds trials to the state at `index`.
    mutating func admit(_ trials: [TrialSpec], to index: Int) {
        states[index].admit(trials)
        register(trials)
    }

    /// Rebuilds the standing of every held trial and the decisions recorded under each state's signature.
    mutating func restore(_ facts: SchedulerFacts) {
        for trial in facts.trials {
            guard let index = stateOf[trial.id] else { continue }
            for epoch in facts.epochs[trial.id] ?? [] { states[index].recorded(trial: trial.id, epoch: epoch) }
            let standing: HalvingState.Standing =
                switch facts.status[trial.id] {
                case .completed: .completed
                case .diverged: facts.retries > 0 ? .idle : .diverged
                case .failed: facts.retries > 0 ? .idle : .failed
                default: facts.inFlight.contains(trial.id) ? .inFlight : .idle
                }
            states[index].set(trial.id, standing)
            // An attempt stopped from outside (or found running) has not confirmed where it stands.
            let stoppedFromOutside: Set<TrialStatus> = [.interrupted, .running]
            if let status = facts.status[trial.id],
                stoppedFromOutside.contains(status) || (facts.retries > 0 && [.failed, .diverged].contains(status))
            {
                states[index].confirm(trial.id, false)
            }
        }
        for row in facts.rungs {
            guard let index = states.firstIndex(where: { $0.signature == row.rule }) else { continue }
            states[index].restore(
                decision: HalvingState.Decision(
                    rung: row.rung, epoch: row.epoch, gridPoint: row.gridPoint, score: row.metric ?? .nan,
                    rank: row.rank, promoted: row.promoted))
        }
        for id in specs.keys { enqueue(id) }
        stoppedCount = specs.keys.count { id in
            let state = states[stateOf[id]!]
            return state.standing[id] != .completed && (state.pointOf[id].map(state.isStopped) ?? false)
        }
    }

    var runnableCount: Int {
        specs.keys.count { states[stateOf[$0]!].next(for: $0) != nil }
    }

    /// Every trial completed, diverged, failed for good, or stopped at a rung.
    var isFinished: Bool {
        specs.keys.allSatisfy { id in
            let state = states[stateOf[id]!]
            switch state.standing[id] {
            case .completed, .diverged, .failed: return true
            case .inFlight: return false
            case .idle, nil: return state.pointOf[id].map(state.isStopped) ?? true
            }
        }
    }

    mutating func next() -> ScheduledRun? {
        // Synchronous: lowest rung first (the barrier is reached sooner). Asynchronous: as ASHA's get_job, promoted
        // configurations first, highest rung first, so the deepest training is not left to the end.
        while let best = queue.popMin() {
            // Still true? (Dropped otherwise: whatever lets the trial run again queues it again.)
            guard states[best.state].next(for: best.trial.id) == best.until else { continue }
            states[best.state].set(best.trial.id, .inFlight)
            return ScheduledRun(
                trial: best.trial, until: best.until == states[best.state].rungs.last ? nil : best.until)
        }
        return nil
    }

    mutating func recorded(trial: String, epoch: EpochMetrics) {
        guard let index = stateOf[trial] else { return }
        states[index].recorded(trial: trial, epoch: epoch)
    }

    mutating func resumed(trial: String, from epoch: Int) {
        guard let index = stateOf[trial] else { return }
        states[index].resumed(trial: trial, from: epoch)
    }

    mutating func ended(trial: String, _ ending: AttemptEnding) {
        guard let index = stateOf[trial] else { return }
        let standing: HalvingState.Standing =
            switch ending {
            case .completed: .completed
            case .paused, .interrupted: .idle
            case .diverged: .diverged
            case .failed(let willRetry): willRetry ? .idle : .failed
            }
        states[index].set(trial, standing)
        switch ending {
        case .completed, .paused: states[index].confirm(trial, true)
        case .interrupted, .failed(willRetry: true): states[index].confirm(trial, false)
        case .diverged, .failed(willRetry: false): break
        }
        enqueue(trial)
    }

    /// The decisions ready in every state, applied; each stops the trials of a configuration not promoted (but
    /// a trial patience already completed, which is ranked with its configuration and has nothing left to stop).
    mutating func decisions() -> [SchedulerDecision] {
        var result: [SchedulerDecision] = []
        for index in states.indices {
            let state = states[index]
            let ready = decider == .synchronous ? state.ready() : state.readyAsynchronously()
            for decision in ready {
                states[index].restore(decision: decision)
                let stopping =
                    decision.promoted
                    ? [] : (state.trialsOf[decision.gridPoint] ?? []).filter { state.standing[$0] != .completed }
                stoppedCount += stopping.count
                // A promoted configuration's trials may train to the next rung.
                if decision.promoted { for id in state.trialsOf[decision.gridPoint] ?? [] { enqueue(id) } }
                result.append(.rung(decision, rule: state.signature, metric: state.rule.metric, stopping: stopping))
            }
        }
        return result
    }

    /// Trials stopped at a rung: those restored stopped, and those this run's decisions stopped.
    private(set) var stoppedCount = 0
}

/// A scheduler made of `HalvingBrackets`: the contract's members forwarded to it.
protocol HalvingBracketsScheduler: TrialScheduler {
    var core: HalvingBrackets { get set }
}

extension HalvingBracketsScheduler {
    var runnableCount: Int { core.runnableCount }
    var isFinished: Bool { core.isFinished }
    mutating func next() -> ScheduledRun? { core.next() }
    mutating func recorded(trial: String, epoch: EpochMetrics) { core.recorded(trial: trial, epoch: epoch) }
    mutating func resumed(trial: String, from epoch: Int) { core.resumed(trial: trial, from: epoch) }
    mutating func ended(trial: String, _ ending: AttemptEnding) { core.ended(trial: trial, ending) }
    mutating func decisions() -> [SchedulerDecision] { core.decisions() }
    var stoppedCount: Int { core.stoppedCount }
}
