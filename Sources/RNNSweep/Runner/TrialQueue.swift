/// What runs next: the trials of this run in ordinal order, then re-queued ones (retries of failed attempts, and
/// Slurm tasks stopped by their time limit). Knows nothing of processes, schedulers or the database.
struct TrialQueue {
    private var waiting: [TrialSpec]
    private(set) var attempts: [String: Int] = [:]
    /// Extra attempts for a trial whose worker failed.
    let retries: Int

    init(trials: [TrialSpec], retries: Int) {
        waiting = trials
        self.retries = retries
    }

    var isEmpty: Bool { waiting.isEmpty }
    var count: Int { waiting.count }

    /// The next trial to start and its attempt number in this run (1, 2, …), or nil.
    mutating func next() -> (trial: TrialSpec, attempt: Int)? {
        guard !waiting.isEmpty else { return nil }
        let trial = waiting.removeFirst()
        attempts[trial.id, default: 0] += 1
        return (trial, attempts[trial.id]!)
    }

    /// Takes a trial out of the queue (it is already in flight elsewhere, e.g. a Slurm task of an earlier run).
    mutating func remove(_ id: String) {
        waiting.removeAll { $0.id == id }
    }

    /// Called when an attempt failed: queues the trial again while it has retries left; returns whether it did.
    mutating func failed(_ trial: TrialSpec) -> Bool {
        guard attempts[trial.id, default: 0] <= retries else { return false }
        waiting.append(trial)
        return true
    }

    /// Queues a trial again regardless of retries (it was stopped, not failed: a Slurm time limit).
    mutating func resume(_ trial: TrialSpec) {
        waiting.append(trial)
    }
}
