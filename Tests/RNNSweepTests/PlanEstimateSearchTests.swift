import Testing

@testable import RNNSweep

/// `plan`'s cost of the configurations TPE proposes while the sweep runs: the start-up's worker time per
/// configuration, generation after generation, each on at most as many workers as it has trials.
@Suite struct PlanEstimateSearchTests {
    static func space(_ method: SearchMethod, samples: Int = 7) -> SearchSpace {
        SearchSpace(
            samples: samples, seed: 1,
            dimensions: [.init(key: "dropout", distribution: .uniform(0, 0.5), position: .start)], position: .start,
            method: method)
    }

    /// 12 s for the 3 start-up configurations on 2 workers: 8 s of worker time per configuration.
    static let estimate = PlanEstimate(
        seconds: 12, workers: 2, upperBound: false, shapesFromHistory: 0, shapesCalibrated: 1, historyEpochs: 0,
        trialsTooLarge: 0)

    @Test func generationsOfTwoConfigurationsOfTwoSeedsKeepBothWorkersBusy() {
        // Two generations of 2 configurations × 2 seeds: 16 s of worker time each, on 2 workers.
        #expect(
            Self.estimate.proposedLine(search: Self.space(.tpe(batch: 2, startup: 3)), knownTrials: 6)
                == "time: the 4 configuration(s) TPE proposes while the sweep runs add ≈ 16 s more, at the start-up's "
                + "cost per configuration, 2 per generation")
    }

    @Test func aGenerationOfOneTrialRunsOnOneWorker() {
        // Four generations of one trial each: 8 s each, one worker idle.
        #expect(
            Self.estimate.proposedLine(search: Self.space(.tpe(batch: 1, startup: 3)), knownTrials: 3)
                == "time: the 4 configuration(s) TPE proposes while the sweep runs add ≈ 32 s more, at the start-up's "
                + "cost per configuration, 1 per generation")
    }

    @Test func nothingIsAddedWhenEveryConfigurationIsKnown() {
        #expect(Self.estimate.proposedLine(search: Self.space(.random), knownTrials: 7) == nil)
        #expect(Self.estimate.proposedLine(search: Self.space(.tpe(batch: 1, startup: 10)), knownTrials: 7) == nil)
    }
}
