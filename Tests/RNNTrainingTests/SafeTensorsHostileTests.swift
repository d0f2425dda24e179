import Foundation
import Testing

@testable import RNNTraining

/// Bytes that trapped `SafeTensors.decode` (a worker died with SIGILL) must now be typed errors.
@Suite("safetensors, hostile input")
struct SafeTensorsHostileTests {
    /// A file: header length, then the header text, then `body` bytes.
    static func file(length: UInt64? = nil, header: String, body: [UInt8] = []) -> Data {
        var data = Data()
        let headerBytes = Array(header.utf8)
        withUnsafeBytes(of: (length ?? UInt64(headerBytes.count)).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        data.append(contentsOf: body)
        return data
    }

    func reason(_ data: Data) -> String? {
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(data) }?.reason
    }

    @Test func headerLengthWithItsTopBitSetIsRejected() {
        let text = reason(Self.file(length: 0x8000_0000_0000_0010, header: "{}"))
        #expect(text?.contains("does not fit") == true)
    }

    @Test func headerLengthNearIntMaxDoesNotOverflow() {
        #expect(reason(Self.file(length: 0x7fff_ffff_ffff_ffff, header: "{}"))?.contains("does not fit") == true)
        #expect(reason(Self.file(length: UInt64.max, header: "{}")) != nil)
    }

    @Test func negativeShapeWithBackwardsOffsetsIsRejected() {
        let header = #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[4,0]}}"#
        let text = reason(Self.file(header: header, body: [0, 0, 0, 0]))
        #expect(text?.contains("tensor 'a'") == true)
    }

    @Test func shapeWhoseProductOverflowsIsRejected() {
        let header = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
        #expect(reason(Self.file(header: header))?.contains("tensor 'a' has shape") == true)
        // 2^62 elements: the element count fits in an Int, its byte count (× 4) does not.
        let bytes = #"{"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}}"#
        #expect(reason(Self.file(header: bytes)) != nil)
    }

    @Test func hugeClaimedTensorDoesNotAllocate() {
        // 10^12 floats claimed, four bytes present: refused by the offsets check before any allocation.
        let header = #"{"a":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}}"#
        #expect(reason(Self.file(header: header, body: [0, 0, 0, 0])) != nil)
    }

    @Test func overlappingGappedOrTrailingDataIsRejected() {
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        let overlap = #"{"a":\#(entry),"b":\#(entry)}"#
        #expect(reason(Self.file(header: overlap, body: [0, 0, 0, 0]))?.contains("overlaps") == true)
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(reason(Self.file(header: gap, body: [UInt8](repeating: 0, count: 8)))?.contains("gap") == true)
        let trailing = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        #expect(
            reason(Self.file(header: trailing, body: [UInt8](repeating: 0, count: 8)))?.contains("trailing") == true)
    }

    @Test func nonStringMetadataIsRejected() {
        #expect(reason(Self.file(header: #"{"__metadata__":{"epoch":3}}"#))?.contains("__metadata__") == true)
    }

    @Test func decodesASliceWhoseIndicesDoNotStartAtZero() throws {
        let data = SafeTensors.encode([SafeTensors.Tensor(name: "a", shape: [2], values: [1, 2])], metadata: [:])
        let slice = (Data([9, 9, 9]) + data).dropFirst(3)
        #expect(try SafeTensors.decode(slice).tensors.first?.values == [1, 2])
    }

    @Test func randomBytesAreRejected() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 7, 8, 9, 64, 4096] {
            let data = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(data) }
        }
    }
}
