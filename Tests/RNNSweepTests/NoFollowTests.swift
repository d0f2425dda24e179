import Foundation
import RNNCore
import Testing

/// Files and folders created in a sweep's folder never follow a link planted there (``NoFollow``, ``AtomicFile``).
@Suite("No followed links")
struct NoFollowTests {
    @Test func aLinkAtAnAtomicWritesTemporaryNameIsReplacedNotFollowed() throws {
        let dir = try StoreTemporaryDirectory()
        let target = dir.file("target")
        try Data("keep".utf8).write(to: target)
        let path = dir.file("checkpoint.safetensors").path
        try FileManager.default.createSymbolicLink(atPath: path + ".\(getpid()).tmp", withDestinationPath: target.path)
        try AtomicFile.write(Array("new".utf8), to: path, durable: true)
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(!FileManager.default.fileExists(atPath: path + ".\(getpid()).tmp"))
    }

    @Test func aFolderThatIsALinkIsRefusedUnlessAllowed() throws {
        let dir = try StoreTemporaryDirectory()
        let real = dir.file("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        let link = dir.file("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        #expect(throws: NoFollow.Failure.self) { try NoFollow.directory(link.path) }
        #expect(throws: NoFollow.Failure.self) { try NoFollow.checkNotLink(link.path) }
        try NoFollow.directory(link.path, allowingLink: true)
        try NoFollow.checkNotLink(dir.file("absent").path)
        try NoFollow.directory(dir.file("a/b/c").path)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.file("a/b/c").path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
    }

    @Test func openRefusesLinksHardLinksAndFifos() throws {
        let dir = try StoreTemporaryDirectory()
        let target = dir.file("target")
        try Data("keep".utf8).write(to: target)
        let link = dir.file("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(throws: NoFollow.Failure.self) { try NoFollow.open(link.path, flags: O_RDWR | O_CREAT) }
        let hard = dir.file("hard")
        try FileManager.default.linkItem(at: target, to: hard)
        #expect(throws: NoFollow.Failure.self) { try NoFollow.open(hard.path, flags: O_RDWR | O_CREAT) }
        let fifo = dir.file("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        #expect(throws: NoFollow.Failure.self) { try NoFollow.open(fifo.path, flags: O_WRONLY | O_CREAT) }
        let fd = try NoFollow.open(dir.file("new").path, flags: O_WRONLY | O_CREAT)
        #expect(write(fd, "x", 1) == 1)
        close(fd)
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
    }
}
