import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite struct HyperbandTests {
    /// Li et al. 2017, Table 1: R = 81, η = 3 (r = 1): brackets of 81, 34, 15, 8 and 5 configurations starting at
    /// 1, 3, 9, 27 and 81 epochs.
    @Test func bracketsOfThePaper() {
        let hyperband = Hyperband(
            rule: SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3), epochs: 81)
        #expect(hyperband.maxBracket == 4)
        #expect((0...4).reversed().map { hyperband.configurations(bracket: $0) } == [81, 34, 15, 8, 5])
        #expect((0...4).reversed().map { hyperband.rungs(bracket: $0).first! } == [1, 3, 9, 27, 81])
        #expect(hyperband.rungs(bracket: 4) == [1, 3, 9, 27, 81] && hyperband.rungs(bracket: 0) == [81])
        #expect(hyperband.iterationSize == 143)
        // The paper's other setting (Section 4.1, R = 27 × 100 iterations in units of 100, η = 3): s_max = 3.
        let cnn = Hyperband(rule: SuccessiveHalving(metric: .valLoss, minEpochs: 1, reductionFactor: 3), epochs: 27)
        #expect(cnn.maxBracket == 3)
        #expect((0...3).reversed().map { cnn.configurations(bracket: $0) } == [27, 12, 6, 4])
    }

    /// R = 20, r = 2, η = 3: s_max = ⌊log₃ 10⌋ = 2, brackets of 9, 5 (⌈4.5⌉) and 3, rungs at ⌊20/η^(s−i)⌋.
    @Test func bracketsOfANonPowerEpochCount() {
        let hyperband = Hyperband(
            rule: SuccessiveHalving(metric: .valAccuracy, minEpochs: 2, reductionFactor: 3), epochs: 20)
        #expect(hyperband.maxBracket == 2 && hyperband.iterationSize == 17)
        #expect(hyperband.rungs(bracket: 2) == [2, 6, 20] && hyperband.rungs(bracket: 1) == [6, 20])
        let brackets = hyperband.brackets(configurations: 20)
        #expect(brackets.map(\.iteration) == [1, 1, 1, 2] && brackets.map(\.s) == [2, 1, 0, 2])
        #expect(brackets.map(\.positions) == [1...9, 10...14, 15...17, 18...20])
        // Bracket 2 with 2 seeds: 9 × 2 × 2 + 3 × 2 × 4 + 1 × 2 × 14 epochs.
        #expect(hyperband.budget(bracket: 2, configurations: 9, seeds: 2) == 36 + 24 + 28)
        #expect(
            hyperband.problem(configurations: 16)
                == "hyperband with epochs 20, min_epochs 2 and reduction_factor 3 needs at least 17 configurations "
                + "(brackets of 9, 5, 3); this sweep has 16: raise search: samples (or the grid), or raise min_epochs")
        #expect(hyperband.problem(configurations: 17) == nil)
    }

    /// The same metrics under different timings and worker counts give the same decisions, each recorded under its
    /// bracket's signature; bracket 0 (every epoch at once) decides nothing.
    @Test func decisionsArePerBracketAndIndependentOfArrivalOrder() throws {
        let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3)
        var seen: [String]?
        for timing: UInt64 in [7, 8] {
            let population = SimulatedPopulation(
                BracketsFixture.recorded(configurations: 20, epochs: 9, timing: timing))
            for workers in [1, 5, 32] {
                let result = try SimulationReport.simulate(
                    .hyperband, rule: rule, population: population, workers: workers)
                let rungs = BracketsFixture.rungs(result.log)
                #expect(seen == nil || rungs == seen!, "timing \(timing), \(workers) workers")
                seen = rungs
                #expect(result.best != nil)
            }
        }
        let hyperband = Hyperband(rule: rule, epochs: 9)
        // s_max = 2: brackets of 9 (rungs 1, 3, 9), 5 (3, 9) and 3 (9); then 3 more in iteration 2's bracket 2.
        #expect(hyperband.iterationSize == 17)
        let rules = Set(seen!.map { String($0.split(separator: "|")[0]) })
        #expect(
            rules == [
                hyperband.signature(iteration: 1, bracket: 2), hyperband.signature(iteration: 1, bracket: 1),
                hyperband.signature(iteration: 2, bracket: 2),
            ])
        // Bracket 2 of iteration 1: 9 decisions at epoch 1, then ⌈9/3⌉ = 3 at epoch 3.
        let first = seen!.filter { $0.hasPrefix(hyperband.signature(iteration: 1, bracket: 2)) }
        #expect(first.filter { $0.split(separator: "|")[1] == "1" }.count == 9)
        #expect(first.filter { $0.split(separator: "|")[1] == "3" }.count == 3)
    }

    /// Rebuilt from facts that hold a bracket's recorded rung, the scheduler decides nothing twice, and takes the
    /// next rung's decisions exactly as the uninterrupted run did.
    @Test func aResumedSchedulerDecidesNothingTwice() throws {
        let rule = SuccessiveHalving(metric: .valAccuracy, minEpochs: 1, reductionFactor: 3)
        let hyperband = Hyperband(rule: rule, epochs: 9)
        let population = SimulatedPopulation(BracketsFixture.recorded(configurations: 17, epochs: 9, timing: 3))
        let full = try SimulationReport.simulate(.hyperband, rule: rule, population: population, workers: 4)
        let bracket = hyperband.signature(iteration: 1, bracket: 2)
        let decided = full.log.compactMap { decision -> HalvingState.Decision? in
            guard case .rung(let d, let rule, _, _) = decision, rule == bracket else { return nil }
            return d
        }
        #expect(decided.map(\.epoch) == Array(repeating: 1, count: 9) + [3, 3, 3])
        // Every trial of bracket 2 (configurations 1–9) trained to epoch 1 and paused; its rung-1 decisions recorded.
        var facts = population.freshFacts
        for trial in population.trials where trial.gridPoint <= 9 {
            facts.epochs[trial.id] = [population.curves[trial.id]![0]]
            facts.status[trial.id] = .paused
        }
        facts.rungs = decided.prefix(9).map { d in
            RungRow(
                rule: bracket, rung: d.rung, epoch: d.epoch, gridPoint: d.gridPoint, metricName: "val_accuracy",
                metric: d.score, rank: d.rank, promoted: d.promoted)
        }
        var resumed = HyperbandScheduler(rule: rule, epochs: 9, facts: facts)
        #expect(resumed.decisions().isEmpty)
        // The promoted three train to epoch 3; then rung 3 is decided as before.
        var started: [String] = []
        while let run = resumed.next() {
            guard run.trial.gridPoint <= 9 else { continue }
            #expect(run.until == 3)
            for epoch in population.curves[run.trial.id]![1..<3] { resumed.recorded(trial: run.trial.id, epoch: epoch) }
            resumed.ended(trial: run.trial.id, .paused)
            started.append(run.trial.id)
        }
        #expect(started.count == 3 * 2)
        let rest = resumed.decisions().compactMap { decision -> HalvingState.Decision? in
            guard case .rung(let d, let rule, _, _) = decision, rule == bracket else { return nil }
            return d
        }
        #expect(rest == Array(decided.dropFirst(9)))
    }
}
