import Foundation
import RNNTraining

/// A run's deadline as the coordinator keeps it: the instant, the cost model (``TrialCost``) updated from this
/// run's own measurements as they arrive (each epoch's seconds for its shape, each completed attempt's overhead),
/// and what it kept from starting.
///
/// What it changes is only which runs start (and when running ones stop): never a run's settings, so a trial that
/// completes under a deadline is the same trial as without one.
struct RunDeadline {
    /// The wall-clock instant the run must end by.
    let instant: Date
    /// `07:00` or `budget 6 h`, for the run's lines.
    let label: String
    var cost: TrialCost
    /// Trials it kept from starting (each stays as it was: pending, paused or interrupted).
    private(set) var refused: Set<String> = []
    /// Whether the deadline came while trials ran (they were stopped).
    var reached = false
    /// This run's epoch seconds by shape, which replace the history's once measured.
    private var measured: [String: (sum: Double, count: Int)] = [:]
    /// This run's overheads (wall time of an attempt minus its epochs).
    private var overheads: [Double] = []
    /// The epoch seconds of each attempt in flight, summed.
    private var attemptEpochs: [String: Double] = [:]

    init(instant: Date, label: String, cost: TrialCost) {
        self.instant = instant
        self.label = label
        self.cost = cost
    }

    /// A recorded epoch of a trial in flight.
    mutating func epoch(_ trial: TrialSpec, seconds: Double) {
        guard seconds.isFinite, seconds > 0 else { return }
        let shape = PlanEstimate.shape(trial.parameters)
        measured[shape, default: (0, 0)].sum += seconds
        measured[shape, default: (0, 0)].count += 1
        let m = measured[shape]!
        cost.epochSeconds[shape] = m.sum / Double(m.count)
        attemptEpochs[trial.id, default: 0] += seconds
    }

    /// An attempt that ran `wall` seconds from its spawn to its end: its overhead becomes the run's measurement.
    mutating func attemptEnded(_ trial: TrialSpec, wall: Double?) {
        let epochs = attemptEpochs.removeValue(forKey: trial.id) ?? 0
        guard let wall, wall >= epochs else { return }
        overheads.append(wall - epochs)
        let median = PlanEstimate.median(overheads)
        cost.overhead = median
        cost.overheadByData[TrialCost.dataKey(trial.parameters)] = median
        // The measured overhead holds the epochs' bookkeeping that the calibration counted per epoch.
        cost.epochOverhead = 0
    }

    /// Whether `run` (of a trial that has trained `done` epochs) can finish by the deadline when started `now`;
    /// when it cannot, the trial is noted as refused.
    mutating func admits(_ run: ScheduledRun, done: Int, now: Date) -> Bool {
        let fits = DeadlineFit.fits(cost: seconds(run, done: done), left: instant.timeIntervalSince(now))
        if !fits { refused.insert(run.trial.id) }
        return fits
    }

    /// What `run` costs by the model, for a trial that has trained `done` epochs.
    func seconds(_ run: ScheduledRun, done: Int) -> Double {
        cost.seconds(run.trial.parameters, epochs: (run.until ?? run.trial.parameters.int("epochs")) - done)
    }

    /// The run's last line: `deadline 07:00: 41 trials done, 3 interrupted, 12 not started (would not fit)`.
    func line(completed: Int, interrupted: Int, notStarted: Int) -> String {
        "deadline \(label): \(completed) trial(s) done, \(interrupted) interrupted, \(notStarted) not started"
            + (refused.isEmpty ? "" : " (\(refused.count) would not fit)")
    }
}
