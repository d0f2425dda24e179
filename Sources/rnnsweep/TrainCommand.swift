import ArgumentParser
import Foundation
import RNNData
import RNNEngine
import RNNTraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train one configuration: per-epoch metrics, test accuracy, checkpoints.",
        discussion: ParameterArguments.help(groups: ParameterGroup.allCases))

    @Option(help: "Compute threads for this process (oneDNN/OpenMP).") var threads = 1
    @Option(help: "Write checkpoints here (every --checkpoint-every epochs, in the background).") var checkpointDir:
        String?
    @Flag(help: "Continue from the checkpoint in --checkpoint-dir.") var resume = false
    @Flag(help: "Print one JSON object per line (the events sweep workers stream).") var json = false
    /// For `Benchmarks/masked_throughput.sh`: the same bits, with the batch's all-padding steps computed.
    @Flag(help: .hidden) var computePaddedSteps = false
    @OptionGroup var parameters: ParameterArguments

    func validate() throws {
        if resume && checkpointDir == nil { throw ValidationError("--resume needs --checkpoint-dir") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var config = try CLIError.wrap {
            try TrainingConfig(parameters: try parameters.parameters(groups: Set(ParameterGroup.allCases)))
        }
        config.computesPaddedSteps = computePaddedSteps
        let data = try CLIError.runtime { try DatasetLoader.load(config.dataset) }
        // The checkpoint is keyed by the data's contents, as in a sweep: moving the files keeps it valid.
        config.dataFingerprint = try CLIError.runtime { try data.fingerprint(cache: nil) }
        let trainer = try CLIError.runtime {
            try Trainer(
                config: config, data: data, threads: threads,
                checkpointDirectory: checkpointDir.map { URL(fileURLWithPath: $0) }, resume: resume, build: .current)
        }
        let printer = json ? EventPrinter.json : EventPrinter.human(terminal: isatty(1) == 1)
        do {
            _ = try trainer.run { printer.print($0) }
            if checkpointDir != nil {
                // On stderr: what the background writer cost, without changing the events on stdout.
                let (written, superseded) = trainer.checkpointStatistics
                FileHandleWriter.write(
                    "checkpoints: \(written) written, \(superseded) due ones replaced by a newer one before their "
                        + "write began\n", fd: 2)
            }
        } catch {
            if json { printer.print(error.event) }
            throw CLIError.fail(error.description, code: error.kind == .diverged ? 3 : 1)
        }
    }
}
