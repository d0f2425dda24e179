import Foundation
import RNNSweep
import RNNTestSupport
import RNNTraining
import Testing

extension EndToEnd {
    /// Trials are keyed by their data's contents, not its path, as a user iterating on preprocessing needs: a
    /// regenerated file gives new trials (the old ones kept, `status` and `report` telling the versions apart), a
    /// moved or renamed one re-keys nothing, and a database written when trials were keyed by the path
    /// (`Fixtures/paths-v1`, by the release build of commit b124664) keeps its ids and checkpoints.
    @Suite struct DataIdentityTests {
        static let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("paths-v1")

        /// A copy of the fixture: `paths.yaml`, `data/series.npz`, the database as `r.sqlite` and its checkpoints.
        func fixtureWorkspace() throws -> SweepWorkspace {
            let workspace = try SweepWorkspace()
            let files = FileManager.default
            for name in ["paths.yaml", "data"] {
                try files.copyItem(
                    at: Self.fixture.appendingPathComponent(name),
                    to: workspace.directory.appendingPathComponent(name))
            }
            try files.copyItem(at: Self.fixture.appendingPathComponent("v1.sqlite"), to: workspace.database)
            try files.copyItem(
                at: Self.fixture.appendingPathComponent("v1.runs"),
                to: workspace.directory.appendingPathComponent("v1.runs"))
            return workspace
        }

        /// The fixture's `name` database read through a migrated copy.
        func rows(of name: String) throws -> SweepDatabase {
            let copy = try SweepWorkspace()
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(name), to: copy.database)
            _ = try MetricsStore.create(at: copy.database)
            return KeptDatabase(workspace: copy, sweep: "paths-v1")
        }

        /// A two-class npz of `count` examples `[count, 6, 2]`, its values drawn from `seed`.
        static func writeData(at path: String, seed: UInt64, count: Int = 120) throws {
            var state = seed
            func next() -> Float {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(state >> 40) / Float(1 << 24) * 2 - 1
            }
            func split(_ n: Int) -> ([Float], [Int64]) {
                let x = (0..<(n * 12)).map { _ in next() }
                let y = (0..<n).map { Int64(x[$0 * 12] > 0 ? 1 : 0) }
                return (x, y)
            }
            try? FileManager.default.removeItem(atPath: path)  // regenerated in place
            let (xTrain, yTrain) = split(count)
            let (xTest, yTest) = split(count / 4)
            try NPZWriter.npz(
                at: path,
                [
                    ("x_train", NPZWriter.npy(xTrain, shape: [count, 6, 2])),
                    ("y_train", NPZWriter.npy(yTrain, shape: [count])),
                    ("x_test", NPZWriter.npy(xTest, shape: [count / 4, 6, 2])),
                    ("y_test", NPZWriter.npy(yTest, shape: [count / 4])),
                ], compressed: false)
        }

        static func experiment(dataDir: String) -> String {
            """
            name: versions
            dataset: npz
            data_dir: \(dataDir)
            defaults:
              units: 8
              epochs: 2
              batch_size: 30
            grid:
              cell: [simple_rnn, gru]
            seeds: [1]

            """
        }

        @Test func aDatabaseKeyedByPathKeepsItsIDsAndResumesItsCheckpointFromAnotherFolder() throws {
            let workspace = try fixtureWorkspace()
            let original = try rows(of: "v1.sqlite")
            let before = try #require(original.trials())
            let elsewhere = workspace.directory.appendingPathComponent("elsewhere", isDirectory: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)

            // From another folder: `data/series.npz` is relative to the experiment file, not to the current folder.
            let plan = try rnnsweep(
                ["plan", "../paths.yaml", "--json", "--db", workspace.database.path], in: elsewhere)
            #expect(plan.status == 0, "\(plan)")
            for trial in before { #expect(plan.stdout.contains("\"id\":\"\(trial.id)\""), "\(plan)") }

            let run = try rnnsweep(
                ["run", "../paths.yaml", "--workers", "1", "--db", workspace.database.path], in: elsewhere)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("2 trials, 1 already completed, 1 to run"), "\(run)")
            #expect(run.stdout.contains("resuming from the checkpoint after epoch"), "\(run)")

            let after = try #require(workspace.sweepDatabase("paths-v1").trials())
            #expect(after.map(\.id) == before.map(\.id), "nothing re-keyed")
            #expect(after[0].attempts == before[0].attempts && after[0].test == before[0].test)
            let fingerprints = Set(after.compactMap(\.dataFingerprint))
            #expect(fingerprints.count == 1 && after.allSatisfy { $0.dataFingerprint != nil }, "recorded on both")
            // Resumed from the old checkpoint to the numbers of a run never interrupted, bit for bit.
            let reference = try #require(try rows(of: "reference.sqlite").trials())
            #expect(after[1].status == .completed)
            #expect(after[1].testAccuracy?.bitPattern == reference[1].testAccuracy?.bitPattern)
            #expect(after[1].testLoss?.bitPattern == reference[1].testLoss?.bitPattern)
        }

