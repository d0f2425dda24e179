import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite("Learning curves and provenance of the HTML report")
struct LearningCurvesTests {
    static func trial(
        _ id: String, _ status: TrialStatus, _ epochs: [EpochMetrics], start: String? = nil,
        end: String? = nil, seconds: Double? = nil
    ) throws -> ReportTrial {
        let store = try MetricsStore.create(at: StoreTemporaryDirectory().file("c.sqlite"))
        let sweep = try store.makeSweep(name: "c", trials: 0)
        try store.registerTrials(
            sweep: sweep, trials: [NewTrial(id: storeHexID(id), ordinal: 0, gridPoint: 0, seed: 1, paramsJSON: "{}")])
        var row = try #require(try store.trials(sweep: sweep).first)
        row.status = status
        row.startedAt = start
        row.finishedAt = end
        row.seconds = seconds
        return ReportTrial(row: row, params: [:], epochs: epochs)
    }

    @Test func meanAndSpreadPerEpochOverTheCompletedSeeds() throws {
        let a = try Self.trial(
            "a", .completed,
            [EpochMetrics(epoch: 1, loss: 1, accuracy: 0.5), EpochMetrics(epoch: 2, loss: 0.5, accuracy: 0.7)])
        let b = try Self.trial(
            "b", .completed,
            [EpochMetrics(epoch: 1, loss: 3, accuracy: 0.7), EpochMetrics(epoch: 2, loss: 0.7, accuracy: 0.9)])
        // A failed seed stays out while some seed completed.
        let c = try Self.trial("c", .failed, [EpochMetrics(epoch: 1, loss: 99, accuracy: 0)])
        let curves = LearningCurves(trials: [a, b, c])
        #expect(curves.trialCount == 2 && curves.completedOnly && curves.lastEpoch == 2)
        let loss = try #require(curves.series[.loss])
        #expect(loss.map(\.x) == [1, 2] && loss.map(\.mean) == [2, 0.6])
        #expect(loss[0].deviation == 2.squareRoot())
        #expect(curves.series[.valLoss] == nil)
    }

    @Test func rowsWithoutACompletedSeedShowWhatRanAndSkipNonFiniteValues() throws {
        let diverged = try Self.trial(
            "d", .diverged,
            [EpochMetrics(epoch: 1, loss: 2, accuracy: 0.4), EpochMetrics(epoch: 2, loss: .nan, accuracy: .nan)])
        let running = try Self.trial("r", .running, [EpochMetrics(epoch: 1, loss: 1, accuracy: 0.6)])
        let curves = LearningCurves(trials: [diverged, running])
        #expect(curves.trialCount == 2 && !curves.completedOnly)
        // Epoch 2: the NaN is left out, no point at all (not a NaN mean).
        #expect(curves.series[.loss]?.map(\.mean) == [1.5])
        #expect(LearningCurves(trials: [try Self.trial("f", .failed, [])]).series.isEmpty)
    }

    @Test func wallTimeSpansTheEarliestStartToTheLatestEnd() throws {
        let rows = [
            try Self.trial(
                "1", .completed, [], start: "2026-01-01T10:00:00.000Z", end: "2026-01-01T10:01:30.500Z", seconds: 90),
            try Self.trial(
                "2", .completed, [], start: "2026-01-01T10:00:05.000Z", end: "2026-01-01T10:03:00.000Z", seconds: 175),
            try Self.trial("3", .pending, []),
        ].map(\.row)
        let time = try #require(SweepProvenance.wallTime(rows))
        #expect(time.elapsedSeconds == 180 && time.trialSeconds == 265 && time.timedTrials == 2 && time.unfinished == 0)
        #expect(time.firstStart == "2026-01-01T10:00:00.000Z" && time.lastFinish == "2026-01-01T10:03:00.000Z")
        #expect(SweepProvenance.wallTime([rows[2]]) == nil)
        #expect(SweepProvenance.duration(42.3) == "42.3 s")
        #expect(SweepProvenance.duration(192) == "3 min 12 s" && SweepProvenance.duration(7500) == "2 h 05 min")
    }
}
