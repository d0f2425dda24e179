import Foundation
import Testing

@testable import RNNData

/// Every input that trapped a decoder is kept in `Fixtures/fuzz/<target>/` and must now give a typed `DataError`:
/// `crash-*` found by `Scripts/fuzz.sh`, `known-*` found by reading the code (each checked to trap the old code),
/// `hostile-*` probes that never trapped. Each file is fed exactly as its fuzz target feeds
/// it (see `Fuzz/Sources/Fuzz*`), so a new crash file can be dropped in as it is.
@Suite struct FuzzRegressionTests {
    static func fixtures(_ target: String) throws -> [URL] {
        let directory = try #require(
            Bundle.module.url(forResource: "fuzz/\(target)", withExtension: nil, subdirectory: "Fixtures"))
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    /// `.npy` inputs: `NPYArray` on the bytes, then as values and as labels. NPZ inputs (starting "PK") are loaded as
    /// the `npz` and the `mnist` dataset.
    @Test func npyAndNPZInputsAreTypedErrors() throws {
        let files = try Self.fixtures("npy")
        #expect(files.count >= 3)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            if bytes.starts(with: [0x50, 0x4B]) {
                for name in ["npz", "mnist"] {
                    #expect(throws: DataError.self, "\(file.lastPathComponent) as \(name)") {
                        try DatasetLoader.load(DatasetSpec(name: name, dataDir: file.path), environment: [:])
                    }
                }
                continue
            }
            #expect(throws: DataError.self, "\(file.lastPathComponent)") {
                let array = try NPYArray(bytes: bytes, path: file.path, member: "x")
                // Headers that parse must still fail as values and as labels.
                _ = try array.sequenceStorage()
                _ = try array.labelValues()
            }
        }
    }

    /// IDX inputs: the first byte picks which of the four MNIST files the rest replaces, as in `FuzzIDX`.
    @Test func idxInputsAreTypedErrors() throws {
        let files = try Self.fixtures("idx")
        #expect(files.count >= 1)
        let fixture = MNISTFixture(trainCount: 3, testCount: 2)
        let names = [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
        ]
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            guard let slot = bytes.first else { continue }
            let directory = try TempDirectory()
            try fixture.write(into: directory, gzip: false)
            let path = try directory.write(Array(bytes.dropFirst()), to: names[Int(slot % 4)])
            for view in SequenceView.allCases {
                let error = #expect(throws: DataError.self, "\(file.lastPathComponent), \(view)") {
                    try DatasetLoader.load(
                        DatasetSpec(name: "mnist", dataDir: directory.path, view: view), environment: [:])
                }
                #expect(
                    error?.description.contains(path) == true, "\(file.lastPathComponent): \(String(describing: error))"
                )
            }
        }
    }
}
