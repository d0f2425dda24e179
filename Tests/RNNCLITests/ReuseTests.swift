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
    }
}
