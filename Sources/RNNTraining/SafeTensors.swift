import Foundation

/// The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
/// header `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {str: str}}`
/// padded with spaces to a multiple of 8, then the tensors' bytes back to back (offsets relative to the data start).
/// Loads directly with Python's `safetensors.numpy.load_file` or `safetensors.torch.load_file`.
public enum SafeTensors {
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            precondition(
                shape.reduce(1, *) == values.count, "\(name): shape \(shape) does not match \(values.count) values")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public struct FormatError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Serialises tensors (in the given order) and string metadata.
    public static func encode(_ tensors: [Tensor], metadata: [String: String]) -> Data {
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for t in tensors {
            t.values.withUnsafeBufferPointer { buffer in
                // Little-endian on every platform Swift runs on today; asserted so a big-endian port notices.
                assert(1.littleEndian == 1)
                out.append(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self),
                        count: buffer.count * 4))
            }
        }
        return out
    }

    /// Parses a safetensors file, validating the header against the format's rules.
    public static func decode(_ data: Data) throws(FormatError) -> (tensors: [Tensor], metadata: [String: String]) {
        guard data.count >= 8 else { throw FormatError(reason: "file is \(data.count) bytes; too short for a header") }
        let n = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard n > 0, 8 + n <= data.count else {
            throw FormatError(reason: "header length \(n) does not fit in a \(data.count)-byte file (truncated?)")
        }
        let headerData = data.subdata(in: 8..<(8 + n))
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw FormatError(reason: "header is not a JSON object")
        }
        let body = data.subdata(in: (8 + n)..<data.count)
        var metadata: [String: String] = [:]
        var tensors: [(Int, Tensor)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                metadata = entry as? [String: String] ?? [:]
                continue
            }
            guard let info = entry as? [String: Any], info["dtype"] as? String == "F32",
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw FormatError(reason: "tensor '\(name)' has a malformed entry (only F32 tensors are read)") }
            let (begin, end) = (offsets[0], offsets[1])
            let count = shape.reduce(1, *)
            guard begin >= 0, end <= body.count, end - begin == count * 4 else {
                throw FormatError(
                    reason: "tensor '\(name)' offsets \(begin)..<\(end) do not match its shape or the file size")
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in body.copyBytes(to: dst.bindMemory(to: UInt8.self), from: begin..<end)
            }
            tensors.append((begin, Tensor(name: name, shape: shape, values: values)))
        }
        return (tensors.sorted { $0.0 < $1.0 }.map(\.1), metadata)
    }
}
