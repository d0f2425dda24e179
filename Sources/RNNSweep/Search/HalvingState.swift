import RNNTraining

/// Where every trial of a successive-halving sweep stands: the epoch it may train to, and the rung decisions that
/// are ready. Pure bookkeeping on recorded facts (last epochs, metrics, decisions), so that the same facts give the
/// same schedule and decisions in any run.
struct HalvingState {
    let rule: SuccessiveHalving
    /// The rung epochs; the last is the trials' `epochs`.
    let rungs: [Int]
    /// What a decision is recorded under: a changed rule never reuses another rule's decisions.
    let signature: String

    /// A trial's standing.
    enum Standing: Equatable {
        /// Can train (from its last epoch).
        case idle
        case inFlight
        /// Finished with test metrics: after all epochs, or earlier when patience stopped it.
        case completed
        /// Failed (not diverged): its rung waits until a retry completes it.
        case failed
        /// Diverged: it counts as having reached every rung, with a non-finite metric.
        case diverged
    }

    private(set) var pointOf: [String: Int] = [:]
    private(set) var trialsOf: [Int: [String]] = [:]
    private(set) var order: [String: Int] = [:]
    private(set) var lastEpoch: [String: Int] = [:]
    private(set) var standing: [String: Standing] = [:]
    /// Trials whose last attempt did not confirm where they stand (``confirm(_:_:)``).
    private(set) var unconfirmed: Set<String> = []
    /// Trial → epoch → the rule's metric at that epoch.
    private(set) var metrics: [String: [Int: Double]] = [:]
    /// Rung epoch → grid point → promoted?
    private(set) var decisions: [Int: [Int: Bool]] = [:]

    /// One decision to record: a grid point's rank and fate at a rung.
    struct Decision: Equatable {
        var rung: Int
        var epoch: Int
        var gridPoint: Int
        var score: Double
        var rank: Int
        var promoted: Bool
    }

    /// `rungs` and `signature` default to the rule's; a Hyperband bracket gives its own (its rungs start at
    /// epochs·η^−s, and its decisions are recorded per bracket).
    init(
        rule: SuccessiveHalving, epochs: Int, trials: [TrialSpec], rungs: [Int]? = nil, signature: String? = nil
    ) {
        self.rule = rule
        self.rungs = rungs ?? rule.rungs(epochs: epochs)
        self.signature = signature ?? rule.signature
        admit(trials)
    }

    /// Trials added while the sweep runs (a sampler's proposals): idle at epoch 0 and ranked like the others.
    mutating func admit(_ trials: [TrialSpec]) {
        for trial in trials where pointOf[trial.id] == nil {
            pointOf[trial.id] = trial.gridPoint
            trialsOf[trial.gridPoint, default: []].append(trial.id)
            order[trial.id] = trial.ordinal
            lastEpoch[trial.id] = 0
            standing[trial.id] = .idle
        }
    }

    // MARK: - Facts

    mutating func recorded(trial: String, epoch: EpochMetrics) {
        lastEpoch[trial] = max(lastEpoch[trial] ?? 0, epoch.epoch)
        let value = epoch.value(rule.metric)
        metrics[trial, default: [:]][epoch.epoch] = value ?? .nan
    }

    /// Forgets epochs after `epoch` (a resumed attempt re-records them).
    mutating func resumed(trial: String, from epoch: Int) {
        lastEpoch[trial] = epoch
        metrics[trial] = metrics[trial]?.filter { $0.key <= epoch }
    }

    mutating func set(_ trial: String, _ standing: Standing) { self.standing[trial] = standing }

    mutating func restore(decision: Decision) {
        decisions[decision.epoch, default: [:]][decision.gridPoint] = decision.promoted
    }

    // MARK: - Schedule

    /// The epoch a grid point may train to (nil once it is stopped): the first rung it has no promotion at.
    func target(point: Int) -> Int? {
        for (k, epoch) in rungs.enumerated() {
            if k == rungs.count - 1 { return epoch }
            guard let promoted = decisions[epoch]?[point] else { return epoch }
            if !promoted { return nil }
        }
        return rungs.last
    }

    func isStopped(point: Int) -> Bool { target(point: point) == nil }

