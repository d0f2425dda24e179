import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

/// Issue 25's store rules, on real files: busy writes wait, holes in completed trials are found and reopened, a
/// truncated file is called damaged, and concurrent openers are serialized by the migration lock.
@Suite("Store reliability")
struct StoreReliabilityTests {
    let dir: StoreTemporaryDirectory
    let store: MetricsStore

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("m.sqlite"))
    }

    /// A completed trial with epochs 1, 2, 4 of 4.
    private func completedWithHole() throws -> (SweepID, String) {
        let sweep = try store.makeSweep(trials: 2)
        for index in 0..<2 {
            let id = storeHexID("t\(index)")
            try store.markStarted(sweep: sweep, trial: id, pid: nil)
            for epoch in 1...4 where index == 1 || epoch != 3 {
                try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: epoch, loss: 1, accuracy: 0.5))
            }
            try store.markCompleted(sweep: sweep, trial: id, testLoss: 1, testAccuracy: 0.5, seconds: 1)
        }
        return (sweep, storeHexID("t0"))
    }

    @Test func holesOfCompletedTrialsAreFound() throws {
        let (sweep, id) = try completedWithHole()
        let holes = try store.epochHoles(sweep: sweep)
        #expect(holes == [EpochHole(trial: id, ordinal: 0, missing: [3])])
        #expect(holes[0].description == "trial #0 \(id): epoch 3 missing — `run` repairs it from its checkpoint")
    }

    @Test func onlyTrialsWithACheckpointAreReopened() throws {
        let (sweep, id) = try completedWithHole()
        #expect(try store.reopenTrialsWithHoles(sweep: sweep) { _ in false }.isEmpty)
        #expect(try store.trials(sweep: sweep).map(\.status) == [.completed, .completed])

        let reopened = try store.reopenTrialsWithHoles(sweep: sweep) { $0 == id }
        #expect(reopened.map(\.trial) == [id])
        let rows = try store.trials(sweep: sweep)
        #expect(rows.map(\.status) == [.interrupted, .completed])
        #expect(rows[0].notes?.contains("reopened to record them again from its checkpoint") == true)
        #expect(try store.epochHoles(sweep: sweep).isEmpty)
    }

    @Test func aBusyWriteWaitsAndThenSucceeds() throws {
        let sweep = try store.makeSweep(trials: 1)
        var calls = 0
        var told = 0
        var retry = BusyRetry()
        retry.firstPause = .milliseconds(1)
        let result = try retry.run(waiting: { _ in told += 1 }) { () throws -> Int in
            calls += 1
            if calls < 4 { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked") }
            try store.markStarted(sweep: sweep, trial: storeHexID("t0"), pid: nil)
            return calls
        }
        #expect(result == 4)
        #expect(told == 1)
    }

    @Test func anotherFailureIsNotRetried() throws {
        var calls = 0
        #expect(throws: DatabaseError.self) {
            try BusyRetry().run { () throws -> Void in
                calls += 1
                throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
            }
        }
        #expect(calls == 1)
    }

    @Test func aBusyWriteGivesUpAfterItsBound() throws {
        var retry = BusyRetry()
        retry.firstPause = .milliseconds(1)
        retry.giveUpAfter = .zero
        #expect(throws: DatabaseError.self) {
            try retry.run { () throws -> Void in throw DatabaseError(resultCode: .SQLITE_LOCKED) }
        }
    }

    @Test func aTruncatedDatabaseIsDamagedNotForeign() throws {
        _ = try store.makeSweep(trials: 3)
        let copy = dir.file("copy.sqlite")
        try store.reader.backup(to: DatabaseQueue(path: copy.path))
        let bytes = try Data(contentsOf: copy)
        let truncated = dir.file("truncated.sqlite")
        try bytes.prefix(bytes.count - 4096).write(to: truncated)
        #expect {
            try MetricsStore.openExisting(at: truncated)
        } throws: { error in
            guard case .damaged = error as? MetricsStoreError else { return false }
            return "\(error)".contains(".recover")
        }
    }

    @Test func theMigrationLockIsExclusiveAndRefusesASymlink() throws {
        let database = dir.file("locked.sqlite")
        let held = try MigrationLock.exclusive(for: database, waiting: {})
        let fd = open(MigrationLock.url(of: database).path, O_RDONLY)
        defer { close(fd) }
        #expect(flock(fd, LOCK_SH | LOCK_NB) != 0)
        withExtendedLifetime(held) {}

        let planted = dir.file("planted.sqlite")
        let target = dir.file("target")
        try Data("keep".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(
            atPath: MigrationLock.url(of: planted).path, withDestinationPath: target.path)
        #expect(throws: MetricsStoreError.self) { try MigrationLock.exclusive(for: planted, waiting: {}) }
        #expect(try Data(contentsOf: target) == Data("keep".utf8))
    }
}
