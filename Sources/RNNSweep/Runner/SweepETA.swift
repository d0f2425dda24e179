/// How long the rest of a run will take, from what this run has measured so far, by the cost model of a trial
/// (``TrialCost``): each trial's epochs left times the mean epoch time of its grid point (its seeds share a shape),
/// plus, for each trial not yet started, the median overhead of this run's ended attempts (wall time from start to
/// end minus their epochs: start-up, data, checkpoints, test), summed and divided by the workers — or the longest
/// trial left, when that is longer (a trial runs on one worker).
///
/// Until one of its own epochs is measured, a grid point's epoch is its prior (the run's ``TrialCost``: the
/// database's history or a calibration) times how this run's measured epochs compare with their priors: a sweep in
/// grid order measures its small models first, and their mean said nothing of the large ones after them. Without a
/// prior, the mean over every grid point measured so far stands in.
///
/// Kept as running sums, so that an estimate costs the same with 10 trials or 10,000 (it is asked at every trial's
/// end and every redraw: a walk over every trial made a run's bookkeeping grow with the square of its trials). The
/// longest trial left is looked for only among the trials with epochs left once they are few (`boundTrials`); with
/// more, the sum over the workers is what ends the run.
struct SweepETA {
    struct Trial {
        var gridPoint: Int
        var epochsLeft: Int
        /// The cost model's seconds for one epoch of the trial's shape, when it has them.
        var priorEpoch: Double? = nil
    }

    private var trials: [String: Trial] = [:]
    private var seconds: [Int: (sum: Double, count: Int)] = [:]
    private var overall: (sum: Double, count: Int) = (0, 0)
    private(set) var epochsDone = 0
    /// Trials started in this run, with their attempt's epoch seconds so far.
    private var attemptEpochs: [String: Double] = [:]
    /// Overheads of this run's ended attempts, ascending (for their median).
    private var overheads: [Double] = []
    private(set) var epochsPlanned = 0
    let workers: Int

    /// Epochs left per grid point.
    private var leftByPoint: [Int: Int] = [:]
    /// Σ epochs left × the point's mean epoch, over measured grid points; epochs left of unmeasured ones without a
    /// prior, and Σ epochs left × prior of those with one.
    private var measuredSeconds = 0.0
    private var unmeasuredEpochs = 0
    private var unmeasuredPriorSeconds = 0.0
    /// Priors by grid point, and Σ prior and Σ measured seconds over the measured epochs of points with one (their
    /// ratio scales the priors of the points not yet measured).
    private var priors: [Int: Double] = [:]
    private var priorOfMeasured = 0.0
    private var measuredWithPrior = 0.0
    /// Trials with epochs left that have not started in this run: each pays the overhead.
    private var unstarted = 0
    /// Trials with epochs left.
    private var active: Set<String> = []
    /// Below this many trials with epochs left, the longest one bounds the estimate.
    static let boundTrials = 64

    /// `plan`: every trial this run may train, with the epochs it has left.
    init(plan: [String: Trial], workers: Int) {
        self.workers = max(workers, 1)
        added(plan)
    }

    /// An epoch ended. A `warmUp` epoch (a worker process's first: its kernels' set-up, 25 ms against 0.3 ms on
    /// small data; it made the estimate 25–80 % long at a tenth of a small-data run) counts as done, but its seconds
    /// go to its attempt's overhead, not to any epoch's mean: a worker kept across trials pays it once (the median
    /// overhead passes it by), a process per trial (Slurm, `--fresh-workers`) every time.
    mutating func epoch(trial: String, gridPoint: Int, seconds elapsed: Double, warmUp: Bool = false) {
        epochsDone += 1
        if let t = trials[trial] { setLeft(trial, max(0, t.epochsLeft - 1), planned: false) }
        guard elapsed.isFinite, elapsed >= 0, !warmUp else { return }
        attemptEpochs[trial, default: 0] += elapsed
        let left = Double(leftByPoint[gridPoint] ?? 0)
        if let old = mean(of: gridPoint) {
            measuredSeconds -= left * old
        } else if let prior = priors[gridPoint] {
            unmeasuredPriorSeconds -= left * prior
        } else {
            unmeasuredEpochs -= Int(left)
        }
        if let prior = priors[gridPoint] {
            priorOfMeasured += prior
            measuredWithPrior += elapsed
        }
        seconds[gridPoint, default: (0, 0)].sum += elapsed
        seconds[gridPoint, default: (0, 0)].count += 1
        measuredSeconds += left * mean(of: gridPoint)!
        overall.sum += elapsed
        overall.count += 1
    }

