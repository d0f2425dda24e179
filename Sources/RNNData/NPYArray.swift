/// One array of a NumPy `.npy` file (format versions 1, 2 and 3), C order, little-endian payload kept as bytes.
struct NPYArray {
    /// Element types read as sequence values (x arrays).
    static let valueTypes = ["<f4", "<f8", "|u1"]
    /// Element types read as labels (y arrays).
    static let labelTypes = ["|u1", "|i1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8"]

    /// Where the array came from, for messages: the archive path and the member name (without `.npy`).
    let path: String
    let member: String
    /// The dtype normalized to NumPy's little-endian spelling, e.g. `<f4` or `|u1`.
    let dtype: String
    let shape: [Int]
    /// Number of elements, the product of `shape` (checked: it fits in an `Int`).
    let count: Int
    let payload: [UInt8]

    /// Parses a whole `.npy` file held in `bytes`.
    init(bytes: [UInt8], path: String, member: String) throws(DataError) {
        func fail(_ reason: String) -> DataError { .badNPY(path: path, member: member, reason: reason) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"
        guard bytes.count >= 10 && Array(bytes[0..<6]) == magic else { throw fail("missing the \\x93NUMPY magic") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard (1...3).contains(major) else { throw fail("format version \(major).\(bytes[7]) is not 1, 2 or 3") }
        guard bytes.count >= 8 + lengthBytes else { throw fail("header length cut short") }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthBytes
        guard bytes.count >= headerStart + headerLength else { throw fail("header cut short") }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 use latin-1 headers, 3 uses UTF-8; the keys and values we need are ASCII either way.
        let header = String(decoding: headerBytes, as: UTF8.self)
        let parsed: PythonLiteral
        do {
            parsed = try PythonLiteral.parse(header)
        } catch {
            // Quote the start only: a hostile header may be megabytes long.
            let quoted = header.count > 200 ? String(header.prefix(200)) + "…" : header.trimmingSpaces
            throw fail("cannot parse header \(quoted): \(error.reason)")
        }
        guard case .dict(let fields) = parsed else { throw fail("header is not a dict") }
        guard case .string(let descr)? = fields["descr"] else { throw fail("header has no string 'descr'") }
        guard case .bool(let fortranOrder)? = fields["fortran_order"] else {
            throw fail("header has no boolean 'fortran_order'")
        }
        guard case .tuple(let dims)? = fields["shape"] else { throw fail("header has no tuple 'shape'") }
        var shape: [Int] = []
        for dim in dims {
            guard case .int(let size) = dim, size >= 0 else { throw fail("shape \(dims) is not a tuple of sizes") }
            shape.append(size)
        }
        if fortranOrder && shape.count > 1 { throw .fortranOrder(path: path, member: member) }
        let dtype = Self.normalize(descr)
        let payloadStart = headerStart + headerLength
        // Checked products: a header may claim any shape, e.g. (2**40, 2**40), whatever the file holds.
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("shape \(shape) has more elements than any file can hold") }
            count = product
        }
        if let size = Self.itemSize(of: dtype) {
            let (expected, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("shape \(shape) has more elements than any file can hold") }
            let actual = bytes.count - payloadStart
            guard actual == expected else {
                throw .wrongPayloadSize(path: "\(path) (array '\(member)')", expected: expected, actual: actual)
            }
        }
        self.path = path
        self.member = member
        self.dtype = dtype
        self.shape = shape
        self.count = count
        self.payload = Array(bytes[payloadStart...])
    }

    /// The values as sequence storage: `|u1` stays bytes, `<f4` is used as is, `<f8` is rounded to Float.
    func sequenceStorage() throws(DataError) -> SequenceSet.Storage {
        switch dtype {
        case "|u1": return .bytes(payload)
        case "<f4": return .floats(load(Float.self, count: count) { $0 })
        case "<f8": return .floats(load(Double.self, count: count) { Float($0) })
        default:
            throw .unsupportedDType(path: path, member: member, dtype: dtype, supported: Self.valueTypes)
        }
    }

    /// The values as Floats: any float or integer dtype (regression targets).
    func realValues() throws(DataError) -> [Float] {
        switch dtype {
        case "<f4": return load(Float.self, count: count) { $0 }
        case "<f8": return load(Double.self, count: count) { Float($0) }
        default:
            do { return try labelValues().map { Float($0) } } catch {
                throw .unsupportedDType(
                    path: path, member: member, dtype: dtype, supported: ["<f4", "<f8"] + Self.labelTypes)
            }
        }
    }

    /// The values as integer labels: any integer dtype.
    func labelValues() throws(DataError) -> [Int64] {
        switch dtype {
        case "|u1": return payload.map { Int64($0) }
        case "|i1": return payload.map { Int64(Int8(bitPattern: $0)) }
        case "<u2": return load(UInt16.self, count: count) { Int64($0) }
        case "<i2": return load(Int16.self, count: count) { Int64($0) }
        case "<u4": return load(UInt32.self, count: count) { Int64($0) }
        case "<i4": return load(Int32.self, count: count) { Int64($0) }
        case "<u8": return load(UInt64.self, count: count) { Int64(clamping: $0) }
        case "<i8": return load(Int64.self, count: count) { $0 }
        default:
            throw .unsupportedDType(path: path, member: member, dtype: dtype, supported: Self.labelTypes)
        }
    }

    /// Reads `count` little-endian values of type `T` from the payload and maps them.
    private func load<T: FixedWidthInteger, R>(_: T.Type, count: Int, _ transform: (T) -> R) -> [R] {
        payload.withUnsafeBytes { raw in
            (0..<count).map {
                transform(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * T.bitWidth / 8, as: T.self)))
            }
        }
    }

    private func load<T: BinaryFloatingPoint, R>(_: T.Type, count: Int, _ transform: (T) -> R) -> [R] {
        // Every platform Swift targets here is little-endian, like the '<' payloads we accept.
        payload.withUnsafeBytes { raw in
            (0..<count).map { transform(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    /// NumPy spells native or unordered byte order several ways; map them to `<` (or `|` for single bytes).
    static func normalize(_ descr: String) -> String {
        guard let first = descr.first else { return descr }
        let code = String(descr.dropFirst())
        let singleByte = code == "u1" || code == "i1" || code == "b1"
        switch first {
        case "<", "=": return singleByte ? "|" + code : "<" + code
        case "|": return singleByte ? "|" + code : descr
        case ">": return singleByte ? "|" + code : descr
        default: return singleByte ? "|" + descr : descr
        }
    }

    /// Bytes per element of a normalized dtype we read, nil for any other.
    static func itemSize(of dtype: String) -> Int? {
        switch dtype {
        case "|u1", "|i1": 1
        case "<u2", "<i2": 2
        case "<f4", "<u4", "<i4": 4
        case "<f8", "<u8", "<i8": 8
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed())
    }
}
