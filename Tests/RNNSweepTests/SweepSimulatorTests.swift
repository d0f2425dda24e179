import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

@Suite struct SweepSimulatorTests {
    /// The committed Fashion-MNIST grid (27 configurations × 2 seeds × 20 epochs), copied out of Results/.
    static func recordedGrid() throws -> (store: MetricsStore, folder: URL) {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Results/search-fashion-mnist-grid.sqlite")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-sim-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("grid.sqlite")
        try FileManager.default.copyItem(at: source, to: copy)
        return (try MetricsStore.openExisting(at: copy), folder)
    }

    @Test func theSameCommandGivesTheSameBytes() throws {
        let (store, folder) = try Self.recordedGrid()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try #require(try store.sweeps().first).name
        let options = SimulationReport.Options(
            workers: [2, 16], methods: HalvingMethod.allCases, configurations: 60, minEpochs: 1, reductionFactor: 3)
        let first = try SimulationReport.render(store: store, sweep: sweep, options: options)
        let second = try SimulationReport.render(store: store, sweep: sweep, options: options)
        #expect(first == second)
        // A line on what ran, a blank line, the table's two header lines, one row per method and worker count.
        #expect(first.split(separator: "\n", omittingEmptySubsequences: false).count == 4 + 6 + 1)
    }

    /// On the recorded curves (27 configurations × 2 seeds), many workers wait at synchronous halving's rung
    /// barriers, and fewer under the asynchronous rule: a property of the data (its epoch times and metrics), not
    /// of a clock. (Asynchronous halving also trains more epochs here: 330 against 148.)
    @Test func asynchronousHalvingKeepsManyWorkersBusierThanSynchronous() throws {
        let (store, folder) = try Self.recordedGrid()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = try RecordedCurves.load(store: store, sweep: try #require(try store.sweeps().first).name)
        #expect(recorded.configurations.count == 27 && recorded.epochs == 20)
        let rule = SuccessiveHalving(metric: recorded.metric, minEpochs: 1, reductionFactor: 3)
        let population = SimulatedPopulation(recorded)
        for workers in [16, 64, 256] {
            let sync = try SimulationReport.simulate(
                .successiveHalving, rule: rule, population: population, workers: workers)
            let async = try SimulationReport.simulate(
                .asyncHalving, rule: rule, population: population, workers: workers)
            #expect(sync.utilization < async.utilization, "\(workers) workers")
            #expect(sync.best?.gridPoint == async.best?.gridPoint, "both find the best configuration")
        }
    }

    /// A sweep whose trials did not all train every epoch cannot be replayed: what a scheduler asks for would not
    /// be in the record.
    @Test func aSweepWithMissingEpochsIsRefused() throws {
        let (store, folder) = try Self.recordedGrid()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweep = try #require(try store.sweeps().first).name
        let row = try #require(try store.sweep(named: sweep))
        let first = try #require(try store.trials(sweep: row.id).first)
        // The committed file is of an older schema, which rnnsweep opens read-only; edit it below rnnsweep.
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("grid.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM epochs WHERE trial_id = ? AND epoch = 20", arguments: [first.id])
        }
        try queue.close()
        let edited = try MetricsStore.openExisting(at: folder.appendingPathComponent("grid.sqlite"))
        #expect {
            try RecordedCurves.load(store: edited, sweep: sweep)
        } throws: { error in
            (error as? SimulationError)?.description
                == "trial #\(first.ordinal) of sweep '\(sweep)' has 19 of its 20 epochs recorded; the simulator "
                + "replays sweeps that trained every epoch of every trial"
        }
    }
}
