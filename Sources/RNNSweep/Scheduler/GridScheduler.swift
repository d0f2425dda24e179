import RNNTraining

/// The plain order: the trials of this run in ordinal order, then re-queued ones (retries of failed attempts, and
/// attempts interrupted through no fault of their own, such as a Slurm time limit). Paused and stopped trials train
/// on: without a halving rule nothing holds them at a rung (the rule was turned off).
struct GridScheduler: TrialScheduler {
    private var waiting: [TrialSpec]
    /// How many of `waiting` have started: taking the first by index keeps `next()` O(1) (`removeFirst` moved
    /// every trial left, N²/2 moves for a sweep of N).
    private var started = 0
    /// Every trial of the sweep by id, so that a re-queued trial keeps its spec.
    private var specs: [String: TrialSpec]
    private var running: Set<String> = []

    init(facts: SchedulerFacts) {
        var toRun: Set<TrialStatus> = [.pending, .interrupted, .running, .paused, .stopped]
        if facts.retries > 0 { toRun.formUnion([.failed, .diverged]) }
        specs = Dictionary(facts.trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        waiting = facts.trials.filter { trial in
            toRun.contains(facts.status[trial.id] ?? .pending) && !facts.inFlight.contains(trial.id)
        }
    }

    var runnableCount: Int { waiting.count - started }
    var isFinished: Bool { started == waiting.count && running.isEmpty }

    mutating func next() -> ScheduledRun? {
        guard started < waiting.count else { return nil }
        let trial = waiting[started]
        started += 1
        running.insert(trial.id)
        return ScheduledRun(trial: trial, until: nil)
    }

    mutating func recorded(trial: String, epoch: EpochMetrics) {}
    mutating func resumed(trial: String, from epoch: Int) {}

    mutating func ended(trial: String, _ ending: AttemptEnding) {
        running.remove(trial)
        guard let spec = specs[trial] else { return }
        switch ending {
        case .failed(willRetry: true), .interrupted: waiting.append(spec)
        case .completed, .paused, .diverged, .failed(willRetry: false): break
        }
    }

    mutating func decisions() -> [SchedulerDecision] { [] }

    mutating func admit(_ trials: [TrialSpec]) {
        specs.merge(trials.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        waiting.append(contentsOf: trials)
    }
}
