import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// Two sweeps of one database that share a configuration (the same trial id) train it once.
    @Suite struct ReuseTests {
        @Test func aTrialCompletedByAnotherSweepOfTheDatabaseIsReusedNotRetrained() throws {
            let workspace = try SweepWorkspace()
            let first = TinySweep(name: "first", samples: 1000, epochs: 3, cells: ["simple_rnn"], units: [16, 32])
            let second = TinySweep(name: "second", samples: 1000, epochs: 3, cells: ["simple_rnn"], units: [32, 48])
            let a = try workspace.run(["run", try workspace.write("a.yaml", first.yaml), "--workers", "1"])
            try #require(a.status == 0, "\(a)")
            let b = try workspace.run(["run", try workspace.write("b.yaml", second.yaml), "--workers", "1"])
            #expect(b.status == 0, "\(b)")
            #expect(b.stdout.contains("1 trial(s) already completed by sweep first of this database"), "\(b)")
            #expect(b.stdout.contains("2 trials, 1 already completed, 1 to run"), "\(b)")

            let shared = try #require(workspace.sweepDatabase("first").trials()?.first { $0.ordinal == 2 })
            let reused = try #require(workspace.sweepDatabase("second").trials()?.first { $0.id == shared.id })
            #expect(reused.status == .completed && reused.testAccuracy == shared.testAccuracy)
            #expect(reused.notes?.contains("completed by sweep first") == true)
            let epochs = try #require(workspace.sweepDatabase("second").epochs()?[shared.id])
            let original = try #require(workspace.sweepDatabase("first").epochs()?[shared.id])
            #expect(epochs.count == 3 && zip(epochs, original).allSatisfy { $0.isIdentical(to: $1) })
        }

        @Test func raisingEpochsContinuesEachTrialFromItsCheckpointToTheNumbersOfALongerRun() throws {
            let workspace = try SweepWorkspace()
            let short = TinySweep(name: "longer", samples: 1000, epochs: 3, cells: ["simple_rnn", "gru"], units: [16])
            let file = try workspace.write("s.yaml", short.yaml)
            let first = try workspace.run(["run", file, "--workers", "2"])
            try #require(first.status == 0, "\(first)")
            var long = short
            long.epochs = 6
            try Data(long.yaml.utf8).write(to: URL(fileURLWithPath: file))
            let second = try workspace.run(["run", file, "--workers", "2"])
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("resuming from the checkpoint after epoch 3 of 6"), "\(second)")
            #expect(second.stdout.contains("continues from the checkpoint of trial"), "\(second)")

            let fresh = try SweepWorkspace()
            let reference = try fresh.run(["run", try fresh.write("s.yaml", long.yaml), "--workers", "2"])
            try #require(reference.status == 0, "\(reference)")
            let expected = try #require(fresh.sweepDatabase("longer").trials())
            let trials = try #require(workspace.sweepDatabase("longer").trials()).filter { t in
                expected.contains { $0.id == t.id }
            }
            #expect(trials.count == 2)
            for trial in trials {
                let other = try #require(expected.first { $0.id == trial.id })
                #expect(trial.testAccuracy?.bitPattern == other.testAccuracy?.bitPattern, "\(trial.id)")
            }
            let epochs = try #require(workspace.sweepDatabase("longer").epochs()).filter { key, _ in
                expected.contains { $0.id == key }
            }
            #expect(MetricCurve.of(epochs) == MetricCurve.of(try #require(fresh.sweepDatabase("longer").epochs())))
        }
    }
}
