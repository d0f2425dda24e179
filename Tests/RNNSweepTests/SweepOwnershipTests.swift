import Foundation
import GRDB
import Testing

@testable import RNNSweep

/// The sweep's owner row (``SweepOwnership``): who may take a sweep over, and who is refused.
@Suite("Sweep ownership in the database")
struct SweepOwnershipTests {
    @Test func theStartTimeOfAProcessIsReadFromProc() throws {
        let mine = try #require(ProcessIdentity.startTime(of: getpid()))
        #expect(mine > 0)
        #expect(ProcessIdentity.startTime(of: getpid()) == mine, "stable for a process")
        #expect(ProcessIdentity.current.isRunningHere)
        #expect(!ProcessIdentity.current.bootID.isEmpty)
    }

    @Test func aLiveOwnerHereRefusesAndARecycledPidDoesNot() throws {
        let here = ProcessIdentity.current
        let live = owner(pid: getppid(), start: try #require(ProcessIdentity.startTime(of: getppid())))
        #expect(SweepOwnership.isLive(live))
        // The same pid with another start time: the owner died and its pid went to another process.
        #expect(!SweepOwnership.isLive(owner(pid: getppid(), start: live.processStart + 1)))
        // This host, an earlier boot.
        var rebooted = live
        rebooted.bootID = here.bootID + "-before"
        #expect(!SweepOwnership.isLive(rebooted))
    }

    @Test func anOwnerOnAnotherHostIsLiveWhileItsHeartbeatIsFresh() {
        var remote = owner(pid: 4242, start: 1)
        remote.host = "node-elsewhere"
        remote.bootID = "other"
        remote.heartbeatAge = 5
        #expect(SweepOwnership.isLive(remote))
        remote.heartbeatAge = SweepOwnership.staleAfter + 1
        #expect(!SweepOwnership.isLive(remote))
    }

    @Test func aSecondClaimIsRefusedUntilTheFirstIsReleased() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let first = try SweepOwnership(store: store, sweep: "s")
        #expect(first.takeover == nil)
        #expect(try store.sweepOwner("s")?.isHeld(by: ProcessIdentity.current) == true)
        // Another process's claim, seen from this one: a live process of this machine (our parent).
        let other = ProcessIdentity(
            host: ProcessIdentity.hostName, bootID: ProcessIdentity.bootID, pid: getppid(),
            processStart: try #require(ProcessIdentity.startTime(of: getppid())))
        // The holder is this process; its heartbeat age is read at each call, so compare who holds it, not when.
        guard case .heldBy(let holder) = try store.claimSweep("s", by: other, isLive: SweepOwnership.isLive) else {
            Issue.record("a second claim while the first is live must be refused")
            return
        }
        #expect(holder.isHeld(by: ProcessIdentity.current))
        withExtendedLifetime(first) {}
    }

    @Test func aDeadOwnersClaimIsTakenOverAndNamed() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let dead = ProcessIdentity(
            host: ProcessIdentity.hostName, bootID: ProcessIdentity.bootID, pid: getppid(),
            processStart: try #require(ProcessIdentity.startTime(of: getppid())) + 1)
        #expect(try store.claimSweep("s", by: dead, isLive: { _ in false }) == .claimed(previous: nil))
        do {
            let taker = try SweepOwnership(store: store, sweep: "s")
            #expect(taker.takeover?.contains("coordinator pid \(getppid())") == true)
            #expect(try store.sweepOwner("s")?.pid == getpid())
        }
        #expect(try store.sweepOwner("s") == nil, "released when the coordinator ends")
    }

    private func owner(pid: Int32, start: UInt64) -> SweepOwnerRow {
        SweepOwnerRow(
            sweep: "s", host: ProcessIdentity.hostName, bootID: ProcessIdentity.bootID, pid: pid,
            processStart: start, claimedAt: "", heartbeatAt: "", heartbeatAge: 0)
    }
}
