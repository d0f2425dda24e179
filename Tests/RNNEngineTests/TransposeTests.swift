import Testing

@testable import RNNEngine

/// `Elementwise.transpose` (C, 8 × 8 AVX blocks in 32-row bands, scalar edges) against the definition, at shapes that
/// hit every part: whole blocks, ragged right and bottom edges, a band shorter than 32 rows, and a tiny matrix.
@Suite("Transpose")
struct TransposeTests {
    @Test(arguments: [[256, 768], [37, 45], [8, 8], [3, 5], [41, 16], [64, 13]])
    func isTheTranspose(shape: [Int]) {
        let (rows, columns) = (shape[0], shape[1])
        let a = (0..<(rows * columns)).map { Float($0) + 0.25 }
        var out = [Float](repeating: -1, count: rows * columns)
        out.withUnsafeMutableBufferPointer {
            Elementwise.transpose(a, rows: rows, columns: columns, into: $0.baseAddress!)
        }
        var wrong: [String] = []
        for r in 0..<rows {
            for c in 0..<columns where out[c * rows + r] != a[r * columns + c] { wrong.append("(\(r), \(c))") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, first \(wrong.prefix(3))")
    }
}
