/// How long the rest of a run will take, from what this run has measured so far, by the cost model of a trial
/// (``TrialCost``): each trial's epochs left times the mean epoch time of its grid point (its seeds share a shape;
/// the mean over every grid point measured so far until one of its own epochs is), plus, for each trial not yet
/// started, the median overhead of this run's ended attempts (wall time from start to end minus their epochs:
/// start-up, data, checkpoints, test), summed and divided by the workers — or the longest trial left, when that is
/// longer (a trial runs on one worker).
struct SweepETA {
    struct Trial {
        var gridPoint: Int
        var epochsLeft: Int
    }

    private var trials: [String: Trial] = [:]
    private var seconds: [Int: (sum: Double, count: Int)] = [:]
    private var overall: (sum: Double, count: Int) = (0, 0)
    private(set) var epochsDone = 0
    /// Trials started in this run, with their attempt's epoch seconds so far.
    private var attemptEpochs: [String: Double] = [:]
    /// Overheads of this run's ended attempts.
    private var overheads: [Double] = []
    private(set) var epochsPlanned = 0
    let workers: Int

    /// `plan`: every trial this run may train, with the epochs it has left.
    init(plan: [String: Trial], workers: Int) {
        trials = plan
        epochsPlanned = plan.values.reduce(0) { $0 + $1.epochsLeft }
        self.workers = max(workers, 1)
    }

    mutating func epoch(trial: String, gridPoint: Int, seconds elapsed: Double) {
        epochsDone += 1
        if var t = trials[trial] {
            t.epochsLeft = max(0, t.epochsLeft - 1)
            trials[trial] = t
        }
        guard elapsed.isFinite, elapsed >= 0 else { return }
        attemptEpochs[trial, default: 0] += elapsed
        seconds[gridPoint, default: (0, 0)].sum += elapsed
        seconds[gridPoint, default: (0, 0)].count += 1
        overall.sum += elapsed
        overall.count += 1
    }

    /// Trials a scheduler added while the run goes on: planned from now on.
    mutating func added(_ plan: [String: Trial]) {
        for (id, trial) in plan where trials[id] == nil {
            trials[id] = trial
            epochsPlanned += trial.epochsLeft
        }
    }

    /// An attempt of the trial started: its overhead is counted from now on by its own measurement.
    mutating func started(trial: String) {
        attemptEpochs[trial] = attemptEpochs[trial] ?? 0
    }

    /// An attempt ended `wall` seconds after it started: the part not spent in its epochs is its overhead.
    mutating func attemptEnded(trial: String, wall: Double) {
        let epochs = attemptEpochs[trial] ?? 0
        if wall.isFinite, wall >= epochs { overheads.append(wall - epochs) }
        attemptEpochs[trial] = 0
    }

    /// The trial trains no more in this run (finished, stopped, failed for good).
    mutating func ended(trial: String) {
        guard let t = trials[trial] else { return }
        epochsPlanned -= t.epochsLeft
        trials[trial]?.epochsLeft = 0
    }

    /// Seconds left; nil until an epoch has been measured.
    var remainingSeconds: Double? {
        guard overall.count > 0 else { return nil }
        let mean = overall.sum / Double(overall.count)
        let overhead = overheads.isEmpty ? 0 : PlanEstimate.median(overheads)
        let left = trials.map { id, t in
            let unstarted = t.epochsLeft > 0 && attemptEpochs[id] == nil
            return Double(t.epochsLeft) * (seconds[t.gridPoint].map { $0.sum / Double($0.count) } ?? mean)
                + (unstarted ? overhead : 0)
        }
        // One trial runs on one worker: the longest one left bounds the end when few remain.
        return max(left.reduce(0, +) / Double(workers), left.max() ?? 0)
    }
}
