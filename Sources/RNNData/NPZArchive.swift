import Foundation
import ZIPFoundation

/// A NumPy `.npz` file: a zip archive (stored or deflated members) of `.npy` files, read with ZIPFoundation.
struct NPZArchive {
    let path: String
    private let archive: Archive

    /// Where the zip format allows the end-of-central-directory record: within the last 22 bytes (the record)
    /// plus 65,535 (the longest archive comment).
    static let endRecordSearchLength = 22 + 0xFFFF

    /// Opens the archive at `path` for reading.
    init(path: String) throws(DataError) {
        guard FileBytes.isFile(path) else {
            throw .unreadableFile(path: path, reason: "no such file; give the path of an .npz file")
        }
        // ZIPFoundation scans backwards through the WHOLE file for the end record (~50 minutes for a 50 GB sparse
        // file); look for it only where the format allows it, so any other file fails at once.
        let (tail, size) = try FileBytes.tail(path, count: Self.endRecordSearchLength)
        guard Self.hasEndRecord(tail) else {
            throw .badArchive(
                path: path,
                reason: "no zip end-of-central-directory record in its last \(Self.endRecordSearchLength) bytes "
                    + "(\(size) bytes in all), so it is not a zip file")
        }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .badArchive(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// True when `tail` (a file's last bytes) holds the signature 50 4B 05 06 with a whole 22-byte record after it.
    static func hasEndRecord(_ tail: [UInt8]) -> Bool {
        guard tail.count >= 22 else { return false }
        for start in stride(from: tail.count - 22, through: 0, by: -1)
        where tail[start] == 0x50 && tail[start + 1] == 0x4B && tail[start + 2] == 0x05 && tail[start + 3] == 0x06 {
            return true
        }
        return false
    }

    /// The array names in the archive (member names without `.npy`), in archive order.
    var arrayNames: [String] {
        archive.map { $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : $0.path }
    }

    /// The array `name` (member `name.npy`), or nil when the archive has no such member.
    func array(_ name: String) throws(DataError) -> NPYArray? {
        guard let entry = archive[name + ".npy"] ?? archive[name] else { return nil }
        // The sizes come from the archive and may be anything: deflate expands at most ~1032:1, and stored data
        // not at all, so a larger claim is a damaged entry, refused before any allocation.
        let declared = entry.uncompressedSize
        let ratio: UInt64 = entry.isCompressed ? 1032 : 1
        let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: ratio)
        guard !overflow, declared <= max(bound, 1024), declared <= UInt64(FileBytes.maximumSize) else {
            throw .badArchive(
                path: path,
                reason:
                    "member \(entry.path) claims \(declared) bytes from \(entry.compressedSize) stored ones; corrupt")
        }
        var bytes: [UInt8] = []
        // The declared size is still only a claim until the data bears it out: reserve at most 64 MiB on its word
        // (more than Keras's 47 MB x_train), and let the array grow with what the member really yields.
        bytes.reserveCapacity(Int(min(declared, 64 << 20)))
        do {
            _ = try archive.extract(entry) { chunk in
                // Never more than the entry declares (and the CRC is then checked over exactly that much).
                guard UInt64(bytes.count + chunk.count) <= declared else { throw Overrun() }
                bytes.append(contentsOf: chunk)
            }
        } catch is Overrun {
            throw .badArchive(
                path: path, reason: "member \(entry.path) holds more than the \(declared) bytes it declares")
        } catch {
            throw .badArchive(path: path, reason: "member \(entry.path) cannot be extracted (\(error))")
        }
        guard UInt64(bytes.count) == declared else {
            throw .badArchive(
                path: path, reason: "member \(entry.path) holds \(bytes.count) bytes but declares \(declared)")
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

/// Thrown from the extraction consumer when a member yields more bytes than it declares.
private struct Overrun: Error {}
