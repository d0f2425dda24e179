import Foundation

/// The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
/// header `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {str: str}}`
/// padded with spaces to a multiple of 8, then the tensors' bytes back to back (offsets relative to the data start).
/// Loads directly with Python's `safetensors.numpy.load_file` or `safetensors.torch.load_file`.
public enum SafeTensors {
    /// The largest header accepted, as in the reference implementation (`MAX_HEADER_SIZE`, 100 MB).
    public static let maximumHeaderSize = 100_000_000

    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            precondition(
                elementCount(shape) == values.count, "\(name): shape \(shape) does not match \(values.count) values")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// Why bytes are not a safetensors file this reader accepts; `reason` says what is wrong (the caller names the
    /// file).
    public struct FormatError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The number of elements of `shape`, nil when a dimension is negative or the product overflows `Int`.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Serialises tensors (in the given order) and string metadata.
    public static func encode(_ tensors: [Tensor], metadata: [String: String]) -> Data {
        var header: [String: HeaderEntry] = ["__metadata__": .metadata(metadata)]
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            header[t.name] = .tensor(shape: t.shape, offsets: [offset, offset + bytes])
            offset += bytes
        }
        // JSONEncoder, not JSONSerialization: a checkpoint's header holds its metric history, written after every
        // epoch, and JSONSerialization's sorted keys and escaping cost more than a small model's epoch.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var json = try! encoder.encode(header)
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

    /// One entry of the header: the metadata, or a tensor's place in the data.
    private enum HeaderEntry: Encodable {
        case metadata([String: String])
        case tensor(shape: [Int], offsets: [Int])

        private enum Key: String, CodingKey {
            case dtype, shape, data_offsets
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .metadata(let values):
                var container = encoder.singleValueContainer()
                try container.encode(values)
            case .tensor(let shape, let offsets):
                var container = encoder.container(keyedBy: Key.self)
                try container.encode("F32", forKey: .dtype)
                try container.encode(shape, forKey: .shape)
                try container.encode(offsets, forKey: .data_offsets)
            }
        }
    }

    /// Parses a safetensors file, validating the header against the format's rules: the header fits in the file,
    /// every entry is an F32 tensor whose offsets match its shape, and the tensors tile the data exactly (no gaps,
    /// no overlaps, nothing after the last). Never traps on malformed input, and allocates no more than `data` holds.
    public static func decode(_ data: Data) throws(FormatError) -> (tensors: [Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> FormatError { FormatError(reason: reason) }
        guard data.count >= 8 else { throw fail("file is \(data.count) bytes; too short for a header") }
        // Compared as UInt64 so that a length with its top bit set, or near UInt64.max, cannot overflow.
        let declared = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared > 0, declared <= UInt64(data.count - 8) else {
            throw fail(
                "header length \(declared) does not fit in a \(data.count)-byte file (truncated or not safetensors?)")
        }
        guard declared <= UInt64(maximumHeaderSize) else {
            throw fail("header length \(declared) exceeds the format's limit of \(maximumHeaderSize) bytes")
        }
        let n = Int(declared)
        let headerData = data.dropFirst(8).prefix(n)
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let body = data.dropFirst(8 + n)
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], range: Range<Int>)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let strings = entry as? [String: String] else {
                    throw fail("'__metadata__' must map strings to strings")
                }
                metadata = strings
                continue
            }
            guard let info = entry as? [String: Any], info["dtype"] as? String == "F32",
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("tensor '\(name)' has a malformed entry (only F32 tensors are read)") }
            guard let count = elementCount(shape) else {
                throw fail("tensor '\(name)' has shape \(shape); sizes must be non-negative and their product finite")
            }
            let (begin, end) = (offsets[0], offsets[1])
            let (bytes, overflow) = count.multipliedReportingOverflow(by: 4)
            guard !overflow, begin >= 0, end >= begin, end <= body.count, end - begin == bytes else {
                throw fail(
                    "tensor '\(name)' offsets [\(begin), \(end)] do not match its shape \(shape) (\(count) floats) "
                        + "or the \(body.count) bytes of data")
            }
            entries.append((name, shape, begin..<end))
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        // The format requires the tensors to cover the data buffer exactly; anything else is a damaged file.
        var covered = 0
        for entry in entries {
            guard entry.range.lowerBound == covered else {
                let problem = entry.range.lowerBound < covered ? "overlaps the tensor before it" : "leaves a gap"
                throw fail("tensor '\(entry.name)' at bytes \(entry.range) \(problem)")
            }
            covered = entry.range.upperBound
        }
        guard covered == body.count else {
            throw fail("the tensors cover \(covered) of the \(body.count) bytes of data (trailing bytes)")
        }
        let tensors = entries.map { entry in
            var values = [Float](repeating: 0, count: entry.range.count / 4)
            values.withUnsafeMutableBytes { destination in
                let start = body.startIndex + entry.range.lowerBound
                _ = body[start..<(start + entry.range.count)].copyBytes(to: destination)
            }
            return Tensor(name: entry.name, shape: entry.shape, values: values)
        }
        return (tensors, metadata)
    }
}
