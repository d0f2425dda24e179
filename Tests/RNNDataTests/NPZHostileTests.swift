import Foundation
import RNNData
import RNNTestSupport
import SystemZlib
import Testing

/// Zip archives whose records lie: refused with the archive named, before the claimed sizes are allocated.
@Suite struct NPZHostileTests {
    /// A zip with one stored member whose central directory claims `claimedSize` uncompressed bytes.
    static func zip(member name: String, data: [UInt8], claimedSize: UInt32) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xff) } }
        let crc = data.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        let nameBytes = Array(name.utf8)
        let size = UInt32(data.count)
        let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc)
        var out = le32(0x0403_4b50) + common + le32(size) + le32(size) + le16(nameBytes.count) + le16(0) + nameBytes
        out += data
        let directoryOffset = UInt32(out.count)
        let directory =
            le32(0x0201_4b50) + le16(20) + common + le32(size) + le32(claimedSize) + le16(nameBytes.count) + le16(0)
            + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + nameBytes
        out += directory
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(directory.count))
        out += le32(directoryOffset) + le16(0)
        return out
    }

    func loadError(_ bytes: [UInt8]) throws -> (DataError?, String) {
        let directory = try TempDirectory()
        let path = try directory.write(bytes, to: "data.npz")
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(DatasetSpec(name: "npz", dataDir: path))
        }
        return (error, path)
    }

    @Test func aMemberClaimingGigabytesFromAFewStoredBytesIsRefused() throws {
        let npy = NPZWriter.npy(NPZTests.x(2), shape: [2, 3, 2])
        let (error, path) = try loadError(Self.zip(member: "x_train.npy", data: npy, claimedSize: 0x8000_0000))
        guard case .badArchive(let reported, let reason)? = error else {
            Issue.record("expected an archive error, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(reason == "member x_train.npy claims 2147483648 bytes from \(npy.count) stored ones; corrupt")
    }

    @Test func aMemberDeclaringLessThanItStoresIsCaught() throws {
        // ZIPFoundation hands over the declared 8 bytes fewer; the .npy size check then names the array.
        let npy = NPZWriter.npy(NPZTests.x(2), shape: [2, 3, 2])
        let (error, path) = try loadError(
            Self.zip(member: "x_train.npy", data: npy, claimedSize: UInt32(npy.count - 8)))
        #expect(error == .wrongPayloadSize(path: "\(path) (array 'x_train')", expected: 48, actual: 40))
    }

    @Test func theWriterAboveMakesAZipTheLoaderReads() throws {
        // Guards the two tests above: with honest sizes, the same bytes are a readable archive.
        let npy = NPZWriter.npy(NPZTests.x(2), shape: [2, 3, 2])
        let (error, path) = try loadError(Self.zip(member: "x_train.npy", data: npy, claimedSize: UInt32(npy.count)))
        #expect(error == .missingMember(path: path, member: "y_train", present: ["x_train"]))
    }
}
