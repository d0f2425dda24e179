import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

@Suite("Non-finite metrics")
struct StoreMetricValueTests {
    @Test func nanInfinityAndMissingRoundTrip() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep()
        let trial = storeHexID("t0")
        try store.markStarted(sweep: sweep, trial: trial, pid: 42)
        let written = EpochMetrics(
            epoch: 1, loss: .nan, accuracy: 0.25, valLoss: .infinity, valAccuracy: nil, seconds: -.infinity)
        try store.recordEpoch(sweep: sweep, trial: trial, written)
        let read = try #require(try store.epochs(sweep: sweep, trial: trial).first)
        #expect(read.loss.isNaN)
        #expect(read.accuracy == 0.25)
        #expect(read.valLoss == .infinity)
        #expect(read.valAccuracy == nil)
        #expect(read.seconds == -.infinity)
        #expect(read.isIdentical(to: written))

        let types = try store.reader.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT typeof(loss) AS loss, loss AS raw, typeof(accuracy) AS acc, typeof(val_loss) AS vl,
                        typeof(val_accuracy) AS va, typeof(seconds) AS s FROM epochs
                    """)
        }
        let row = try #require(types)
        #expect(row["loss"] as String == "text")
        #expect(row["raw"] as String == "NaN")
        #expect(row["acc"] as String == "real")
        #expect(row["vl"] as String == "real")
        #expect(row["va"] as String == "null")
        #expect(row["s"] as String == "real")
    }

    @Test func helperMapsValues() throws {
        #expect(MetricValue.databaseValue(nil) == .null)
        #expect(MetricValue.databaseValue(.nan) == "NaN".databaseValue)
        #expect(MetricValue.databaseValue(1.5) == 1.5.databaseValue)
        #expect(try MetricValue.decode(.null, column: "c") == nil)
        #expect(try MetricValue.decode("NaN".databaseValue, column: "c")?.isNaN == true)
        #expect(try MetricValue.decode((-Double.infinity).databaseValue, column: "c") == -.infinity)
        #expect(try MetricValue.decode(3.databaseValue, column: "c") == 3)
        #expect(throws: MetricsStoreError.badMetric(column: "c", stored: "oops")) {
            try MetricValue.decode("oops".databaseValue, column: "c")
        }
    }

    @Test func testMetricsKeepNaNToo() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep()
        try store.markStarted(sweep: sweep, trial: storeHexID("t0"), pid: nil)
        try store.markCompleted(sweep: sweep, trial: storeHexID("t0"), testLoss: .nan, testAccuracy: nil, seconds: 2)
        let trial = try #require(try store.trials(sweep: sweep).first)
        #expect(trial.testLoss?.isNaN == true)
        #expect(trial.testAccuracy == nil)
        #expect(trial.seconds == 2)
    }
}
