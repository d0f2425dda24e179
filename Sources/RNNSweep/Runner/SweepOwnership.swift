import Foundation

/// A coordinator's hold on its sweep in the database (``SweepOwnerRow``), beside the `flock` of ``SweepLock``: the
/// lock file can be deleted, and a second coordinator would then lock a new file and train the same trials. The
/// database row cannot be lost that way.
///
/// Liveness of a recorded owner: on this machine (same host and boot), its pid runs with the same start time; on
/// another machine, its heartbeat is younger than ``staleAfter``. A dead owner (killed, crashed, its machine
/// restarted) is taken over, with a note. The row is deleted when the coordinator ends; a killed one leaves it, and
/// the next coordinator finds it dead.
final class SweepOwnership: @unchecked Sendable {
    /// Seconds between two heartbeats.
    static let heartbeatInterval: TimeInterval = 10
    /// A coordinator on another host whose heartbeat is older than this is taken for dead. Generous, so that a
    /// database busy for a while (another process's long write) or clocks a little apart are not mistaken for a
    /// dead coordinator.
    static let staleAfter: TimeInterval = 120

    let sweep: String
    let identity: ProcessIdentity
    /// The note for the user when a dead coordinator's claim was taken over.
    let takeover: String?
    private let store: MetricsStore
    private let heartbeat: Heartbeat

    /// Claims `sweep`; throws ``SweepRunError/alreadyRunning(sweep:pid:)`` or
    /// ``SweepRunError/runningElsewhere(sweep:host:pid:silentFor:)`` when a live coordinator holds it.
    init(store: MetricsStore, sweep: String) throws(SweepRunError) {
        self.store = store
        self.sweep = sweep
        let identity = ProcessIdentity.current
        self.identity = identity
        let claim: MetricsStore.SweepClaim
        do {
            claim = try store.claimSweep(sweep, by: identity, isLive: Self.isLive)
        } catch {
            throw .store("could not record this coordinator as the sweep's owner: \(error)")
        }
        switch claim {
        case .heldBy(let owner):
            if owner.host == identity.host && owner.bootID == identity.bootID {
                throw .alreadyRunning(sweep: sweep, pid: String(owner.pid))
            }
            throw .runningElsewhere(sweep: sweep, host: owner.host, pid: owner.pid, silentFor: owner.heartbeatAge)
        case .claimed(let previous):
            takeover = previous.map { owner in
                let place = owner.host == identity.host ? "" : " on \(owner.host)"
                return "took the sweep over from coordinator pid \(owner.pid)\(place) (since \(owner.claimedAt)), "
                    + "which is no longer running"
            }
        }
        heartbeat = Heartbeat()
        let beat = heartbeat
        let thread = Thread { beat.run { _ = try? store.heartbeat(sweep: sweep, by: identity) } }
        thread.name = "rnnsweep heartbeat"
        thread.start()
    }

    deinit {
        heartbeat.stop()
        // If it fails (a busy database), the next coordinator finds this process gone and takes over.
        try? store.releaseSweep(sweep, by: identity)
    }

    /// Whether the recorded owner still runs (see the type's description).
    static func isLive(_ owner: SweepOwnerRow) -> Bool {
        let here = ProcessIdentity.current
        if owner.host == here.host && owner.bootID == here.bootID {
            return ProcessIdentity(
                host: owner.host, bootID: owner.bootID, pid: owner.pid, processStart: owner.processStart
            ).isRunningHere
        }
        if owner.host == here.host { return false }  // this machine, an earlier boot
        return owner.heartbeatAge < staleAfter
    }

}

/// Calls its body every ``SweepOwnership/heartbeatInterval`` seconds until stopped. Its own object, so that the
/// thread running it holds no reference to the ownership, whose end stops it.
private final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    /// The loop; a failed beat (a busy database) is simply tried again at the next one.
    func run(_ body: () -> Void) {
        while true {
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: SweepOwnership.heartbeatInterval)
            while !stopped && Date() < deadline { _ = condition.wait(until: deadline) }
            let done = stopped
            condition.unlock()
            if done { return }
            body()
        }
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
