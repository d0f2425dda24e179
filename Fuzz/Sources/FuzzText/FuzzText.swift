import CFuzzerDriver
import Foundation

@testable import RNNData

/// A fixed two-class folder corpus whose `test/b/fuzz.txt` each input replaces, and the CSV each input becomes.
private let directory: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-fuzz-text-\(getpid())").path
    let documents = [
        "train/a/1.txt": "A first «document», naïve!", "train/a/2.txt": "second\tdocument\nhere",
        "train/b/1.txt": "b's only document 😀", "test/a/1.txt": "unseen words",
    ]
    for (name, text) in documents {
        let file = path + "/folder/" + name
        try! FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }
    try! FileManager.default.createDirectory(atPath: path + "/folder/test/b", withIntermediateDirectories: true)
    return path
}()

/// Text corpora: the input is written as one CSV with `text`, `label` and `split` columns and loaded, and as one
/// document (`test/b/fuzz.txt`) of a small fixed folder corpus and loaded; both as words and as characters, with and
/// without a vocabulary cap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Data(UnsafeRawBufferPointer(start: start, count: count))
    let csv = directory + "/corpus.csv"
    try! bytes.write(to: URL(fileURLWithPath: csv))
    try! bytes.write(to: URL(fileURLWithPath: directory + "/folder/test/b/fuzz.txt"))
    for path in [csv, directory + "/folder"] {
        for tokens in Tokenization.allCases {
            for vocabularySize in [nil, 4] {
                let spec = DatasetSpec(
                    name: "text", dataDir: path, sequenceLength: 6, input: .tokens, vocabularySize: vocabularySize,
                    tokens: tokens)
                _ = try? TextDataset.load(spec)
            }
        }
    }
    return 0
}

/// The process's entry point under SwiftPM (see `CFuzzerDriver.h`).
@_cdecl("FuzzText_main")
public func fuzzTextMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    rnnsweep_fuzzer_main(argc, argv)
}
