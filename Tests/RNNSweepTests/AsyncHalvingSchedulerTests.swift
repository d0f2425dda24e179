import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite struct AsyncHalvingSchedulerTests {
    let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3)

    /// The same metrics under three timings and four worker counts: the same decisions, and at each rung they come
    /// in grid order.
    @Test func decisionsDependOnMetricsAloneNotOnArrivalOrder() throws {
        var seen: [String]?
        for timing: UInt64 in [1, 2, 3] {
            let population = SimulatedPopulation(
                BracketsFixture.recorded(configurations: 30, epochs: 9, timing: timing))
            for workers in [1, 3, 8, 64] {
                let result = try SimulationReport.simulate(
                    .asyncHalving, rule: rule, population: population, workers: workers)
                let rungs = BracketsFixture.rungs(result.log)
                #expect(seen == nil || rungs == seen!, "timing \(timing), \(workers) workers")
                seen = rungs
                var lastPoint: [Int: Int] = [:]
                for case .rung(let d, _, _, _) in result.log {
                    #expect(d.gridPoint > lastPoint[d.epoch, default: 0], "rung \(d.epoch) decided out of grid order")
                    lastPoint[d.epoch] = d.gridPoint
                }
            }
        }
        // Every configuration is decided at rung 1; the first always goes on (⌈1/3⌉ = 1).
        #expect(seen!.filter { $0.split(separator: "|")[1] == "1" }.count == 30)
        #expect(seen!.contains { $0.hasSuffix("|1|1|1|true|0") })
    }

    private func trials(_ configurations: Int, epochs: Int = 9) -> [TrialSpec] {
        BracketsFixture.recorded(configurations: configurations, seeds: 1, epochs: epochs, timing: 0)
            .configurations.flatMap(\.trials)
    }

    private func record(_ state: inout HalvingState, _ trial: TrialSpec, through epoch: Int, accuracy: Double) {
        for e in 1...epoch {
            state.recorded(
                trial: trial.id, epoch: EpochMetrics(epoch: e, loss: 1, accuracy: 0.5, valAccuracy: accuracy))
        }
    }

    /// Configuration i is decided once it and every lower one reached the rung; a higher one still training, or one
    /// that already reached it, changes nothing about i's decision.
    @Test func aDecisionNeverWaitsForAHigherGridPoint() {
        let trials = trials(4)
        var state = HalvingState(rule: rule, epochs: 9, trials: trials)
        state.set(trials[3].id, .inFlight)  // configuration 4 still training
        record(&state, trials[0], through: 1, accuracy: 0.6)
        record(&state, trials[2], through: 1, accuracy: 0.9)  // configuration 3 reached, 2 has not: 3 waits
        #expect(state.readyAsynchronously().map(\.gridPoint) == [1])
        record(&state, trials[1], through: 1, accuracy: 0.7)
        let decisions = state.readyAsynchronously()
        // 1: best of {1} (⌈1/3⌉ = 1) goes on; 2: rank 1 of 2 goes on; 3: rank 1 of 3 goes on; 4 is in flight.
        #expect(decisions.map(\.gridPoint) == [1, 2, 3])
        #expect(decisions.map(\.rank) == [1, 1, 1] && decisions.allSatisfy(\.promoted))
        for d in decisions { state.restore(decision: d) }
        state.set(trials[3].id, .idle)
        record(&state, trials[3], through: 1, accuracy: 0.65)
        let last = state.readyAsynchronously()
        // 4 ranks 3rd of 4, and ⌈4/3⌉ = 2: stopped.
        #expect(last.map(\.gridPoint) == [4] && last.map(\.rank) == [3] && last.map(\.promoted) == [false])
    }

    /// A diverged configuration is never promoted, even when it is the only one decided so far; a trial that failed
    /// for good settles its configuration, so the ones after it are decided without it.
    @Test func divergedIsStoppedAndFailedIsSkipped() {
        let trials = trials(3)
        var state = HalvingState(rule: rule, epochs: 9, trials: trials)
        state.set(trials[0].id, .diverged)
        state.set(trials[1].id, .failed)
        record(&state, trials[2], through: 1, accuracy: 0.5)
        let decisions = state.readyAsynchronously()
        #expect(decisions.map(\.gridPoint) == [1, 3])
        #expect(decisions.map(\.promoted) == [false, true] && decisions.map(\.rank) == [1, 1])
    }

    /// A scheduler rebuilt from the recorded facts (some decisions taken) takes only the remaining ones, and the
    /// same ones an uninterrupted scheduler took.
    @Test func aResumedSchedulerDecidesNothingTwice() throws {
        let recorded = BracketsFixture.recorded(configurations: 12, epochs: 9, timing: 5)
        let population = SimulatedPopulation(recorded)
        let full = try SimulationReport.simulate(.asyncHalving, rule: rule, population: population, workers: 4)
        let firstRung = full.log.compactMap { decision -> (HalvingState.Decision, String)? in
            guard case .rung(let d, let rule, _, _) = decision, d.epoch == 1 else { return nil }
            return (d, rule)
        }
        #expect(firstRung.count == 12)
        // Every trial at epoch 1, the first five rung-1 decisions recorded.
        var facts = population.freshFacts
        for trial in population.trials {
            facts.epochs[trial.id] = [population.curves[trial.id]![0]]
            facts.status[trial.id] = .paused
        }
        facts.rungs = firstRung.prefix(5).map { d, rule in
            RungRow(
                rule: rule, rung: d.rung, epoch: d.epoch, gridPoint: d.gridPoint, metricName: "val_accuracy",
                metric: d.score, rank: d.rank, promoted: d.promoted)
        }
        var resumed = AsyncHalvingScheduler(rule: rule, epochs: 9, facts: facts)
        let rest = resumed.decisions().compactMap { decision -> HalvingState.Decision? in
            guard case .rung(let d, _, _, _) = decision else { return nil }
            return d
        }
        #expect(rest == firstRung.dropFirst(5).map(\.0))
    }
}
