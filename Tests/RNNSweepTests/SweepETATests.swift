import Testing

@testable import RNNSweep

@Suite struct SweepETATests {
    @Test func eachTrialsEpochsLeftTimesItsGridPointsMeanOverTheWorkers() throws {
        var eta = SweepETA(
            plan: [
                "a1": .init(gridPoint: 1, epochsLeft: 4), "a2": .init(gridPoint: 1, epochsLeft: 4),
                "b1": .init(gridPoint: 2, epochsLeft: 4),
            ], workers: 2)
        #expect(eta.remainingSeconds == nil, "nothing measured yet")
        #expect(eta.epochsPlanned == 12 && eta.epochsDone == 0)

        eta.epoch(trial: "a1", gridPoint: 1, seconds: 2)
        eta.epoch(trial: "a1", gridPoint: 1, seconds: 4)
        // Grid point 1 takes 3 s an epoch; grid point 2, unmeasured, is taken at the overall mean (3 s).
        let expected: Double = (2 * 3 + 4 * 3 + 4 * 3) / 2
        #expect(eta.remainingSeconds == expected)

        eta.epoch(trial: "b1", gridPoint: 2, seconds: 10)
        let measured: Double = (2 * 3 + 4 * 3 + 3 * 10) / 2
        #expect(eta.remainingSeconds == measured)
        #expect(eta.epochsDone == 3)

        // Stopped or failed for good: its epochs leave the plan.
        eta.ended(trial: "b1")
        let without: Double = (2 * 3 + 4 * 3) / 2
        #expect(eta.remainingSeconds == without)
        #expect(eta.epochsPlanned == 9)
    }

    @Test func durationsReadAsAUserWritesThem() {
        #expect(SweepReporter.duration(40) == "40s")
        #expect(SweepReporter.duration(725) == "12m05s")
        #expect(SweepReporter.duration(3720) == "1h02m")
    }
}
