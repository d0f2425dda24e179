import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The TPE scheduler driven purely by facts, through a simulated loop (no training): generations wait for the
/// earlier ones, arrival order and worker count change nothing, a rebuilt scheduler proposes nothing twice, and it
/// composes with a rule that stops trials at a rung.
///
/// HalvingScheduler is being written on another branch at the same time, so composition is tested with
/// `MiniRung`, a minimal inner scheduler defined here: every trial first runs to epoch 1 and is stopped there when
/// its metric is below a threshold, else it runs on to the end.
@Suite struct TPESchedulerTests {
    struct MiniRung: TrialScheduler {
        var rungEpoch: Int?
        var threshold = 0.8
        var queue: [ScheduledRun] = []
        var inFlight: Set<String> = []
        var latest: [String: Double] = [:]
        var specs: [String: TrialSpec] = [:]
        var pending: [SchedulerDecision] = []

        init(rungEpoch: Int?, facts: SchedulerFacts) {
            self.rungEpoch = rungEpoch
            for trial in facts.trials {
                specs[trial.id] = trial
                switch facts.status[trial.id] ?? .pending {
                case .pending, .interrupted: queue.append(ScheduledRun(trial: trial, until: rungEpoch))
                case .paused: queue.append(ScheduledRun(trial: trial, until: nil))
                default: break
                }
            }
        }

        var runnableCount: Int { queue.count }
        var isFinished: Bool { queue.isEmpty && inFlight.isEmpty }
        mutating func next() -> ScheduledRun? {
            guard !queue.isEmpty else { return nil }
            let run = queue.removeFirst()
            inFlight.insert(run.trial.id)
            return run
        }
        mutating func recorded(trial: String, epoch: EpochMetrics) { latest[trial] = epoch.value(.valAccuracy) }
        mutating func resumed(trial: String, from epoch: Int) {}
        mutating func ended(trial: String, _ ending: AttemptEnding) {
            inFlight.remove(trial)
            guard ending == .paused, let spec = specs[trial], let rungEpoch else { return }
            let v = latest[trial] ?? .nan
            if v < threshold {
                pending.append(
                    .rung(
                        HalvingState.Decision(
                            rung: 0, epoch: rungEpoch, gridPoint: spec.gridPoint, score: v, rank: 0, promoted: false),
                        rule: "mini", metric: .valAccuracy, stopping: [trial]))
            } else {
                queue.append(ScheduledRun(trial: spec, until: nil))
            }
        }
        mutating func decisions() -> [SchedulerDecision] {
            defer { pending = [] }
            return pending
        }
        mutating func admit(_ trials: [TrialSpec]) {
            for trial in trials { specs[trial.id] = trial }
            queue += trials.map { ScheduledRun(trial: $0, until: rungEpoch) }
        }
    }

    static let epochs = 3
    static let seeds = [1, 2]

    static func space(batch: Int, samples: Int = 14) -> SearchSpace {
        SearchSpace(
            samples: samples, seed: 7,
            dimensions: [
                .init(key: "cell", distribution: .choice(["lstm", "gru"].map { .string($0) }), position: .start),
                .init(key: "learning_rate", distribution: .logUniform(1.0e-4, 1.0e-1), position: .start),
                .init(key: "dropout", distribution: .uniform(0, 0.5), position: .start),
            ],
            position: .start, method: .tpe(batch: batch, startup: 4))
    }

    static let make: TrialMaker = { sample, after in
        var values: [String: ParameterValue] = ["dataset": .string("sum-sign"), "epochs": .int(epochs)]
        for setting in sample { values[setting.key] = setting.value }
        return try seeds.enumerated().map { i, seed in
            values["seed"] = .int(seed)
            return TrialSpec(
                ordinal: after.ordinal + i + 1, parameters: try TrainingParameters.resolve(values),
                gridPoint: after.gridPoint + 1)
        }
    }

    /// The simulated validation accuracy of a trial at an epoch: a closed form of its parameters.
    static func accuracy(_ trial: TrialSpec, epoch: Int) -> Double {
        let u = log10(trial.parameters.value("learning_rate")!.doubleValue!) + 2.5
        let dropout = trial.parameters.value("dropout")!.doubleValue!
        let cell = trial.parameters.value("cell") == .string("gru") ? 0.02 : 0
        return 0.9 - 0.05 * u * u - 0.4 * dropout + cell + 0.01 * Double(epoch) + 0.001 * Double(trial.seed)
    }

