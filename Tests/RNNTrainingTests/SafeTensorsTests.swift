import Foundation
import Testing

@testable import RNNTraining

@Suite("safetensors")
struct SafeTensorsTests {
    @Test func roundTripKeepsTensorsAndMetadata() throws {
        let tensors = [
            SafeTensors.Tensor(name: "lstm/kernel", shape: [2, 3], values: [1, -2, 3.5, .pi, -0, 1e-30]),
            SafeTensors.Tensor(name: "dense/bias", shape: [3], values: [0.25, .infinity, -7]),
        ]
        let data = SafeTensors.encode(tensors, metadata: ["epoch": "3", "note": "a \"quoted\" value"])
        let decoded = try SafeTensors.decode(data)
        #expect(decoded.tensors == tensors)
        #expect(decoded.metadata == ["epoch": "3", "note": "a \"quoted\" value"])
    }

    /// The layout the format specifies: u64 little-endian header size, JSON header padded with spaces to a multiple
    /// of 8, F32 entries with shape and contiguous data_offsets, then raw little-endian floats.
    @Test func headerIsWhatTheFormatSpecifies() throws {
        let tensors = [
            SafeTensors.Tensor(name: "a", shape: [2], values: [1, 2]),
            SafeTensors.Tensor(name: "b", shape: [1, 3], values: [3, 4, 5]),
        ]
        let data = SafeTensors.encode(tensors, metadata: ["format": "x"])
        let n = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        #expect(n % 8 == 0)
        #expect(data.count == 8 + n + 5 * 4)
        let header = try #require(
            try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as? [String: Any])
        #expect(header["__metadata__"] as? [String: String] == ["format": "x"])
        let a = try #require(header["a"] as? [String: Any])
        #expect(a["dtype"] as? String == "F32")
        #expect(a["shape"] as? [Int] == [2])
        #expect(a["data_offsets"] as? [Int] == [0, 8])
        let b = try #require(header["b"] as? [String: Any])
        #expect(b["shape"] as? [Int] == [1, 3])
        #expect(b["data_offsets"] as? [Int] == [8, 20])
        // Header padding is spaces; data are little-endian IEEE floats.
        #expect(
            String(decoding: data.subdata(in: 8..<(8 + n)), as: UTF8.self).last.map { $0 == "}" || $0 == " " } == true)
        let thirdFloat = data.subdata(in: (8 + n + 8)..<(8 + n + 12)).withUnsafeBytes {
            Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)))
        }
        #expect(thirdFloat == 3)
    }

    @Test func truncatedOrCorruptFilesAreRejected() {
        let data = SafeTensors.encode([SafeTensors.Tensor(name: "a", shape: [4], values: [1, 2, 3, 4])], metadata: [:])
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(data.prefix(data.count - 4)) }
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(Data([1, 2, 3])) }
        var garbage = data
        garbage[9] = 0x7B  // breaks the JSON
        garbage[10] = 0x7B
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(garbage) }
    }
}
