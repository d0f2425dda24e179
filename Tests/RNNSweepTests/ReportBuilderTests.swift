import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite("Report building")
struct ReportBuilderTests {
    @Test func meanAndSampleStdMatchAHandComputation() throws {
        let table = try ReportFixture().table()
        #expect(table.rows.count == 4)
        let adam128 = table.rows[1]
        #expect(adam128.parameters["optimizer"] == .string("adam"))
        let train = try #require(adam128.statistics[.trainAccuracy])
        // 0.91, 0.93, 0.95: mean 0.93; deviations ±0.02, 0 → s² = (0.0004 + 0 + 0.0004) / (3 − 1) → s = 0.02.
        #expect(abs(train.mean - 0.93) < 1e-12)
        #expect(abs(train.standardDeviation! - 0.02) < 1e-12)
        #expect(train.mean == (0.91 + 0.93 + 0.95) / 3)
        #expect(adam128.completedCount == 3)
        #expect(SampleStatistics([0.5])?.standardDeviation == nil)
        #expect(SampleStatistics([]) == nil)
        let pair = try #require(SampleStatistics([1, 4]))
        #expect(pair.mean == 2.5)
        #expect(pair.standardDeviation == (4.5 as Double).squareRoot())
    }

    @Test func seedsAreFoldedAndColumnsFollowTheBook() throws {
        let table = try ReportFixture().table()
        #expect(table.parameterColumns == [.parameter("units"), .parameter("optimizer"), .regularizer])
        #expect(table.parameterKeys == ["units", "optimizer", "dropout"])
        #expect(table.rows.map(\.trialCount) == [3, 3, 3, 3])
        #expect(table.showsCount && !table.showsStatus)
        #expect(table.seedCount == 3 && table.dataset == "mnist" && table.epochs == "3")
    }

    @Test func bestEpochPicksTheHighestValidationAccuracy() throws {
        let fixture = try ReportFixture()
        let table = try fixture.table(ReportOptions(epoch: .best))
        #expect(table.metrics == [.trainAccuracy, .testAccuracy, .bestEpoch])
        let first = table.rows[0]
        #expect(first.statistics[.bestEpoch]?.values == [2, 2, 2])
        // Training accuracy of epoch 2, not of the last epoch.
        #expect(first.statistics[.trainAccuracy]?.values == (0..<3).map { ReportFixture.train(0, $0, epoch: 2) })
        #expect(first.statistics[.testAccuracy]?.values == ReportFixture.test[0])
    }

    @Test func bestEpochFallsBackToTrainingAccuracyAndPrefersTheEarliestTie() {
        let epochs = [
            EpochMetrics(epoch: 1, loss: 1, accuracy: 0.5), EpochMetrics(epoch: 2, loss: 1, accuracy: 0.9),
            EpochMetrics(epoch: 3, loss: .nan, accuracy: .nan), EpochMetrics(epoch: 4, loss: 1, accuracy: 0.9),
        ]
        #expect(TrialMetrics.best(epochs, metric: .accuracy)?.epoch == 2)
        let withValidation = [
            EpochMetrics(epoch: 1, loss: 1, accuracy: 0.9, valAccuracy: 0.7),
            EpochMetrics(epoch: 2, loss: 1, accuracy: 0.95, valAccuracy: 0.6),
        ]
        #expect(TrialMetrics.best(withValidation, metric: .accuracy)?.epoch == 1)
    }

    @Test func failedTrialsAreKeptAndCounted() throws {
        let fixture = try ReportFixture { point, seed in
            point == 1 && seed == 2 ? .failed : point == 2 ? .diverged : .completed
        }
        let table = try fixture.table()
        #expect(table.rows.count == 4)
        #expect(table.showsStatus)
        #expect(table.rows[1].statusText == "failed (1 of 3 seeds)")
        #expect(table.rows[1].statistics[.trainAccuracy]?.values == [0.91, 0.93])
        #expect(table.rows[2].statusText == "diverged")
        #expect(table.rows[2].statistics[.trainAccuracy] == nil)
        #expect(table.rows[2].missingText == "diverged")
    }

    @Test func mixedProblemsAreAllListed() throws {
        let fixture = try ReportFixture { point, seed in
            point == 0 ? [TrialStatus.completed, .interrupted, .pending][seed] : .completed
        }
        let row = try fixture.table().rows[0]
        #expect(row.statusText == "interrupted (1 of 3 seeds); pending (1 of 3 seeds)")
        #expect(row.completedCount == 1)
    }

    @Test func sortsByAMetric() throws {
        let fixture = try ReportFixture()
        let byAccuracy = try fixture.table(ReportOptions(sort: .testAccuracy))
        // Test accuracy means 0.81, 0.91, 0.84, 0.95 for grid points 0…3, descending.
        #expect(byAccuracy.rows.map { $0.parameters["units"]! } == [.int(256), .int(128), .int(256), .int(128)])
        #expect(
            byAccuracy.rows.map { $0.parameters["optimizer"]! }
                == ["adam", "adam", "sgd", "sgd"].map(ParameterValue.string))
        // Loss 1/(3 + grid point) at the last epoch, ascending: grid points 3, 2, 1, 0.
        let byLoss = try fixture.table(ReportOptions(metrics: [.trainLoss], sort: .trainLoss))
        #expect(byLoss.rows.map { $0.parameters["units"]! } == [.int(256), .int(256), .int(128), .int(128)])
        #expect(
            byLoss.rows.map { $0.parameters["optimizer"]! }
                == ["adam", "sgd", "adam", "sgd"].map(ParameterValue.string))
    }

    @Test func explicitRowsOverrideVaryingKeys() throws {
        let table = try ReportFixture().table(ReportOptions(rows: ["optimizer"], metrics: [.testAccuracy]))
        #expect(table.parameterColumns == [.parameter("optimizer")])
        // Grouping still uses every parameter but the seed, so the two unit sizes stay apart.
        #expect(table.rows.count == 4)
        #expect(throws: ReportError.self) { try ReportFixture().table(ReportOptions(rows: ["layers"])) }
    }

    @Test func metricNamesParse() throws {
        #expect(try ReportMetric.parse("val_loss") == .valLoss)
        let error = #expect(throws: ReportError.self) { try ReportMetric.parse("f1") }
        #expect(error?.description.contains("train_accuracy") == true)
    }
}