        @Test func movingTheFileReKeysNothingAndRegeneratingItGivesNewTrials() throws {
            let workspace = try SweepWorkspace()
            let data = workspace.directory.appendingPathComponent("data", isDirectory: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try Self.writeData(at: data.appendingPathComponent("x.npz").path, seed: 1)
            try workspace.write("versions.yaml", Self.experiment(dataDir: "data/x.npz"))
            let first = try workspace.run(["run", "versions.yaml", "--workers", "2"])
            #expect(first.status == 0, "\(first)")
            let database = workspace.sweepDatabase("versions")
            let ids = try #require(database.trials()).map(\.id)

            // Moved and renamed, the same bytes: the same trials, nothing to run.
            let moved = workspace.directory.appendingPathComponent("archive", isDirectory: true)
            try FileManager.default.createDirectory(at: moved, withIntermediateDirectories: true)
            try FileManager.default.moveItem(
                at: data.appendingPathComponent("x.npz"), to: moved.appendingPathComponent("renamed.npz"))
            try workspace.write("versions.yaml", Self.experiment(dataDir: "archive/renamed.npz"))
            let again = try workspace.run(["run", "versions.yaml", "--workers", "2"])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("2 trials, 2 already completed, 0 to run"), "\(again)")
            #expect(try #require(database.trials()).map(\.id) == ids)

            // Regenerated in place with other contents: two new trials; the old two stay, told apart.
            try Self.writeData(at: moved.appendingPathComponent("renamed.npz").path, seed: 2)
            let changed = try workspace.run(["run", "versions.yaml", "--workers", "2"])
            #expect(changed.status == 0, "\(changed)")
            #expect(changed.stdout.contains("2 trials, 0 already completed, 2 to run"), "\(changed)")
            let all = try #require(database.trials())
            #expect(all.count == 4 && Set(all.map(\.id)).isSuperset(of: ids))
            let versions = Set(all.compactMap(\.dataFingerprint))
            #expect(versions.count == 2)

            let status = try workspace.run(["status", "versions"])
            #expect(status.stdout.contains("the sweep's data changed between runs"), "\(status)")
            for version in versions {
                #expect(status.stdout.contains("data \(version.prefix(12)): trials #"), "\(status)")
            }
            // The report never averages the versions: one row per cell and version, each with its `data`.
            let json = try workspace.run(["report", "versions", "--format", "json"])
            #expect(json.status == 0, "\(json)")
            #expect(json.stderr.contains("the sweep's data changed between runs"), "\(json)")
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == 4)
            #expect(Set(rows.compactMap { $0["data"] as? String }) == Set(versions.map { String($0.prefix(12)) }))
            #expect(rows.allSatisfy { ($0["n"] as? Int) == 1 })
            let markdown = try workspace.run(["report", "versions"])
            #expect(markdown.stdout.contains("the sweep's data changed between runs"), "\(markdown)")
        }

        /// A file changed between the coordinator's check and a worker's start: the worker refuses to train on data
        /// the trial was not planned with, and says which files and fingerprints.
        @Test func aWorkerRefusesDataThatChangedSinceThePlan() throws {
            let workspace = try SweepWorkspace()
            let data = workspace.directory.appendingPathComponent("x.npz").path
            try Self.writeData(at: data, seed: 1)
            let parameters = try TrainingParameters.resolve([
                "dataset": .string("npz"), "data_dir": .string(data), "units": .int(4), "epochs": .int(1),
            ])
            let planned = String(repeating: "0", count: 64)
            let request = WorkerRequest(
                parameters: parameters, checkpointDirectory: workspace.directory.appendingPathComponent("c").path,
                threads: 1, coordinatorPID: nil, dataFingerprint: planned)
            try JSONEncoder().encode(request).write(to: workspace.directory.appendingPathComponent("r.json"))
            let result = try rnnsweep(
                ["worker", "--request", "r.json", "--events", "e.events"], in: workspace.directory)
            #expect(result.status == WorkerExit.failed, "\(result)")
            let events = try String(contentsOf: workspace.directory.appendingPathComponent("e.events"), encoding: .utf8)
            #expect(events.contains("the data changed since the sweep was planned"), "\(events)")
            #expect(events.contains("planned with 000000000000") && events.contains("x.npz"), "\(events)")
            #expect(!events.contains("\"event\":\"epoch\""), "nothing trained")
        }

        @Test func aMissingFileIsRefusedBeforeTheSweepIsRegistered() throws {
            let workspace = try SweepWorkspace()
            try workspace.write("missing.yaml", Self.experiment(dataDir: "data/none.npz"))
            let expected = workspace.directory.appendingPathComponent("data/none.npz").path
            let plan = try workspace.run(["plan", "missing.yaml", "--no-estimate"])
            #expect(plan.status != 0 && plan.stderr.contains(expected), "\(plan)")
            let run = try workspace.run(["run", "missing.yaml", "--workers", "1"])
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains(expected) && run.stderr.contains("trials #1–#2"), "\(run)")
            // Nothing was written: no sweep, no trial to fail at worker start-up.
            if FileManager.default.fileExists(atPath: workspace.database.path) {
                let store = try MetricsStore.openExisting(at: workspace.database)
                #expect(try store.sweeps().isEmpty)
            }
        }

        @Test func aCommandLineDataDirIsRelativeToTheCurrentFolder() throws {
            let workspace = try SweepWorkspace()
            let sub = workspace.directory.appendingPathComponent("experiments", isDirectory: true)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try Self.writeData(at: workspace.directory.appendingPathComponent("x.npz").path, seed: 1)
            try workspace.write("experiments/e.yaml", Self.experiment(dataDir: "nowhere.npz"))
            // The file's own data_dir would be experiments/nowhere.npz; the override is read from the workspace.
            let plan = try workspace.run(["plan", "experiments/e.yaml", "--no-estimate", "--data-dir", "x.npz"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains(workspace.directory.appendingPathComponent("x.npz").path), "\(plan)")
        }
    }
}
