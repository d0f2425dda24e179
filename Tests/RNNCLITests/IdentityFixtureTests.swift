import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A database and checkpoints written by rnnsweep before parameters could be added without re-keying trials
    /// (`Fixtures/identity-v1`, made by its `make-fixture.sh` at commit c3ec9fc): today's rnnsweep must recognise
    /// them — the same ids, the completed trial left alone, the interrupted one resumed from its checkpoint to the
    /// numbers of a run that was never interrupted.
    @Suite struct IdentityFixtureTests {
        static let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("identity-v1")

        /// A copy of the fixture in a fresh workspace: `identity.yaml`, `r.sqlite` (the v1 database) and the
        /// checkpoint folder beside it.
        func workspace() throws -> SweepWorkspace {
            let workspace = try SweepWorkspace()
            let files = FileManager.default
            for name in ["identity.yaml", "identity-v1"] {
                try files.copyItem(
                    at: Self.fixture.appendingPathComponent(name),
                    to: workspace.directory.appendingPathComponent(name))
            }
            try files.copyItem(at: Self.fixture.appendingPathComponent("v1.sqlite"), to: workspace.database)
            return workspace
        }

        /// The fixture's rows, read from a migrated copy (readers need today's schema; the copy under test stays as
        /// v1 wrote it, for `run` to migrate).
        func rows(of name: String) throws -> SweepDatabase {
            let copy = try SweepWorkspace()
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(name), to: copy.database)
            _ = try MetricsStore.create(at: copy.database)
            return KeptDatabase(workspace: copy, sweep: "identity-v1")
        }

        @Test func todaysExpansionGivesTheStoredIDs() throws {
            let workspace = try workspace()
            let (_, sweep) = try ExperimentFile.loadSweep(
                path: workspace.directory.appendingPathComponent("identity.yaml").path)
            let stored = try #require(try rows(of: "v1.sqlite").trials())
            #expect(sweep.trials.map(\.id) == stored.map(\.id))
            #expect(stored.map(\.status) == [.completed, .interrupted])
        }

        @Test func runTrainsNothingCompletedAndResumesTheInterruptedTrialBitIdentically() throws {
            let workspace = try workspace()
            let database = workspace.sweepDatabase("identity-v1")
            let original = try rows(of: "v1.sqlite")
            let before = try #require(original.trials())
            let beforeEpochs = try #require(original.epochs())

            let result = try workspace.run(["run", "identity.yaml", "--workers", "1"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("2 trials, 1 already completed, 1 to run"), "\(result)")
            #expect(result.stdout.contains("resuming from the checkpoint after epoch 2 of 8"), "\(result)")

            let after = try #require(database.trials())
            let reference = try rows(of: "reference.sqlite")
            let expected = try #require(reference.trials())
            #expect(after.map(\.id) == expected.map(\.id))
            // The completed trial was not started again: same attempt count, same row, same epochs.
            #expect(after[0] == before[0])
            #expect(after[1].notes == nil, "the checkpoint of the interrupted trial was used, not moved aside")
            #expect(try #require(database.epochs())[after[0].id]! == beforeEpochs[after[0].id]!)
            // The interrupted trial was started once more and ended where an uninterrupted run ends, bit for bit.
            #expect(after[1].status == .completed)
            #expect(after[1].attempts == before[1].attempts + 1)
            #expect(after[1].testAccuracy?.bitPattern == expected[1].testAccuracy?.bitPattern)
            #expect(after[1].testLoss?.bitPattern == expected[1].testLoss?.bitPattern)
            let epochs = try #require(database.epochs())
            let expectedEpochs = try #require(reference.epochs())
            #expect(MetricCurve.of(epochs) == MetricCurve.of(expectedEpochs))
        }
    }
}

/// A `SweepDatabase` that keeps the workspace holding its file alive.
final class KeptDatabase: SweepDatabase {
    let workspace: SweepWorkspace

    init(workspace: SweepWorkspace, sweep: String) {
        self.workspace = workspace
        super.init(url: workspace.database, sweep: sweep)
    }
}
