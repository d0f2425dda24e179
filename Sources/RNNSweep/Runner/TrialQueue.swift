import RNNTraining

/// What runs next. Plainly: the trials of this run in ordinal order, then re-queued ones (retries of failed
/// attempts, and Slurm tasks stopped by their time limit). Under successive halving it also holds the promotion
/// rule (`HalvingState`): each trial runs to its configuration's next rung, lower rungs first, and a rung is decided
/// once all its trials have reached it. Knows nothing of processes, schedulers or the database.
struct TrialQueue {
    private var waiting: [TrialSpec]
    private let specs: [String: TrialSpec]
    private(set) var attempts: [String: Int] = [:]
    private(set) var halving: HalvingState?
    /// Extra attempts for a trial whose worker failed.
    let retries: Int

    /// A plain queue of `trials`.
    init(trials: [TrialSpec], retries: Int) {
        waiting = trials
        specs = Dictionary(trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.retries = retries
    }

    /// A successive-halving queue over `trials` (all of the sweep's); `halving` holds their recorded standing.
    init(halving: HalvingState, trials: [TrialSpec], retries: Int) {
        waiting = []
        specs = Dictionary(trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.halving = halving
        self.retries = retries
    }

    /// How many trials have something to do now.
    var count: Int { halving?.runnable().count ?? waiting.count }
    var isEmpty: Bool { count == 0 }

    /// The next trial to start, its attempt number in this run (1, 2, …) and the epoch to stop after (nil: train all
    /// epochs and test), or nil.
    mutating func next() -> (trial: TrialSpec, attempt: Int, until: Int?)? {
        if var halving {
            guard let (id, until) = halving.runnable().first, let trial = specs[id] else { return nil }
            halving.set(id, .inFlight)
            self.halving = halving
            attempts[id, default: 0] += 1
            return (trial, attempts[id]!, until == halving.rungs.last ? nil : until)
        }
        guard !waiting.isEmpty else { return nil }
        let trial = waiting.removeFirst()
        attempts[trial.id, default: 0] += 1
        return (trial, attempts[trial.id]!, nil)
    }

    /// Takes a trial out of the queue (it is already in flight elsewhere, e.g. a Slurm task of an earlier run).
    mutating func remove(_ id: String) {
        waiting.removeAll { $0.id == id }
        halving?.set(id, .inFlight)
    }

    /// Called when an attempt failed: queues the trial again while it has retries left; returns whether it did.
    mutating func failed(_ trial: TrialSpec) -> Bool {
        let again = attempts[trial.id, default: 0] <= retries
        if halving != nil {
            halving!.set(trial.id, again ? .idle : .failed)
        } else if again {
            waiting.append(trial)
        }
        return again
    }

    /// Queues a trial again regardless of retries (it was stopped, not failed: a Slurm time limit, a pause).
    mutating func resume(_ trial: TrialSpec) {
        if halving != nil { halving!.set(trial.id, .idle) } else { waiting.append(trial) }
    }

    // MARK: - Successive halving facts (no-ops for a plain queue)

    mutating func recorded(trial: String, epoch: EpochMetrics) { halving?.recorded(trial: trial, epoch: epoch) }
    mutating func resumed(trial: String, from epoch: Int) { halving?.resumed(trial: trial, from: epoch) }
    mutating func completed(_ trial: String) { halving?.set(trial, .completed) }
    mutating func diverged(_ trial: String) { halving?.set(trial, .diverged) }
    /// An attempt ended without finishing and without failing (a pause at its rung, a user's stop).
    mutating func idle(_ trial: String) { halving?.set(trial, .idle) }

    /// The rung decisions that are ready, applied to the schedule (record them, then ask again: a decision can make
    /// another ready only after its trials train further, so one call gives all there are now).
    mutating func decisions() -> [HalvingState.Decision] {
        guard var halving else { return [] }
        let ready = halving.ready()
        for decision in ready { halving.restore(decision: decision) }
        self.halving = halving
        return ready
    }
}
