import Foundation
import RNNSweep
import RNNTraining
import Testing

/// Read-only view of a results database that a running or finished `rnnsweep` writes, for polling and checks.
/// Opening waits for the file and its schema to exist; until then every read returns nil.
class SweepDatabase {
    let url: URL
    let sweepName: String
    private var store: MetricsStore?

    init(url: URL, sweep: String) {
        self.url = url
        sweepName = sweep
    }

    /// The store, once the coordinator has created and migrated it.
    func open() -> MetricsStore? {
        if let store { return store }
        let opened = try? MetricsStore.openExisting(at: url)
        // A copy of a file caught between two migrations would never see the coordinator's writes: open it again.
        if opened?.isSnapshot == false { store = opened }
        return opened
    }

    private func sweepID() -> SweepID? {
        guard let store = open() else { return nil }
        return (try? store.sweep(named: sweepName))??.id
    }

    /// The sweep's trials in ordinal order; nil before the sweep is registered.
    func trials() -> [TrialRow]? {
        guard let id = sweepID(), let rows = try? open()?.trials(sweep: id), !rows.isEmpty else { return nil }
        return rows
    }

    /// Every epoch row of the sweep, keyed by trial id.
    func epochs() -> [String: [EpochMetrics]]? {
        guard let id = sweepID() else { return nil }
        return try? open()?.epochsByTrial(sweep: id)
    }

    /// The Slurm array tasks the sweep submitted, oldest first.
    func slurmTasks() -> [SlurmTaskRow]? {
        guard let id = sweepID() else { return nil }
        return try? open()?.slurmTasks(sweep: id)
    }

    /// A `running` trial that has recorded at least one epoch but has at least `remaining` epochs to go.
    func trialMidway(epochs: Int, remaining: Int = 2) -> TrialRow? {
        trials()?.first {
            $0.status == .running && ($0.lastEpoch ?? 0) >= 1 && ($0.lastEpoch ?? 0) <= epochs - remaining
        }
    }

    /// ``trialMidway(epochs:remaining:)`` with at least `done` epochs recorded, and its worker process, which is
    /// really `coordinator`'s child (not a pid of an earlier attempt), waited for.
    func trialMidway(
        epochs: Int, remaining: Int, done: Int = 1, workerOf coordinator: CommandProcess
    ) -> (trial: TrialRow, pid: Int32)? {
        waitFor("a running trial with \(done) recorded epoch(s) and its live worker") {
            trialMidway(epochs: epochs, remaining: remaining).flatMap { trial -> (TrialRow, Int32)? in
                guard let pid = trial.workerPID.map(Int32.init), (trial.lastEpoch ?? 0) >= done,
                    ProcessProbe.parent(of: pid) == coordinator.pid
                else { return nil }
                return (trial, pid)
            }
        }
    }
}

extension [String: [EpochMetrics]] {
    /// Bit-for-bit equality of the stored metrics (NaN equal to NaN), trial by trial, epoch by epoch.
    func isIdentical(to other: Self) -> Bool {
        guard keys.sorted() == other.keys.sorted() else { return false }
        return allSatisfy { trial, records in
            let others = other[trial]!
            return records.count == others.count && zip(records, others).allSatisfy { $0.isIdentical(to: $1) }
        }
    }
}
