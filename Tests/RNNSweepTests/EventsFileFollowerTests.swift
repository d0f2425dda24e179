import Foundation
import Testing

@testable import RNNSweep

/// How a Slurm task's events file is followed when someone truncates, replaces or rewrites it (issue 25, item 11),
/// and how the worker's writer follows a replaced file: real files in a temporary folder.
@Suite struct EventsFileFollowerTests {
    let folder: URL
    let events: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "events-follower-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        events = folder.appendingPathComponent("task-0.events")
    }

    func append(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: events)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func texts(_ read: EventsFileFollower.Read?) -> [String] { read?.lines.map(\.text) ?? [] }

    @Test func appendedLinesAreReadOnceAndAHalfLineWaits() throws {
        try Data("\nfirst\nsec".utf8).write(to: events)
        var follower = EventsFileFollower(offset: 0)
        let read = follower.read(events)
        #expect(texts(read) == ["", "first"])
        #expect(read?.startedOver == false)
        #expect(follower.offset == 7)
        try append("ond\n")
        #expect(texts(follower.read(events)) == ["second"])
        #expect(texts(follower.read(events)) == [])
        #expect(follower.offset == 14)
    }

    @Test func aTruncatedFileIsReadFromItsStart() throws {
        try Data("\nlaunched\nstarted\nepoch 1\nepoch 2\n".utf8).write(to: events)
        var follower = EventsFileFollower(offset: 0)
        _ = follower.read(events)
        #expect(truncate(events.path, 0) == 0)
        try append("epoch 3\n")
        let read = follower.read(events)
        #expect(read?.startedOver == true)
        #expect(texts(read) == ["epoch 3"])
        #expect(follower.offset == 8)
    }

    /// Truncated, then written past the old offset before the next look: the size alone cannot tell, the first bytes
    /// do.
    @Test func aTruncatedFileThatGrewPastTheOffsetIsReadFromItsStart() throws {
        try Data("\nlaunched\nepoch 1\n".utf8).write(to: events)
        var follower = EventsFileFollower(offset: 0)
        _ = follower.read(events)
        #expect(truncate(events.path, 0) == 0)
        try append("progress 1\nprogress 2\nepoch 2\n")
        let read = follower.read(events)
        #expect(read?.startedOver == true)
        #expect(texts(read) == ["progress 1", "progress 2", "epoch 2"])
    }

    @Test func aFileReplacedByACopyIsReadFromItsStart() throws {
        try Data("\nlaunched\nepoch 1\n".utf8).write(to: events)
        var follower = EventsFileFollower(offset: 0)
        _ = follower.read(events)
        let copy = folder.appendingPathComponent("copy")
        try Data("\nlaunched\nepoch 1\nepoch 2\n".utf8).write(to: copy)
        #expect(rename(copy.path, events.path) == 0)
        let read = follower.read(events)
        #expect(read?.startedOver == true)
        #expect(texts(read) == ["", "launched", "epoch 1", "epoch 2"])
    }

    /// A coordinator that resumes at a recorded offset knows neither the inode nor the first bytes: a file shorter
    /// than the offset, or one whose byte before it ends no line, is read from its start.
    @Test func aResumedOffsetInsideALineStartsOver() throws {
        try Data("\nlaunched\nepoch 1 with a long line\n".utf8).write(to: events)
        var follower = EventsFileFollower(offset: 13)
        let read = follower.read(events)
        #expect(read?.startedOver == true)
        #expect(texts(read) == ["", "launched", "epoch 1 with a long line"])
    }

    @Test func aMissingFileIsNotReadYet() {
        var follower = EventsFileFollower(offset: 0)
        #expect(follower.read(events) == nil)
    }

    /// The worker's side: after the file is replaced, the next line goes into the new file, which the coordinator
    /// follows by path.
    @Test func theWriterFollowsAReplacedFile() throws {
        let writer = try EventsFileWriter(path: events.path)
        writer.append("one")
        let copy = folder.appendingPathComponent("copy")
        try Data("one\n".utf8).write(to: copy)
        #expect(rename(copy.path, events.path) == 0)
        writer.append("two")
        #expect(try String(contentsOf: events, encoding: .utf8) == "one\ntwo\n")
        #expect(truncate(events.path, 0) == 0)
        writer.append("three")
        #expect(try String(contentsOf: events, encoding: .utf8) == "three\n")
    }
}