    /// Trials a scheduler added while the run goes on: planned from now on.
    mutating func added(_ plan: [String: Trial]) {
        for (id, trial) in plan where trials[id] == nil {
            trials[id] = Trial(gridPoint: trial.gridPoint, epochsLeft: 0)
            // A point's prior is set before any of its epochs is left (it moves those sums).
            if let prior = trial.priorEpoch, prior > 0, priors[trial.gridPoint] == nil,
                leftByPoint[trial.gridPoint, default: 0] == 0, mean(of: trial.gridPoint) == nil
            {
                priors[trial.gridPoint] = prior
            }
            setLeft(id, trial.epochsLeft)
        }
    }

    /// An attempt of the trial started: its overhead is counted from now on by its own measurement.
    mutating func started(trial: String) {
        guard attemptEpochs[trial] == nil else { return }
        if (trials[trial]?.epochsLeft ?? 0) > 0 { unstarted -= 1 }
        attemptEpochs[trial] = 0
    }

    /// An attempt ended `wall` seconds after it started: the part not spent in its epochs is its overhead.
    mutating func attemptEnded(trial: String, wall: Double) {
        let epochs = attemptEpochs[trial] ?? 0
        if wall.isFinite, wall >= epochs {
            let overhead = wall - epochs
            var low = 0
            var high = overheads.count
            while low < high {
                let middle = (low + high) / 2
                if overheads[middle] <= overhead { low = middle + 1 } else { high = middle }
            }
            overheads.insert(overhead, at: low)
        }
        attemptEpochs[trial] = 0
    }

    /// The trial trains no more in this run (finished, stopped, failed for good).
    mutating func ended(trial: String) {
        guard trials[trial] != nil else { return }
        setLeft(trial, 0)
    }

    /// Seconds left; nil until an epoch has been measured.
    var remainingSeconds: Double? { estimate().seconds }

    /// Seconds left, and how many trials the estimate looked at (a test keeps that from growing with the run).
    func estimate() -> (seconds: Double?, visited: Int) {
        guard overall.count > 0 else { return (nil, 0) }
        let mean = overall.sum / Double(overall.count)
        let overhead = overheads.isEmpty ? 0 : PlanEstimate.median(sorted: overheads)
        let total =
            max(0, measuredSeconds) + Double(unmeasuredEpochs) * mean + max(0, unmeasuredPriorSeconds) * priorScale
            + Double(unstarted) * overhead
        var longest = 0.0
        var visited = 0
        if active.count <= Self.boundTrials {
            // One trial runs on one worker: the longest one left bounds the end when few remain.
            for id in active {
                visited += 1
                let t = trials[id]!
                longest = max(
                    longest,
                    Double(t.epochsLeft)
                        * (self.mean(of: t.gridPoint) ?? priors[t.gridPoint].map { $0 * priorScale } ?? mean)
                        + (attemptEpochs[id] == nil ? overhead : 0))
            }
        }
        return (max(total / Double(workers), longest), visited)
    }

    /// How this run's epochs compare with their priors (1 until one with a prior is measured).
    private var priorScale: Double { priorOfMeasured > 0 ? measuredWithPrior / priorOfMeasured : 1 }

    private func mean(of gridPoint: Int) -> Double? {
        seconds[gridPoint].map { $0.sum / Double($0.count) }
    }

    /// Sets a trial's epochs left, keeping the running sums; `planned` when the run's plan changes with it (an
    /// epoch trained is still planned).
    private mutating func setLeft(_ id: String, _ left: Int, planned: Bool = true) {
        guard let t = trials[id] else { return }
        let change = left - t.epochsLeft
        guard change != 0 else { return }
        if planned { epochsPlanned += change }
        leftByPoint[t.gridPoint, default: 0] += change
        if let m = mean(of: t.gridPoint) {
            measuredSeconds += Double(change) * m
        } else if let prior = priors[t.gridPoint] {
            unmeasuredPriorSeconds += Double(change) * prior
        } else {
            unmeasuredEpochs += change
        }
        let notStarted = attemptEpochs[id] == nil
        if t.epochsLeft == 0 && left > 0 {
            active.insert(id)
            if notStarted { unstarted += 1 }
        } else if t.epochsLeft > 0 && left == 0 {
            active.remove(id)
            if notStarted { unstarted -= 1 }
        }
        trials[id]!.epochsLeft = left
    }
}
