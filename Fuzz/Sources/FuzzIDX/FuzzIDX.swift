import CFuzzerDriver
import Foundation

@testable import RNNData

/// The four files of a tiny valid MNIST directory (3 training and 2 test images of 2×3 pixels).
private let names = [
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
]

private func idx(_ dimensions: [Int], _ payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
    for d in dimensions { bytes += [0, 0, UInt8(d >> 8), UInt8(d & 0xff)] }
    return bytes + payload
}

private let valid: [[UInt8]] = [
    idx([3, 2, 3], Array(0..<18)), idx([3], [0, 1, 2]), idx([2, 2, 3], Array(100..<112)), idx([2], [9, 3]),
]

/// One directory per file position: the other three files are valid, the input replaces this one.
private let directories: [String] = (0..<4).map { slot in
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-fuzz-idx-\(getpid())-\(slot)")
        .path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    for (i, name) in names.enumerated() where i != slot {
        try! Data(valid[i]).write(to: URL(fileURLWithPath: path + "/" + name))
    }
    return path
}

/// IDX and gzip: the input's first byte picks which of the four MNIST files it replaces (the rest of the input is the
/// file, raw or gzip-compressed, detected by content); the directory is then loaded as `mnist` in all three views.
/// Gzip inputs also go straight through `Gzip.decompress`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let raw = UnsafeRawBufferPointer(start: start, count: count)
    let slot = Int(raw[0] % 4)
    let file = [UInt8](raw.dropFirst())
    if Gzip.isGzip(file) { _ = try? Gzip.decompress(file, path: "fuzz.gz") }
    let directory = directories[slot]
    try! Data(file).write(to: URL(fileURLWithPath: directory + "/" + names[slot]))
    for view in SequenceView.allCases {
        _ = try? DatasetLoader.load(DatasetSpec(name: "mnist", dataDir: directory, view: view), environment: [:])
    }
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzIDX_main")
public func fuzzIDXMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
