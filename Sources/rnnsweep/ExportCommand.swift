import ArgumentParser
import Foundation
import RNNSweep

/// `rnnsweep export`: a trial's model out of the sweep, for Keras or for `predict`/`evaluate` elsewhere.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trial's model to a folder: weights (safetensors), parameters.json and a Keras 3 model.py.")

    @Argument(help: "The sweep (default: the only sweep in the database).") var sweep: String?
    @Option(help: "The trial to export: its id, or a unique prefix of it.") var trial: String?
    @Flag(help: "Export the completed trial with the best test accuracy (lowest test MAE for regression).")
    var best = false
    @Option(help: "The folder to write (it must be missing or empty).") var output: String
    @Flag(help: "Replace --output even when it is not empty.") var force = false
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if trial != nil && best { throw ValidationError("give --trial ID or --best, not both") }
        if trial == nil && !best { throw ValidationError("name the trial to export with --trial ID, or pass --best") }
    }

    func run() throws {
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        let name = try CLIError.runtime { try ReportDocument.sweepName(sweep, store: store) }
        let result = try CLIError.runtime {
            try TrialExport.run(
                store: store, database: database.url, sweep: name, selection: trial.map { .trial($0) } ?? .best,
                output: URL(fileURLWithPath: output), force: force, version: RNNSweepVersion.number)
        }
        if let warning = result.warning { printError("warning: \(warning)") }
        let metrics = result.trial.test.keys.sorted().map { "test \($0.rawValue) \(result.trial.test[$0]!)" }
        Output.print(
            "exported trial \(result.trial.id) (#\(result.trial.ordinal), \(result.label)"
                + (best ? ", the best by test \(result.primaryMetric.rawValue)" : "")
                + (metrics.isEmpty ? "" : "; " + metrics.joined(separator: ", ")) + ") of sweep \(result.sweep) to "
                + "\(output): \(result.files.joined(separator: ", "))")
    }
}
