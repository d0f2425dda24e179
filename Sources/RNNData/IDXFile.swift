/// An unsigned-byte IDX file (the MNIST file format): big-endian header, then the payload row-major.
///
/// Images have magic 0x00000803 and dimensions [N, rows, columns]; labels have 0x00000801 and [N].
/// Files may be gzip-compressed; they are decompressed in-process.
public struct IDXFile: Sendable {
    /// The file the data came from.
    public let path: String
    /// The dimensions from the header, outermost first.
    public let dimensions: [Int]
    /// The payload, `dimensions.reduce(1, *)` bytes.
    public let bytes: [UInt8]

    /// Reads and validates the IDX file at `path`, which must have `dimensionCount` dimensions.
    public init(path: String, dimensionCount: Int) throws(DataError) {
        var data = try FileBytes.read(path)
        guard data.count >= 4 else {
            throw .badIDX(path: path, reason: "only \(data.count) bytes, too short for the 4-byte magic number")
        }
        let expectedMagic = 0x0800 | dimensionCount
        let magic = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3])
        guard magic == expectedMagic else {
            let found = "0x" + String(magic, radix: 16).leftPadded(to: 8)
            let wanted = "0x" + String(expectedMagic, radix: 16).leftPadded(to: 8)
            throw .badIDX(
                path: path,
                reason: "magic number is \(found), expected \(wanted) (unsigned bytes, \(dimensionCount)-D)")
        }
        let headerLength = 4 + 4 * dimensionCount
        guard data.count >= headerLength else {
            throw .badIDX(path: path, reason: "header cut short: \(data.count) of \(headerLength) bytes")
        }
        var dimensions: [Int] = []
        for d in 0..<dimensionCount {
            let at = 4 + 4 * d
            dimensions.append(
                Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]))
        }
        // Checked: three 32-bit dimensions can multiply past Int.max.
        var expected = 1
        for size in dimensions {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw .badIDX(path: path, reason: "dimensions \(dimensions) describe more bytes than any file holds")
            }
            expected = product
        }
        let actual = data.count - headerLength
        guard actual == expected else {
            throw .wrongPayloadSize(path: path, expected: expected, actual: actual)
        }
        data.removeFirst(headerLength)
        self.path = path
        self.dimensions = dimensions
        self.bytes = data
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
