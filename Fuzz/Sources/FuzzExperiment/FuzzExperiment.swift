import CFuzzerDriver
import RNNSweep

/// Experiment files: any bytes as YAML through `ExperimentFile.parse`. Every outcome but a typed
/// `ExperimentError` or an `Experiment` is a bug; a trap or a sanitizer report ends the run with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperiment(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    // A small trial limit keeps each run fast; the limit's own check is what is exercised, not a 10,000-trial grid.
    _ = try? ExperimentFile.parse(yaml: text, path: "fuzz.yaml", maxTrials: 64)
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzExperiment_main")
public func fuzzExperimentMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
