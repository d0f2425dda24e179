import CFuzzerDriver
import Foundation

@testable import RNNData

/// A tiny valid MNIST directory at a fixed path with fixed modification times, so that a cache file written for it
/// (the seed, `Fuzz/Corpus/datacache/`) passes the source check and the fuzzer reaches the payload.
private let sources: String = {
    let path = "/tmp/rnnsweep-fuzz-datacache/mnist"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    func idx(_ dimensions: [Int], _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
        for d in dimensions { bytes += [0, 0, UInt8(d >> 8), UInt8(d & 0xff)] }
        return bytes + payload
    }
    let files: [(String, [UInt8])] = [
        ("train-images-idx3-ubyte", idx([3, 2, 3], Array(0..<18))), ("train-labels-idx1-ubyte", idx([3], [0, 1, 2])),
        ("t10k-images-idx3-ubyte", idx([2, 2, 3], Array(100..<112))), ("t10k-labels-idx1-ubyte", idx([2], [2, 1])),
    ]
    for (name, bytes) in files {
        let file = path + "/" + name
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, file, &times, 0)
    }
    return path
}()

private let input = "/tmp/rnnsweep-fuzz-datacache/input-\(getpid()).data"

/// A source file at a fixed path and time for the token and regression seeds (the cache checks only its size and
/// modification time).
private let plainSource: String = {
    let file = "/tmp/rnnsweep-fuzz-datacache/source.npz"
    try! Data("fixed".utf8).write(to: URL(fileURLWithPath: file))
    var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
    _ = utimensat(AT_FDCWD, file, &times, 0)
    return file
}()

/// The three seeds: MNIST bytes with labels, token ids with labels, class names, a vocabulary and an `oov_id`, floats
/// with regression targets.
private func seeds() -> [(String, LoadedData)] {
    let mnist = try! MNIST.load(dataDir: sources, view: .rows, environment: [:])
    let tokens = SequenceSet(timesteps: 3, features: 1, labels: [0, 1], storage: .tokens([1, 2, 0, 3, 0, 0]))
    let tokenData = LoadedData(
        train: tokens, validation: nil, test: tokens, classes: 2, oovToken: 1, sources: [plainSource],
        classNames: ["neg", "pos"], vocabulary: ["", "[UNK]", "film", "good"])
    let real = SequenceSet(
        timesteps: 2, features: 2, targets: .values([0.5, -1, 2, 3], width: 2),
        storage: .floats([1, 2, 3, 4, 5, 6, 7, 8]))
    let realData = LoadedData(train: real, validation: real, test: real, classes: 0, sources: [plainSource])
    return [("", mnist), ("-tokens", tokenData), ("-regression", realData)]
}

/// Any bytes as a decoded-data cache file through `DecodedDataCache.decode`, which must throw or give valid splits,
/// never trap. With RNNSWEEP_FUZZ_SEED=FILE set, the first call writes the valid caches of the seeds above to FILE,
/// FILE-tokens and FILE-regression.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataCache(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    if let seed = ProcessInfo.processInfo.environment["RNNSWEEP_FUZZ_SEED"], !FileManager.default.fileExists(atPath: seed)
    {
        for (suffix, data) in seeds() {
            try! Data(try! DecodedDataCache.encode(data)).write(to: URL(fileURLWithPath: seed + suffix))
        }
    }
    _ = sources
    _ = plainSource
    try! Data(UnsafeRawBufferPointer(start: start, count: count)).write(to: URL(fileURLWithPath: input))
    if let data = try? DecodedDataCache.decode(file: input) {
        // What decodes must be usable: splits the rest of the loader can take.
        precondition(data.train.count > 0 && data.test.features == data.train.features)
    }
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzDataCache_main")
public func fuzzDataCacheMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
