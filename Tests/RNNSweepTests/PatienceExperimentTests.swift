import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// `early_stopping: method: patience` in experiment files: the block sets every trial's patience parameters, it
/// composes with successive halving in a list, and its mistakes are reported at their line and column.
@Suite struct PatienceExperimentTests {
    static func parse(_ yaml: String) throws -> (experiment: Experiment, sweep: ExpandedSweep) {
        try ExperimentFile.parseSweep(yaml: yaml, path: "p.yaml")
    }

    @Test func aPatienceBlockSetsEveryTrialsParameters() throws {
        let (experiment, sweep) = try Self.parse(
            """
            name: p
            validation_split: 0.1
            grid: {units: [8, 16]}
            early_stopping: {method: patience, metric: val_accuracy, patience: 3, min_delta: 0.01, restore_best: true}
            """)
        #expect(experiment.earlyStopping == nil)
        #expect(sweep.trials.count == 2)
        for trial in sweep.trials {
            let rule = try #require(trial.parameters.patienceRule)
            #expect(rule == PatienceRule(metric: .valAccuracy, patience: 3, minDelta: 0.01, restoreBest: true))
        }
        // Part of the trials' identity: the same grid without patience has other ids.
        let (_, plain) = try Self.parse("name: p\nvalidation_split: 0.1\ngrid: {units: [8, 16]}\n")
        #expect(Set(plain.trials.map(\.id)).isDisjoint(with: sweep.trials.map(\.id)))
        #expect(plain.trials.allSatisfy { $0.parameters.patienceRule == nil })
    }

    @Test func patienceComposesWithSuccessiveHalvingInAList() throws {
        let (experiment, sweep) = try Self.parse(
            """
            name: p
            validation_split: 0.1
            defaults: {epochs: 8}
            grid: {units: [8, 16, 32]}
            early_stopping:
              - {method: successive_halving, min_epochs: 2}
              - {method: patience, patience: 2}
            """)
        #expect(experiment.earlyStopping?.rule.minEpochs == 2)
        #expect(sweep.trials.allSatisfy { $0.parameters.patienceRule?.patience == 2 })
        #expect(sweep.trials.allSatisfy { $0.parameters.patienceRule?.metric == .valLoss })
    }

    static let bad: [BadExperimentFile] = [
        BadExperimentFile(
            label: "two halving blocks",
            yaml: "name: x\nvalidation_split: 0.1\ndefaults: {epochs: 8}\nearly_stopping:\n"
                + "  - {method: successive_halving, min_epochs: 2}\n  - {method: successive_halving, min_epochs: 1}\n",
            message: "6:5: early_stopping: a second halving block ('method: successive_halving' is at line 5); give "
                + "one of successive_halving, async_halving, hyperband"),
        BadExperimentFile(
            label: "two patience blocks",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping:\n  - {method: patience, patience: 2}\n"
                + "  - {method: patience, patience: 3}\n",
            message: "5:5: early_stopping: a second 'method: patience' block (the first is at line 4); give each "
                + "method once"),
        BadExperimentFile(
            label: "patience zero",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: patience, patience: 0}\n",
            message: "3:46: early_stopping: patience: expected an integer ≥ 1 (leave the block out to train every "
                + "epoch)"),
        BadExperimentFile(
            label: "patience missing",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: patience, restore_best: true}\n",
            message: "3:17: early_stopping: missing 'patience:' (epochs, e.g. 3)"),
        BadExperimentFile(
            label: "patience unknown key",
            yaml:
                "name: x\nvalidation_split: 0.1\nearly_stopping: {method: patience, patience: 2, restor_best: true}\n",
            message:
                "3:49: early_stopping: patience: unknown key 'restor_best'; did you mean 'restore_best'? (allowed: "
                + "method, patience, metric, min_delta, restore_best)"),
        BadExperimentFile(
            label: "patience metric",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: patience, patience: 2, metric: val_f1}\n",
            message: "3:57: patience_metric: 'val_f1' is not allowed; allowed values: val_loss, val_accuracy, val_mae, "
                + "val_rmse"),
        BadExperimentFile(
            label: "patience metric of another task",
            yaml: "name: x\nvalidation_split: 0.1\nearly_stopping: {method: patience, patience: 2, metric: val_mae}\n",
            message: "3:57: patience_metric: 'val_mae' is not measured for task classification; use one of val_loss, "
                + "val_accuracy"),
        BadExperimentFile(
            label: "patience set twice",
            yaml:
                "name: x\nvalidation_split: 0.1\ndefaults: {patience: 4}\nearly_stopping: {method: patience, patience: 2}\n",
            message: "4:46: patience is set by early_stopping (method: patience) and also at line 3; set it in one "
                + "place"),
        BadExperimentFile(
            label: "patience without a validation split",
            yaml: "name: x\nearly_stopping: {method: patience, patience: 2}\n",
            message: "2:46: patience needs validation_split > 0 (its metric), and trial #1 has none; set e.g. "
                + "validation_split: 0.1 at the top level"),
        BadExperimentFile(
            label: "unknown method",
            yaml: "name: x\nearly_stopping: {method: hyperpatience, patience: 2}\n",
            message: "2:26: early_stopping: method: 'hyperpatience' is not an early-stopping method "
                + "(successive_halving, async_halving, hyperband, patience)"),
    ]

    @Test(arguments: bad) func badPatienceBlocksAreRejectedWithPosition(_ bad: BadExperimentFile) {
        do {
            let experiment = try ExperimentFile.parse(yaml: bad.yaml, path: "bad.yaml")
            Issue.record("accepted: \(experiment.name)")
        } catch {
            #expect(error.description == "bad.yaml:\(bad.message)")
        }
    }
}