    /// The sweep as the database would hold it, and a loop that feeds the scheduler its facts.
    struct Sweep {
        var trials: [TrialSpec]
        var status: [String: TrialStatus] = [:]
        var epochs: [String: [EpochMetrics]] = [:]
        var reasons: [String] = []

        init(space: SearchSpace) throws {
            var trials: [TrialSpec] = []
            for sample in try space.draw() {
                trials += try TPESchedulerTests.make(sample, (trials.last?.ordinal ?? 0, trials.last?.gridPoint ?? 0))
            }
            self.trials = trials
            for trial in trials { status[trial.id] = .pending }
        }

        var facts: SchedulerFacts {
            SchedulerFacts(trials: trials, status: status, epochs: epochs, rungs: [], inFlight: [], retries: 0)
        }

        static let settledStatuses: Set<TrialStatus> = [.completed, .stopped, .diverged, .failed]

        /// Runs until finished or until `generations` generations were added by this run; `workers` runs are in
        /// flight at once and the one that ends is picked by a random stream seeded by `order`.
        mutating func run<S: TrialScheduler>(
            _ scheduler: inout S, workers: Int, order: UInt64, generations: Int = .max,
            diverges: (TrialSpec) -> Bool = { _ in false }
        ) {
            var rng = SplitMix64(seed: order)
            var running: [ScheduledRun] = []
            var added = 0
            while !scheduler.isFinished && added < generations {
                while running.count < workers, let run = scheduler.next() {
                    running.append(run)
                    status[run.trial.id] = .running
                }
                guard !running.isEmpty else {
                    Issue.record("nothing runs but the scheduler is not finished")
                    return
                }
                let run = running.remove(at: rng.nextInt(below: running.count))
                let id = run.trial.id
                let from = (epochs[id]?.last?.epoch ?? 0) + 1
                if diverges(run.trial) {
                    let metrics = EpochMetrics(epoch: from, train: [.loss: .nan], validation: [.accuracy: .nan])
                    epochs[id, default: []].append(metrics)
                    scheduler.recorded(trial: id, epoch: metrics)
                    status[id] = .diverged
                    scheduler.ended(trial: id, .diverged)
                    record(scheduler.decisions(), &added)
                    continue
                }
                for epoch in from...(run.until ?? TPESchedulerTests.epochs) {
                    let metrics = EpochMetrics(
                        epoch: epoch, train: [.loss: 1],
                        validation: [.accuracy: TPESchedulerTests.accuracy(run.trial, epoch: epoch), .loss: 1])
                    epochs[id, default: []].append(metrics)
                    scheduler.recorded(trial: id, epoch: metrics)
                }
                let ending: AttemptEnding = run.until == nil ? .completed : .paused
                status[id] = ending == .completed ? .completed : .paused
                scheduler.ended(trial: id, ending)
                record(scheduler.decisions(), &added)
            }
        }

