import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training and inference steps on synthetic data (use a release build: make build).",
        discussion: ParameterArguments.help(groups: [.model]))

    @Option(help: "Batch size.") var batchSize = 128
    @Option(help: "Compute threads.") var threads = 1
    @Option(help: "Timed batches.") var batches = 50
    @Option(help: "Warm-up batches.") var warmup = 5
    @Option(help: "Timesteps per sequence.") var timesteps = 28
    @Option(help: "Features per timestep.") var features = 28
    @Flag(help: "One JSON line (the fields of Benchmarks/*_bench.py).") var json = false
    @OptionGroup var parameters: ParameterArguments

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if batches < 1 { throw ValidationError("--batches must be at least 1") }
        if warmup < 0 { throw ValidationError("--warmup must be 0 or more") }
    }

    func run() throws {
        let config = try CLIError.wrap { try TrainingConfig(parameters: try parameters.parameters(groups: [.model])) }
        let architecture = try CLIError.wrap {
            try config.model(shape: InputShape(timesteps: timesteps, features: features, outputs: 10))
        }
        let p = config.parameters
        let r = try CLIError.wrap {
            try EngineBenchmark.run(
                architecture: architecture, name: p.value("cell")?.stringValue ?? p.string(ParameterSchema.network),
                units: p.int("units"), batchSize: batchSize, batches: batches, warmup: warmup, threads: threads)
        }
        if json {
            var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as! [String: Any]
            object["framework"] = "rnnsweep (\(EngineBenchmark.engineDescription))"
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            Output.print(String(decoding: data, as: UTF8.self))
            return
        }
        let (n, k) = architecture.referenceGEMM(batch: batchSize)
        Output.print(
            "\(type(of: architecture).label(options: p.values)) \(r.units) units, batch \(r.batchSize), "
                + "\(r.threads) thread(s), \(EngineBenchmark.engineDescription)")
        Output.print(
            String(
                format: "train: %8.0f samples/s  %7.2f ms/batch  %6.1f model GFLOP/s (%.0f%% of sgemm)",
                r.trainSamplesPerSecond, r.trainMillisecondsPerBatch, r.trainModelGFLOPS,
                100 * r.trainModelGFLOPS / r.sgemmGFLOPS))
        Output.print(
            String(format: "eval:  %8.0f samples/s  %7.2f ms/batch", r.evalSamplesPerSecond, r.evalMillisecondsPerBatch)
        )
        Output.print(
            String(
                format: "sgemm [%d×%d]·[%d×%d]: %.1f GFLOP/s", r.batchSize, k, k, n, r.sgemmGFLOPS))
    }
}
