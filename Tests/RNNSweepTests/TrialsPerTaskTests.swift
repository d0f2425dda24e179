import Foundation
import Testing

@testable import RNNSweep

/// How many trials a Slurm array task runs: `trials_per_task` as written, and the automatic choice from the cost
/// model's estimates.
@Suite("Trials per Slurm task")
struct TrialsPerTaskTests {
    @Test func readsAutoOrAPositiveWholeNumber() throws {
        #expect(TrialsPerTask(text: "auto") == .auto)
        #expect(TrialsPerTask(text: "4") == .fixed(4))
        for bad in ["0", "-2", "1.5", "Auto", "", "many"] { #expect(TrialsPerTask(text: bad) == nil, "\(bad)") }
    }

    @Test func storedSettingsDecodeWithAndWithoutIt() throws {
        let decoder = JSONDecoder()
        let old = try decoder.decode(
            SlurmSettings.self, from: Data(#"{"cpus_per_task":1,"sbatch_args":[],"poll_interval":2}"#.utf8))
        #expect(old.trialsPerTask == nil)
        for value in [TrialsPerTask.auto, .fixed(6)] {
            let settings = SlurmSettings(trialsPerTask: value)
            let again = try decoder.decode(SlurmSettings.self, from: JSONEncoder().encode(settings))
            #expect(again == settings)
        }
        #expect(throws: DecodingError.self) {
            try decoder.decode(TrialsPerTask.self, from: Data("0".utf8))
        }
    }

    @Test func aFixedNumberIsKeptButNeverExceedsTheSubmission() {
        let estimates: [Double?] = Array(repeating: 1, count: 10)
        #expect(TrialsPerTask.fixed(4).resolved(estimates: estimates, slots: nil, timeLimit: nil) == 4)
        #expect(TrialsPerTask.fixed(40).resolved(estimates: estimates, slots: 2, timeLimit: 60) == 10)
        #expect(TrialsPerTask.fixed(4).resolved(estimates: [1], slots: 2, timeLimit: nil) == 1)
    }

    @Test func autoAimsAtAMinutePerTaskAndKeepsEverySlotBusy() {
        let quick: [Double?] = Array(repeating: 0.5, count: 1000)
        // 60 s of 0.5 s trials.
        #expect(TrialsPerTask.auto.resolved(estimates: quick, slots: 4, timeLimit: nil) == 120)
        // 72 trials on 2 slots: never fewer than 2 tasks.
        #expect(TrialsPerTask.auto.resolved(estimates: Array(quick.prefix(72)), slots: 2, timeLimit: nil) == 36)
        // Half a 20 s time limit holds 20 trials.
        #expect(TrialsPerTask.auto.resolved(estimates: quick, slots: 4, timeLimit: 20) == 20)
        // The median trial decides: a few long ones do not stop the packing.
        let mixed: [Double?] = Array(repeating: 2, count: 90) + Array(repeating: 500, count: 10)
        #expect(TrialsPerTask.auto.resolved(estimates: mixed, slots: 2, timeLimit: nil) == 30)
    }

    @Test func autoRunsOneTrialPerTaskWhenItCannotJudge() {
        let quick: [Double?] = Array(repeating: 0.5, count: 100)
        // Trials of a minute or more gain nothing.
        #expect(TrialsPerTask.auto.resolved(estimates: Array(repeating: 90, count: 100), slots: 2, timeLimit: nil) == 1)
        // Without max_parallel every task may run at once.
        #expect(TrialsPerTask.auto.resolved(estimates: quick, slots: nil, timeLimit: nil) == 1)
        // Without the cost model's estimate.
        #expect(TrialsPerTask.auto.resolved(estimates: [nil] + quick.dropFirst(), slots: 2, timeLimit: nil) == 1)
    }
}
