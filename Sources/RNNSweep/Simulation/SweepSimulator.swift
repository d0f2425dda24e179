import RNNTraining

/// Replays a population's recorded curves through a real scheduler on a virtual clock: no processes, no training,
/// no wall clock, so the same inputs give the same result.
///
/// W workers. Whenever workers are free, the lowest-numbered free worker takes the scheduler's `next()` run; the run
/// lasts the recorded seconds of the epochs it trains (from the trial's last trained epoch to the run's `until`, or
/// the last epoch), and starting or pausing costs nothing. Runs end in an event queue ordered by (virtual time,
/// worker index); at an end the run's epochs are reported (`recorded`), then `ended(.paused)` or
/// `ended(.completed)`, then `decisions()`, and free workers are filled again.
public struct SweepSimulator {
    /// What one simulated night did.
    public struct Result: Sendable, Equatable {
        public var workers: Int
        /// Virtual seconds from the first start to the last end.
        public var makespan: Double
        /// Seconds workers spent training.
        public var busy: Double
        public var epochsTrained: Int
        /// Every decision the scheduler took, in the order it took them.
        var log: [SchedulerDecision]
        public var decisions: Int { log.count }
        /// The best configuration that trained every epoch of every seed (by the rule's ranking of the mean of its
        /// metric at the last epoch), its recorded source and that mean; nil when none finished.
        public var best: (gridPoint: Int, source: Int, metric: Double)?

        /// busy / (W × makespan).
        public var utilization: Double { makespan > 0 ? busy / (Double(workers) * makespan) : 0 }

        public static func == (a: Result, b: Result) -> Bool {
            a.workers == b.workers && a.makespan == b.makespan && a.busy == b.busy && a.epochsTrained == b.epochsTrained
                && a.log == b.log && a.best?.gridPoint == b.best?.gridPoint
                && a.best?.metric == b.best?.metric
        }
    }

    private struct Running {
        var time: Double
        var worker: Int
        var trial: String
        var from: Int
        var to: Int
        var completes: Bool
    }

    /// Runs `scheduler` over `population` with `workers` workers; `rule` ranks the finished configurations.
    static func run(
        _ scheduler: inout some TrialScheduler, population: SimulatedPopulation, workers: Int,
        rule: SuccessiveHalving
    ) throws -> Result {
        precondition(workers >= 1)
        var free = Set(0..<workers)
        var running: [Running] = []
        var trained: [String: Int] = [:]
        var now = 0.0
        var busy = 0.0
        var epochsTrained = 0
        var log = try checked(scheduler.decisions())
        while true {
            while let worker = free.min(), let run = scheduler.next() {
                guard let curve = population.curves[run.trial.id] else {
                    throw SimulationError("the scheduler ran trial \(run.trial.id), which has no recorded curve")
                }
                let from = trained[run.trial.id] ?? 0
                let to = min(run.until ?? population.epochs, population.epochs)
                let seconds = curve[min(from, to)..<to].reduce(0) { $0 + $1.seconds }
                free.remove(worker)
                busy += seconds
                epochsTrained += max(0, to - from)
                running.append(
                    Running(
                        time: now + seconds, worker: worker, trial: run.trial.id, from: from, to: to,
                        completes: run.until == nil))
            }
            guard
                let index = running.indices.min(by: {
                    (running[$0].time, running[$0].worker) < (running[$1].time, running[$1].worker)
                })
            else { break }
            let end = running.remove(at: index)
            now = end.time
            let curve = population.curves[end.trial]!
            for epoch in curve[min(end.from, end.to)..<end.to] { scheduler.recorded(trial: end.trial, epoch: epoch) }
            trained[end.trial] = end.to
            scheduler.ended(trial: end.trial, end.completes ? .completed : .paused)
            log += try checked(scheduler.decisions())
            free.insert(end.worker)
        }
        guard scheduler.isFinished else {
            throw SimulationError("the scheduler stopped with trials neither finished nor stopped")
        }
        return Result(
            workers: workers, makespan: now, busy: busy, epochsTrained: epochsTrained, log: log,
            best: best(population: population, trained: trained, rule: rule))
    }

    private static func checked(_ decisions: [SchedulerDecision]) throws -> [SchedulerDecision] {
        for case .added in decisions {
            throw SimulationError("the scheduler added trials, which have no recorded curves to replay")
        }
        return decisions
    }

    private static func best(population: SimulatedPopulation, trained: [String: Int], rule: SuccessiveHalving)
        -> (gridPoint: Int, source: Int, metric: Double)?
    {
        let byPoint = Dictionary(grouping: population.trials, by: \.gridPoint)
        let scores = byPoint.keys.sorted().compactMap { point -> SuccessiveHalving.Score? in
            let trials = byPoint[point]!
            guard trials.allSatisfy({ trained[$0.id] == population.epochs }) else { return nil }
            return SuccessiveHalving.Score(
                gridPoint: point, values: trials.map { population.curves[$0.id]!.last!.value(rule.metric) })
        }
        guard let first = rule.ranked(scores).first else { return nil }
        return (first.gridPoint, population.source[first.gridPoint] ?? first.gridPoint, first.mean)
    }
}
