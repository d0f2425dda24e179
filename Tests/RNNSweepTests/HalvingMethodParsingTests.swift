import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

@Suite struct HalvingMethodParsingTests {
    static let cases: [BadExperimentFile] = [
        BadExperimentFile(
            label: "unknown halving method",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: asynchronous, min_epochs: 1}\n",
            message: "3:26: early_stopping: method: 'asynchronous' is not an early-stopping method "
                + "(successive_halving, async_halving, hyperband, patience)"),
        BadExperimentFile(
            label: "a misspelt halving method",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: hyperbnd, min_epochs: 1}\n",
            message: "3:26: early_stopping: method: 'hyperbnd' is not an early-stopping method; did you mean "
                + "'hyperband'? (successive_halving, async_halving, hyperband, patience)"),
        BadExperimentFile(
            label: "hyperband with too few configurations",
            yaml: "name: x\nvalidation_split: 0.1\ndefaults: {epochs: 20}\ngrid: {units: [8, 16]}\n"
                + "early_stopping: {method: hyperband, min_epochs: 2}\n",
            message: "5:17: early_stopping: hyperband with epochs 20, min_epochs 2 and reduction_factor 3 needs at "
                + "least 17 configurations (brackets of 9, 5, 3); this sweep has 2: raise search: samples (or the "
                + "grid), or raise min_epochs"),
    ]

    @Test(arguments: cases)
    func badFileIsRejectedWithPosition(_ bad: BadExperimentFile) throws {
        do {
            let experiment = try ExperimentFile.parse(yaml: bad.yaml, path: "bad.yaml", maxTrials: bad.maxTrials)
            Issue.record("accepted: \(experiment.name)")
        } catch {
            #expect(error.description == "bad.yaml:\(bad.message)")
        }
    }

    private static func yaml(_ method: String, samples: Int = 17) -> String {
        """
        name: x
        validation_split: 0.1
        defaults: {epochs: 20}
        search:
          samples: \(samples)
          space:
            units: {int_uniform: [4, 200]}
        early_stopping: {method: \(method), min_epochs: 2}

        """
    }

    /// The method is part of the resolved experiment (its identity), and an old successive-halving file's resolved
    /// JSON keeps its bytes.
    @Test func theMethodIsStoredInTheResolvedExperiment() throws {
        for method in HalvingMethod.allCases {
            let (experiment, sweep) = try ExperimentFile.parseSweep(yaml: Self.yaml(method.rawValue), path: "x.yaml")
            #expect(experiment.earlyStopping?.method == method)
            #expect(HalvingMethod.stored(inExperimentJSON: experiment.resolvedContent) == method)
            #expect(experiment.resolvedContent.contains("\"method\":\"\(method.rawValue)\""))
            #expect(sweep.gridPointCount == 17)
        }
        #expect(HalvingMethod.stored(inExperimentJSON: "{\"name\":\"x\"}") == nil)
    }

    @Test func planShowsTheBracketsAndTheirMostEpochs() throws {
        let (experiment, sweep) = try ExperimentFile.parseSweep(yaml: Self.yaml("hyperband", samples: 20), path: "x")
        let summary = sweep.earlyStoppingSummary(try #require(experiment.earlyStopping))
        #expect(
            summary == """
                hyperband: 3 brackets per iteration of 17 configurations
                  iteration 1 bracket 2: configurations 1–9 (9), rungs at epochs 2, 6, 20; at most 44 epochs
                  iteration 1 bracket 1: configurations 10–14 (5), rungs at epochs 6, 20; at most 58 epochs
                  iteration 1 bracket 0: configurations 15–17 (3), rungs at epochs 20; at most 60 epochs
                  iteration 2 bracket 2: configurations 18–20 (3), rungs at epochs 2, 6, 20; at most 24 epochs
                at most 186 epochs of training, against 400 for the full grid
                """)
        let (asyncExperiment, asyncSweep) = try ExperimentFile.parseSweep(yaml: Self.yaml("async_halving"), path: "x")
        #expect(
            asyncSweep.earlyStoppingSummary(try #require(asyncExperiment.earlyStopping)).hasPrefix(
                "asynchronous successive halving: rungs at epochs 2, 6, 18, 20;"))
    }
}