    /// The epoch `trial` should train to next, or nil when it has nothing to do now (in flight, done, waiting at its
    /// rung, stopped, or failed).
    func next(for trial: String) -> Int? {
        guard standing[trial] == .idle, let point = pointOf[trial], let target = target(point: point) else {
            return nil
        }
        // An unconfirmed trial runs again from its checkpoint, which only confirms where it stands (it pauses at
        // its rung, or tests what patience ended). At the last rung an idle trial is not completed: one stopped
        // after its last epoch but before its test (a stop, a deadline) runs again to test.
        if unconfirmed.contains(trial) { return target }
        return (lastEpoch[trial] ?? 0) < target || target == rungs.last ? target : nil
    }

    /// Whether `trial` counts as having reached `epoch` for a rung's decision: diverged, completed (patience may end
    /// it before the rung), or out of flight with the epoch recorded and its standing confirmed.
    func hasReached(_ trial: String, epoch: Int) -> Bool {
        standing[trial] == .diverged || standing[trial] == .completed
            || (standing[trial] != .inFlight && !unconfirmed.contains(trial) && (lastEpoch[trial] ?? 0) >= epoch)
    }

    /// Marks whether a trial's last attempt confirmed where it stands: a pause at its rung or a completion does; an
    /// attempt stopped from outside (interrupted, failed and retried) does not — having recorded its rung's epoch, it
    /// may have been about to finish (patience) rather than pause, which decides whether the rung stops it.
    mutating func confirm(_ trial: String, _ confirmed: Bool) {
        if confirmed { unconfirmed.remove(trial) } else { unconfirmed.insert(trial) }
    }

    /// The trials with something to do, lowest rung first, then in trial order, so that no worker waits at a rung
    /// barrier while a lower rung has work left.
    func runnable() -> [(trial: String, until: Int)] {
        order.keys.compactMap { id in next(for: id).map { (id, $0) } }
            .sorted { a, b in a.until != b.until ? a.until < b.until : order[a.trial]! < order[b.trial]! }
    }

    /// The rung decisions whose trials have all reached their rung: for each rung (but the last) with undecided
    /// grid points still in, once every trial of those points has reached it (or diverged, or completed before it
    /// because patience stopped it) and none is in flight, those points are ranked and the best 1/η promoted. Points
    /// added after a rung was decided are decided among themselves.
    ///
    /// Repeated until nothing more is ready: a promotion of points whose trials patience already completed makes
    /// their next rung ready at once, and a run that ends now must not leave it for the next `run` to decide.
    func ready() -> [Decision] {
        var state = self
        var decided: [Decision] = []
        while case let batch = state.readyOnce(), !batch.isEmpty {
            for decision in batch { state.restore(decision: decision) }
            decided += batch
        }
        return decided
    }

    /// One pass of `ready()` over the rungs with the decisions recorded so far.
    private func readyOnce() -> [Decision] {
        var decided: [Decision] = []
        for (k, epoch) in rungs.enumerated().dropLast() {
            let candidates = trialsOf.keys.filter { point in
                decisions[epoch]?[point] == nil && target(point: point) == epoch
            }
            guard !candidates.isEmpty else { continue }
            let reached = candidates.allSatisfy { point in trialsOf[point]!.allSatisfy { hasReached($0, epoch: epoch) }
            }
            guard reached else { continue }
            let scores = candidates.map { point in
                SuccessiveHalving.Score(
                    gridPoint: point,
                    values: trialsOf[point]!.map { id in standing[id] == .diverged ? .nan : score(of: id, at: epoch) })
            }
            let ranked = rule.ranked(scores)
            let kept = rule.kept(of: ranked.count)
            for (rank, score) in ranked.enumerated() {
                decided.append(
                    Decision(
                        rung: k, epoch: epoch, gridPoint: score.gridPoint, score: score.mean, rank: rank + 1,
                        promoted: rank < kept))
            }
        }
        return decided
    }

    /// A trial's metric at a rung: its value at that epoch, or, for a trial patience stopped before the rung, the
    /// value of its last recorded epoch (the metric it ended on, not its best: what training would have gone on
    /// from; the rung ranks where each trial stands).
    func score(of trial: String, at epoch: Int) -> Double? {
        if let value = metrics[trial]?[epoch] { return value }
        guard standing[trial] == .completed, let last = lastEpoch[trial], last < epoch else { return nil }
        return metrics[trial]?[last]
    }

    /// The rung index of an epoch (`rung 2 of 4`), for status lines.
    func rung(of epoch: Int) -> Int? { rungs.firstIndex(of: epoch) }
}
