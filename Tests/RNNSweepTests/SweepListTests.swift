import Foundation
import Testing

@testable import RNNSweep

@Suite("Sweep list")
struct SweepListTests {
    /// The last cell of a sweep's `ls` line.
    private func updated(_ list: String, sweep: String) throws -> String {
        let line = try #require(list.split(separator: "\n").first { $0.hasPrefix(sweep + " ") }, "\(list)")
        return try #require(line.split(separator: " ").last.map(String.init))
    }

    @Test func updatedIsTheLatestTrialEndNotTheSweepRegistration() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.makeSweep(name: "s", trials: 3)
        for index in 0..<2 {
            try store.markStarted(sweep: sweep, trial: storeHexID("t\(index)"), pid: 1)
            try store.markCompleted(
                sweep: sweep, trial: storeHexID("t\(index)"), testLoss: 0.1, testAccuracy: 0.9, seconds: 1)
        }
        // Fixed times: the trials ended on the 2nd and 3rd, and a later run registered the sweep on the 9th.
        try store.write(sweep: sweep) { tx in
            try tx.db.execute(
                sql: "UPDATE trials SET finished_at = ? WHERE id = ?",
                arguments: ["2026-01-02T10:00:00.000Z", storeHexID("t0")])
            try tx.db.execute(
                sql: "UPDATE trials SET finished_at = ? WHERE id = ?",
                arguments: ["2026-01-03T11:30:00.000Z", storeHexID("t1")])
            try tx.db.execute(sql: "UPDATE sweeps SET updated_at = '2026-01-09T08:00:00.000Z'")
        }
        #expect(try updated(SweepStatus.list(store: store), sweep: "s") == "2026-01-03T11:30:00.000Z")
    }

    @Test func updatedIsADashBeforeAnyTrialEnded() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        _ = try store.makeSweep(name: "fresh", trials: 2)
        #expect(try updated(SweepStatus.list(store: store), sweep: "fresh") == "–")
    }
}
