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
        #expect(eta.epochsDone == 3)
        // b1 alone has 3 × 10 s left: more than the (2 + 4) × 3 s + 30 s of all three shared by 2 workers.
        let longest: Double = 3 * 10
        #expect(eta.remainingSeconds == longest)

        // Stopped or failed for good: its epochs leave the plan.
        eta.ended(trial: "b1")
        #expect(eta.epochsPlanned == 9)
        let shared: Double = (2 * 3 + 4 * 3) / 2
        let a2: Double = 4 * 3
        #expect(eta.remainingSeconds == max(shared, a2))
        eta.ended(trial: "a2")
        let a1: Double = 2 * 3
        #expect(eta.remainingSeconds == a1, "the last trial alone: one worker trains it")
    }

    @Test func eachUnstartedTrialAddsTheOverheadMeasuredByThisRun() throws {
        var eta = SweepETA(
            plan: ["a": .init(gridPoint: 1, epochsLeft: 2), "b": .init(gridPoint: 1, epochsLeft: 2)], workers: 1)
        eta.started(trial: "a")
        eta.epoch(trial: "a", gridPoint: 1, seconds: 3)
        eta.epoch(trial: "a", gridPoint: 1, seconds: 3)
        // Nothing ended yet: no overhead measured, b's epochs alone.
        #expect(eta.remainingSeconds == 6)
        // a ran 10 s, 6 of them in epochs: 4 s of overhead, which b (not started) will pay too.
        eta.attemptEnded(trial: "a", wall: 10)
        eta.ended(trial: "a")
        #expect(eta.remainingSeconds == 10)
        eta.started(trial: "b")
        #expect(eta.remainingSeconds == 6, "a started trial has paid its overhead's start")
    }

    @Test func aWorkersFirstEpochCountsAsDoneAndAsOverheadNotInAnEpochsMean() throws {
        var eta = SweepETA(
            plan: ["a": .init(gridPoint: 1, epochsLeft: 3), "b": .init(gridPoint: 1, epochsLeft: 3)], workers: 1)
        eta.started(trial: "a")
        eta.epoch(trial: "a", gridPoint: 1, seconds: 25, warmUp: true)
        #expect(eta.epochsDone == 1)
        #expect(eta.remainingSeconds == nil, "a warm-up measures nothing")
        eta.epoch(trial: "a", gridPoint: 1, seconds: 1)
        // 1 epoch of a and 3 of b left, at 1 s: the warm-up's 25 s are not a grid point's epoch.
        #expect(eta.remainingSeconds == 4)
        // a ran 31 s: 2 s of epochs and 29 s of overhead (the warm-up's 25 s with it), the median overhead b will pay
        // (a process per trial pays the warm-up each time; kept workers pay it once, which the median passes by).
        eta.epoch(trial: "a", gridPoint: 1, seconds: 1)
        eta.attemptEnded(trial: "a", wall: 31)
        eta.ended(trial: "a")
        // Running sums: equal up to rounding.
        let left: Double = 3 + 29
        #expect(eta.remainingSeconds.map { abs($0 - left) < 1e-9 } == true, "\(eta.remainingSeconds ?? -1)")
    }

    @Test func durationsReadAsAUserWritesThem() {
        #expect(SweepReporter.duration(40) == "40s")
        #expect(SweepReporter.duration(725) == "12m05s")
        #expect(SweepReporter.duration(3720) == "1h02m")
    }

    /// Asked at every trial's end and redraw, the estimate must not walk every trial: with 10,000 trials it looks at
    /// none until few are left, and its figure is the sums' (10,000 × 3 epochs × 2 s over 4 workers).
    @Test func anEstimateDoesNotWalkEveryTrial() throws {
        var plan: [String: SweepETA.Trial] = [:]
        for k in 0..<10_000 { plan["t\(k)"] = .init(gridPoint: k % 10, epochsLeft: 3) }
        var eta = SweepETA(plan: plan, workers: 4)
        eta.started(trial: "t0")
        eta.epoch(trial: "t0", gridPoint: 0, seconds: 2)
        let (seconds, visited) = eta.estimate()
        #expect(visited == 0)
        #expect(seconds == Double(10_000 * 3 - 1) * 2 / 4)
        for k in 0..<(10_000 - 3) { eta.ended(trial: "t\(k)") }
        #expect(eta.estimate().visited == 3, "few left: the longest of them bounds the end")
    }
}

@Suite struct SweepETAPriorTests {
    /// A sweep in grid order measures its small models first: a grid point not yet measured costs its prior (the
    /// cost model's epoch) times how the measured epochs compare with theirs, not the mean of the small ones.
    @Test func anUnmeasuredPointCostsItsPriorScaledByTheMeasuredOnes() throws {
        var eta = SweepETA(
            plan: [
                "small": .init(gridPoint: 1, epochsLeft: 2, priorEpoch: 1),
                "large": .init(gridPoint: 2, epochsLeft: 2, priorEpoch: 4),
                "other": .init(gridPoint: 3, epochsLeft: 2),
            ], workers: 1)
        eta.epoch(trial: "small", gridPoint: 1, seconds: 2)
        // This machine is twice as slow as the priors say: large's epochs cost 2 × 4 s; the point without a prior
        // costs the mean epoch (2 s); small has one epoch of 2 s left.
        let expected: Double = 1 * 2 + 2 * 8 + 2 * 2
        #expect(eta.remainingSeconds == expected)
        eta.epoch(trial: "large", gridPoint: 2, seconds: 5)
        // Measured, large costs its own mean (5 s) for its last epoch.
        let measured: Double = 1 * 2 + 1 * 5 + 2 * 3.5
        #expect(eta.remainingSeconds == measured)
    }

    @Test func shortDurationsKeepTenths() {
        #expect(SweepReporter.duration(4.84) == "4.8s")
        #expect(SweepReporter.duration(0) == "0.0s")
        #expect(SweepReporter.duration(9.97) == "10s")
    }
}
