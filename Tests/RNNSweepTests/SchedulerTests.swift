import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The grid's and successive halving's schedulers, driven by facts alone: no processes, no database, no clock.
@Suite struct SchedulerTests {
    /// `points` configurations × 2 seeds of `epochs` epochs, in ordinal order; grid point p has units 8·p.
    static func trials(points: Int, epochs: Int) -> [TrialSpec] {
        (0..<(points * 2)).map { i in
            try! TrialSpec(
                ordinal: i + 1,
                parameters: TrainingParameters.resolve([
                    "units": .int(8 * (i / 2 + 1)), "seed": .int(i % 2 + 1), "epochs": .int(epochs),
                    "validation_split": .double(0.1),
                ]), gridPoint: i / 2 + 1)
        }
    }

    static func facts(
        _ trials: [TrialSpec], status: [String: TrialStatus] = [:], epochs: [String: [EpochMetrics]] = [:],
        rungs: [RungRow] = [], inFlight: Set<String> = [], retries: Int = 0
    ) -> SchedulerFacts {
        SchedulerFacts(
            trials: trials, status: status, epochs: epochs, rungs: rungs, inFlight: inFlight, retries: retries)
    }

    /// A made-up validation accuracy: configurations differ, seeds a little, and later epochs are better.
    static func metrics(_ trial: TrialSpec, epoch: Int) -> EpochMetrics {
        let accuracy = [0.5, 0.8, 0.6, 0.7, 0.55, 0.65][(trial.gridPoint - 1) % 6] + 0.01 * Double(trial.seed + epoch)
        return EpochMetrics(epoch: epoch, loss: 1, accuracy: 0.5, valAccuracy: accuracy)
    }

    // MARK: - Grid

    @Test func gridRunsThisRunsTrialsInOrdinalOrderThenRequeuedOnes() {
        let trials = Self.trials(points: 3, epochs: 2)
        var grid = GridScheduler(
            facts: Self.facts(
                trials,
                status: [
                    trials[0].id: .completed, trials[1].id: .paused, trials[2].id: .failed, trials[3].id: .stopped,
                    trials[4].id: .interrupted,
                ], inFlight: [trials[5].id]))
        #expect(grid.runnableCount == 3)
        let first = (0..<3).compactMap { _ in grid.next() }
        #expect(first.map(\.trial.id) == [trials[1].id, trials[3].id, trials[4].id], "paused and stopped train on")
        #expect(first.allSatisfy { $0.until == nil } && grid.next() == nil && !grid.isFinished)
        grid.ended(trial: trials[1].id, .failed(willRetry: true))
        grid.ended(trial: trials[3].id, .interrupted)
        grid.ended(trial: trials[4].id, .failed(willRetry: false))
        #expect(grid.next()?.trial.id == trials[1].id && grid.next()?.trial.id == trials[3].id)
        #expect(grid.next() == nil)
        grid.ended(trial: trials[1].id, .completed)
        grid.ended(trial: trials[3].id, .diverged)
        #expect(grid.isFinished && grid.decisions().isEmpty && grid.stoppedCount == 0)
    }

    @Test func gridWithRetriesRunsFailedAndDivergedTrialsAgainAndAdmitsAddedOnes() {
        let trials = Self.trials(points: 2, epochs: 2)
        var grid = GridScheduler(
            facts: Self.facts(
                Array(trials.prefix(3)), status: [trials[0].id: .failed, trials[1].id: .diverged], retries: 1))
        grid.admit([trials[3]])
        #expect((0..<4).compactMap { _ in grid.next()?.trial.id } == trials.map(\.id))
    }

    // MARK: - Successive halving

