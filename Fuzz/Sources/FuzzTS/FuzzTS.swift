import CFuzzerDriver
import Foundation

@testable import RNNData

/// A valid TEST file per task, beside which the input is the TRAIN file: inputs whose header matches it (two
/// dimensions and labels 1 … 9, or univariate regression) reach padding and normalization; others stop at the check
/// that the two files agree, after the whole TRAIN file is parsed.
private let tests: [(spec: DatasetSpec, test: String)] = [
    (
        DatasetSpec(name: "ts", task: .classification),
        "@problemName X\n@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true 1 2 3 4 5 6 7 8 9\n"
            + "@data\n1.5,2:-3,4e-1:2\n7:?:9\n"
    ),
    (
        DatasetSpec(name: "ts", task: .regression),
        "@problemName X\n@univariate true\n@equalLength false\n@targetLabel true\n@data\n1,2,3:0.5\n4:-1e3\n"
    ),
]

/// One folder per task holding the fixed `X_TEST.ts` (the input is written as its `X_TRAIN.ts`), as a spec whose
/// `data_dir` is that folder.
private let specs: [DatasetSpec] = tests.enumerated().map { index, pair in
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-fuzz-ts-\(getpid())-\(index)")
        .path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try! Data(pair.test.utf8).write(to: URL(fileURLWithPath: path + "/X_TEST.ts"))
    var spec = pair.spec
    spec.dataDir = path
    return spec
}

/// `.ts` files: the input is `X_TRAIN.ts` beside a valid `X_TEST.ts`, loaded by `TSDataset` (the folder form of
/// `data_dir`) for classification and for regression, with missing values refused and read as 0, and once more with
/// channel normalization.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTS(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Data(UnsafeRawBufferPointer(start: start, count: count))
    for base in specs {
        try! bytes.write(to: URL(fileURLWithPath: (base.dataDir ?? "") + "/X_TRAIN.ts"))
        for missing in MissingValues.allCases {
            var spec = base
            spec.missing = missing
            _ = try? TSDataset.load(spec)
        }
        var spec = base
        spec.missing = .zero
        spec.normalize = .channel
        _ = try? TSDataset.load(spec)
    }
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzTS_main")
public func fuzzTSMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
