import Foundation
import ZIPFoundation

/// NumPy `.npy` and `.npz` files written byte for byte as NumPy writes them, for tests that build their own data
/// files (the data layer's tests, and end-to-end sweeps on token and regression files).
public enum NPZWriter {
    /// A version 1.0 `.npy` file with the header padded to 64 bytes, as NumPy writes it.
    public static func npy(descr: String, shape: [Int], payload: [UInt8], fortranOrder: Bool = false) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header =
            "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8)
            + payload
    }

    public static func npy(_ values: [Float], shape: [Int]) -> [UInt8] {
        npy(descr: "<f4", shape: shape, payload: values.flatMap { bytes(of: $0.bitPattern.littleEndian) })
    }

    public static func npy(_ values: [Int64], shape: [Int]) -> [UInt8] {
        npy(descr: "<i8", shape: shape, payload: values.flatMap { bytes(of: $0.littleEndian) })
    }

    public static func npy(_ values: [UInt8], shape: [Int]) -> [UInt8] {
        npy(descr: "|u1", shape: shape, payload: values)
    }

    /// A zip of `members` (name → bytes) written with ZIPFoundation, each stored or deflated.
    public static func npz(at path: String, _ members: [(String, [UInt8])], compressed: Bool) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, bytes) in members {
            let data = Data(bytes)
            try archive.addEntry(
                with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: compressed ? .deflate : .none
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    private static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}
