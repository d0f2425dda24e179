import Foundation
import RNNData
import Testing

@Suite struct DatasetSpecTests {
    @Test func omittedKeysTakeTheirDefaults() throws {
        let spec = try JSONDecoder().decode(DatasetSpec.self, from: Data(#"{"name": "parity"}"#.utf8))
        #expect(spec == DatasetSpec(name: "parity"))
        #expect(spec.view == .rows && spec.validationSplit == 0 && spec.sequenceLength == 20)
        #expect(spec.samples == 4000 && spec.seed == 1 && spec.limit == nil && spec.dataDir == nil)
    }

    @Test func snakeCaseKeysDecodeAndRoundTrip() throws {
        let json = #"""
            {"name": "mnist", "data_dir": "/data", "view": "columns", "limit": 500, "validation_split": 0.2,
             "sequence_length": 7, "samples": 64, "seed": 18446744073709551615}
            """#
        let spec = try JSONDecoder().decode(DatasetSpec.self, from: Data(json.utf8))
        #expect(
            spec
                == DatasetSpec(
                    name: "mnist", dataDir: "/data", view: .columns, limit: 500, validationSplit: 0.2,
                    sequenceLength: 7,
                    samples: 64, seed: .max))
        let again = try JSONDecoder().decode(DatasetSpec.self, from: JSONEncoder().encode(spec))
        #expect(again == spec)
    }

    @Test func anUnknownViewFailsToDecode() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DatasetSpec.self, from: Data(#"{"name": "mnist", "view": "diagonal"}"#.utf8))
        }
    }

    @Test func validateRejectsImpossibleFields() {
        #expect(throws: Never.self) {
            try DatasetSpec(name: "fashion-mnist", limit: 1, validationSplit: 0.5).validate()
        }
        #expect(throws: DataError.unknownDataset("cifar10")) { try DatasetSpec(name: "cifar10").validate() }
        let limit = #expect(throws: DataError.self) { try DatasetSpec(name: "mnist", limit: 0).validate() }
        #expect(limit?.description == "dataset limit is 0; it must be at least 1 (or omitted for all)")
        let split = #expect(throws: DataError.self) { try DatasetSpec(name: "mnist", validationSplit: -0.1).validate() }
        #expect(split?.description.hasPrefix("dataset validation_split is -0.1") == true)
        let npz = #expect(throws: DataError.self) { try DatasetSpec(name: "npz").validate() }
        #expect(npz?.description.contains("data_dir") == true)
    }
}