    let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 2)

    /// Runs a whole halving sweep from `facts`, reporting the attempts of each batch in `order`; returns the
    /// decisions in the order they came and every run asked for, sorted.
    func drive(_ facts: SchedulerFacts, order: ([ScheduledRun]) -> [ScheduledRun]) -> (
        decisions: [SchedulerDecision], runs: [String]
    ) {
        var scheduler = HalvingScheduler(rule: rule, facts: facts)!
        var decisions = scheduler.decisions()
        var runs: [String] = []
        let epochs = facts.trials[0].parameters.int("epochs")
        var last: [String: Int] = facts.epochs.mapValues { $0.map(\.epoch).max() ?? 0 }
        while !scheduler.isFinished {
            var batch: [ScheduledRun] = []
            while let run = scheduler.next() { batch.append(run) }
            #expect(!batch.isEmpty, "nothing runs but the sweep is not finished")
            if batch.isEmpty { break }
            for run in order(batch) {
                runs.append("\(run.trial.id)→\(run.until ?? epochs)")
                let until = run.until ?? epochs
                for epoch in (last[run.trial.id, default: 0] + 1)...until {
                    scheduler.recorded(trial: run.trial.id, epoch: Self.metrics(run.trial, epoch: epoch))
                }
                last[run.trial.id] = until
                scheduler.ended(trial: run.trial.id, run.until == nil ? .completed : .paused)
                decisions += scheduler.decisions()
            }
        }
        return (decisions, runs.sorted())
    }

    @Test func halvingDecidesTheSameWhateverTheOrderAttemptsEndIn() {
        let facts = Self.facts(Self.trials(points: 6, epochs: 4))
        let forward = drive(facts) { $0 }
        let backward = drive(facts) { $0.reversed() }
        let shuffled = drive(facts) { batch in
            batch.enumerated().sorted { ($0.offset * 7) % 5 < ($1.offset * 7) % 5 }.map(\.element)
        }
        #expect(forward.decisions == backward.decisions && forward.decisions == shuffled.decisions)
        #expect(forward.runs == backward.runs && forward.runs == shuffled.runs)
        // Rungs at epochs 1, 2, 4 (η = 2): 6 → 3 → 2 configurations, the best by mean validation accuracy.
        let rungs = forward.decisions.compactMap { d -> HalvingState.Decision? in
            if case .rung(let decision, _, _, _) = d { decision } else { nil }
        }
        #expect(rungs.filter { $0.epoch == 1 }.filter(\.promoted).map(\.gridPoint) == [2, 4, 6])
        #expect(rungs.filter { $0.epoch == 2 }.filter(\.promoted).map(\.gridPoint) == [2, 4])
        #expect(forward.runs.filter { $0.hasSuffix("→4") }.count == 4)
    }

    @Test func aHalvingSchedulerRebuiltFromRecordedFactsDecidesNothingTwice() {
        let trials = Self.trials(points: 4, epochs: 4)
        // Every trial paused at rung 1 (epoch 1), the first decision not yet taken.
        var epochs: [String: [EpochMetrics]] = [:]
        for trial in trials { epochs[trial.id] = [Self.metrics(trial, epoch: 1)] }
        let paused = Dictionary(uniqueKeysWithValues: trials.map { ($0.id, TrialStatus.paused) })
        var first = HalvingScheduler(rule: rule, facts: Self.facts(trials, status: paused, epochs: epochs))!
        let decided = first.decisions()
        #expect(decided.count == 4 && first.stoppedCount == 4)
        // The loop records them; a resumed run sees them as rows, and takes no decision again.
        let rows = decided.compactMap { d -> RungRow? in
            guard case .rung(let x, let rule, let metric, _) = d else { return nil }
            return RungRow(
                rule: rule, rung: x.rung, epoch: x.epoch, gridPoint: x.gridPoint, metricName: metric.recordName,
                metric: x.score, rank: x.rank, promoted: x.promoted)
        }
        var resumed = HalvingScheduler(
            rule: rule, facts: Self.facts(trials, status: paused, epochs: epochs, rungs: rows))!
        #expect(resumed.decisions().isEmpty && resumed.stoppedCount == 4)
        var a: [ScheduledRun] = []
        var b: [ScheduledRun] = []
        while let run = first.next() { a.append(run) }
        while let run = resumed.next() { b.append(run) }
        #expect(a == b && a.count == 4 && a.allSatisfy { $0.until == 2 })
        // Decisions under another rule are not this rule's.
        let other = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3)
        var changed = HalvingScheduler(
            rule: other, facts: Self.facts(trials, status: paused, epochs: epochs, rungs: rows))!
        #expect(changed.decisions().count == 4)
    }

    @Test func halvingLeavesTrialsInFlightElsewhereAndSettledOnesAlone() {
        let trials = Self.trials(points: 2, epochs: 2)
        var halving = HalvingScheduler(
            rule: rule,
            facts: Self.facts(
                trials, status: [trials[0].id: .completed, trials[1].id: .failed, trials[2].id: .running],
                inFlight: [trials[2].id]))!
        #expect(halving.runnableCount == 1 && halving.next()?.trial.id == trials[3].id)
        var retrying = HalvingScheduler(
            rule: rule, facts: Self.facts(trials, status: [trials[1].id: .failed], retries: 1))!
        #expect(retrying.runnableCount == 4)
        #expect(retrying.next()?.trial.id == trials[0].id)
    }

    @Test func halvingSchedulesAdmittedTrialsLikeItsOwn() {
        let trials = Self.trials(points: 3, epochs: 4)
        var halving = HalvingScheduler(rule: rule, facts: Self.facts(Array(trials.prefix(4))))!
        halving.admit(Array(trials.suffix(2)))
        var runs: [ScheduledRun] = []
        while let run = halving.next() { runs.append(run) }
        #expect(runs.map(\.trial.id) == trials.map(\.id) && runs.allSatisfy { $0.until == 1 })
        for run in runs {
            halving.recorded(trial: run.trial.id, epoch: Self.metrics(run.trial, epoch: 1))
            halving.ended(trial: run.trial.id, .paused)
        }
        let decided = halving.decisions()
        #expect(decided.count == 3, "the admitted configuration is ranked at the rung with the others")
    }
}