        private mutating func record(_ decisions: [SchedulerDecision], _ added: inout Int) {
            for decision in decisions {
                switch decision {
                case .rung(_, _, _, let stopping):
                    for s in stopping { status[s] = .stopped }
                case .added(let new, let reason):
                    // Only once every earlier trial settled (none of them in flight or waiting at a rung).
                    #expect(
                        trials.allSatisfy { Self.settledStatuses.contains(status[$0.id]!) },
                        "\(reason) before the earlier generations settled")
                    #expect(new.first?.ordinal == trials.count + 1)
                    trials += new
                    for trial in new { status[trial.id] = .pending }
                    reasons.append(reason)
                    added += 1
                }
            }
        }
    }

    static func scheduler(_ sweep: Sweep, space: SearchSpace, rung: Int? = nil) -> TPEScheduler<MiniRung> {
        TPEScheduler(
            inner: MiniRung(rungEpoch: rung, facts: sweep.facts), space: space, metric: .valAccuracy,
            facts: sweep.facts, make: make)
    }

    @Test(arguments: [1, 3])
    func generationsWaitAndArrivalOrderChangesNothing(batch: Int) throws {
        let space = Self.space(batch: batch)
        var runs: [[TrialSpec]] = []
        for (workers, order) in [(1, UInt64(0)), (3, 1), (4, 99), (8, 5)] {
            var sweep = try Sweep(space: space)
            var scheduler = Self.scheduler(sweep, space: space)
            sweep.run(&scheduler, workers: workers, order: order)
            #expect(scheduler.isFinished)
            #expect(sweep.trials.count == space.samples * Self.seeds.count)
            #expect(Set(sweep.trials.map(\.id)).count == sweep.trials.count, "no configuration proposed twice")
            let generations = (space.samples - 4 + batch - 1) / batch
            #expect(sweep.reasons.count == generations)
            #expect(sweep.reasons.first == "TPE generation 1 from 4 results")
            runs.append(sweep.trials)
        }
        #expect(runs.allSatisfy { $0 == runs[0] })
    }

    @Test func theStartupSamplesAreRandomSearchsFirstSamples() throws {
        let tpe = Self.space(batch: 2)
        var random = tpe
        random.method = .random
        #expect(try tpe.draw() == Array(try random.draw().prefix(4)))
        #expect(try tpe.draw().count == 4)
    }

    @Test(arguments: [false, true])
    func rebuiltMidwayProposesNothingTwice(withRung: Bool) throws {
        let space = Self.space(batch: 2)
        let rung = withRung ? 1 : nil
        var whole = try Sweep(space: space)
        var scheduler = Self.scheduler(whole, space: space, rung: rung)
        whole.run(&scheduler, workers: 2, order: 3)

        var parts = try Sweep(space: space)
        var first = Self.scheduler(parts, space: space, rung: rung)
        parts.run(&first, workers: 2, order: 3, generations: 2)
        // Interrupted: whatever was in flight goes back to pending (as a dead coordinator's trials do).
        for (id, status) in parts.status where status == .running { parts.status[id] = .interrupted }
        parts.epochs = parts.epochs.filter { parts.status[$0.key] != .interrupted }
        var second = Self.scheduler(parts, space: space, rung: rung)
        parts.run(&second, workers: 3, order: 8)
        #expect(parts.reasons == whole.reasons)
        #expect(parts.trials == whole.trials)
        #expect(Set(parts.trials.map(\.id)).count == parts.trials.count)
    }

    @Test func aDivergedConfigurationSettlesButGivesNoResult() throws {
        let space = Self.space(batch: 3)
        let diverges = { (trial: TrialSpec) in trial.parameters.value("dropout")!.doubleValue! > 0.3 }
        var sweep = try Sweep(space: space)
        let startupDiverged = Set(sweep.trials.filter(diverges).map(\.gridPoint)).count
        #expect(startupDiverged > 0, "the test needs a diverging start-up sample")
        var scheduler = Self.scheduler(sweep, space: space)
        sweep.run(&scheduler, workers: 2, order: 6, diverges: diverges)
        #expect(scheduler.isFinished)
        #expect(sweep.trials.count == space.samples * Self.seeds.count)
        #expect(sweep.reasons.first == "TPE generation 1 from \(4 - startupDiverged) results")
        #expect(scheduler.observations.count == Set(sweep.trials.filter { !diverges($0) }.map(\.gridPoint)).count)
    }

    @Test func composesWithARuleThatStopsAtARung() throws {
        let space = Self.space(batch: 2)
        var sweep = try Sweep(space: space)
        var scheduler = Self.scheduler(sweep, space: space, rung: 1)
        sweep.run(&scheduler, workers: 2, order: 4)
        #expect(scheduler.isFinished)
        #expect(sweep.status.values.contains(.stopped) && sweep.status.values.contains(.completed))
        #expect(sweep.trials.count == space.samples * Self.seeds.count)
        // A stopped configuration is observed at the epoch it reached, ranked after the completed ones.
        let stopped = scheduler.observations.filter { $0.stoppedAt != nil }
        #expect(!stopped.isEmpty && stopped.allSatisfy { $0.stoppedAt == 1 })
    }
}
