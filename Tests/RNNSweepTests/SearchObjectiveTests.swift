import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// ``SearchObjective/outcome(of:epoch:)`` on ``SearchFixture``: a stopped configuration is decided at the rung that
/// stopped it with the rung's recorded mean; a completed one at its seeds' selected epoch; a failed or pending one
/// not at all.
@Suite("Search objective")
struct SearchObjectiveTests {
    private func outcome(_ point: Int, _ choice: ReportOptions.EpochChoice = .last) throws -> SearchObjective.Outcome {
        let source = try SearchFixture().source()
        let objective = SearchObjective(source: source)
        return objective.outcome(of: source.trials.filter { $0.row.gridPoint == point }, epoch: choice)
    }

    @Test func theSweepOptimizesItsHalvingMetric() throws {
        let objective = SearchObjective(source: try SearchFixture().source())
        #expect(objective.isSearch)
        #expect(objective.metric == MetricKey(.validation, .accuracy))
        #expect(objective.rungEpochs == [1, 2, 4])
        #expect(objective.higherIsBetter)
    }

    @Test func stoppedUsesTheRungsRecordedMean() throws {
        let early = try outcome(2)
        #expect(early.value == 0.625 && early.epoch == 1 && early.stoppedAtRung == 1 && early.seeds == 2)
        let later = try outcome(3)
        #expect(later.value == 0.75 && later.epoch == 2 && later.stoppedAtRung == 2)
        // A seed diverged before the rung: the rung recorded NaN, and so does the outcome.
        let diverged = try outcome(4)
        #expect(diverged.value?.isNaN == true && diverged.stoppedAtRung == 1)
    }

    @Test func completedUsesTheSelectedEpoch() throws {
        let last = try outcome(0)
        #expect(last.value == 0.8125 && last.epoch == 4 && last.stoppedAtRung == nil && last.seeds == 2)
        // With --epoch best, each seed's best validation epoch (3 for point 6).
        #expect(try outcome(6).value == 0.8125)
        let best = try outcome(6, .best)
        #expect(best.value == 0.9375 && best.epoch == 3)
    }

    @Test func failedAndPendingHaveNoValue() throws {
        for point in [5, 7] {
            let result = try outcome(point)
            #expect(result.value == nil && result.epoch == nil && result.stoppedAtRung == nil, "point \(point)")
        }
    }
}
