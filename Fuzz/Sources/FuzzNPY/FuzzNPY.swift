import CFuzzerDriver
import Foundation

@testable import RNNData

private let directory: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-fuzz-npy-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// NPY and NPZ: an input that starts like a zip ("PK") is written as an `.npz` and loaded as the `npz` dataset (values
/// with class labels, token ids with a small vocabulary, regression targets) and as Keras's `mnist.npz`; any other
/// input is parsed as one `.npy` file and read as values, as labels and as real numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    if bytes.starts(with: [0x50, 0x4B]) {
        let path = directory + "/data.npz"
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
        _ = try? DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path), environment: [:])
        _ = try? DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path, input: .tokens), environment: [:])
        _ = try? DatasetLoader.load(
            DatasetSpec(name: "npz", dataDir: path, input: .tokens, vocabularySize: 3), environment: [:])
        _ = try? DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path, task: .regression), environment: [:])
        _ = try? DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: path), environment: [:])
    } else if let array = try? NPYArray(bytes: bytes, path: "fuzz.npz", member: "x") {
        _ = try? array.sequenceStorage()
        _ = try? array.labelValues()
        _ = try? array.realValues()
    }
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzNPY_main")
public func fuzzNPYMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
