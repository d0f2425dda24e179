import CFuzzerDriver
import Foundation
import RNNData
import RNNTraining

/// A trainer for the configuration of the seed checkpoints (`Fuzz/Corpus/safetensors`), so inputs near a real
/// checkpoint get past the format checks into the metadata and tensor checks of `Checkpoint.load`.
nonisolated(unsafe) private let trainer: Trainer = {
    let config = try! TrainingConfig(overrides: FuzzCheckpoint.parameters)
    let data = try! DatasetLoader.load(config.dataset)
    return try! Trainer(config: config, data: data)
}()

private let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-fuzz-safetensors-\(getpid())")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

enum FuzzCheckpoint {
    /// The same as `Scripts/fuzz.sh` passes to `rnnsweep train` for the seed checkpoint.
    static let parameters: [String: ParameterValue] = [
        "dataset": .string("sum-sign"), "samples": .int(12), "sequence_length": .int(3), "cell": .string("gru"),
        "units": .int(2), "batch_size": .int(4), "epochs": .int(1), "optimizer": .string("adam"),
    ]
}

/// safetensors: any bytes through `SafeTensors.decode`, then as `checkpoint.safetensors` through `Checkpoint.load`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? SafeTensors.decode(data)
    try! data.write(to: Checkpoint.url(in: directory))
    _ = try? Checkpoint.load(
        from: directory, into: trainer.model, optimizer: trainer.optimizer, parameters: trainer.config.parameters)
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzSafeTensors_main")
public func fuzzSafeTensorsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
