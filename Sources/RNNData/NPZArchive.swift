import Foundation
import ZIPFoundation

/// A NumPy `.npz` file: a zip archive (stored or deflated members) of `.npy` files, read with ZIPFoundation.
struct NPZArchive {
    let path: String
    private let archive: Archive

    /// Opens the archive at `path` for reading.
    init(path: String) throws(DataError) {
        guard FileBytes.isFile(path) else {
            throw .unreadableFile(path: path, reason: "no such file; give the path of an .npz file")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .badArchive(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// The array names in the archive (member names without `.npy`), in archive order.
    var arrayNames: [String] {
        archive.map { $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : $0.path }
    }

    /// The array `name` (member `name.npy`), or nil when the archive has no such member.
    func array(_ name: String) throws(DataError) -> NPYArray? {
        guard let entry = archive[name + ".npy"] ?? archive[name] else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(clamping: entry.uncompressedSize))
        do {
            _ = try archive.extract(entry) { chunk in bytes.append(contentsOf: chunk) }
        } catch {
            throw .badArchive(path: path, reason: "member \(entry.path) cannot be extracted (\(error))")
        }
        return try NPYArray(bytes: bytes, path: path, member: name)
    }

    /// The array `name`; throws a message listing the archive's arrays when it is missing.
    func requiredArray(_ name: String) throws(DataError) -> NPYArray {
        guard let array = try array(name) else {
            throw .missingMember(path: path, member: name, present: arrayNames)
        }
        return array
    }
}
