import Foundation
import RNNSweep
import Testing

/// The check a sweep stopped and run again ends with (an interrupt, a deadline, a killed process): every trial
/// completed, with the same ids, test metrics and curves, bit for bit, as the same file run once without a stop
/// into `reference`.
func expectSameResults(_ database: SweepDatabase, as reference: SweepDatabase) throws {
    let trials = try #require(database.trials())
    let expected = try #require(reference.trials())
    #expect(trials.map(\.id) == expected.map(\.id))
    for (trial, reference) in zip(trials, expected) {
        #expect(trial.status == .completed)
        #expect(trial.testAccuracy?.bitPattern == reference.testAccuracy?.bitPattern, "\(trial.id)")
        #expect(trial.testLoss?.bitPattern == reference.testLoss?.bitPattern, "\(trial.id)")
    }
    let epochs = try #require(database.epochs())
    let expectedEpochs = try #require(reference.epochs())
    #expect(MetricCurve.of(epochs) == MetricCurve.of(expectedEpochs))
}
