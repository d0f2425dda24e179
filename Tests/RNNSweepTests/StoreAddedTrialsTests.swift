import Foundation
import Testing

@testable import RNNSweep

/// Trials a scheduler adds while the sweep runs, registered on a real SQLite file in one transaction.
@Suite struct StoreAddedTrialsTests {
    func added(_ index: Int) -> NewTrial {
        NewTrial(
            id: storeHexID("added\(index)"), ordinal: 10 + index, gridPoint: 10 + index, seed: 1,
            paramsJSON: storeParamsJSON(["units": 8 * index]))
    }

    @Test func addedTrialsArePendingRowsWithTheirOrdinalsAndNeverAddedTwice() throws {
        let folder = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: folder.file("r.sqlite"))
        let sweep = try store.makeSweep(trials: 2)
        try store.write(sweep: sweep) { tx in try tx.registerAddedTrials([added(1), added(2)]) }
        // A fresh reader of the file sees them.
        let reader = try MetricsStore.openExisting(at: folder.file("r.sqlite"))
        let rows = try reader.trials(sweep: sweep).sorted { $0.ordinal < $1.ordinal }
        #expect(rows.map(\.ordinal) == [0, 1, 11, 12] && rows.map(\.gridPoint) == [0, 1, 11, 12])
        #expect(rows.suffix(2).allSatisfy { $0.status == .pending && !$0.isSuperseded })

        // One trial of the batch is already there: the whole transaction is refused, the new one not added.
        #expect(throws: MetricsStoreError.self) {
            try store.write(sweep: sweep) { tx in try tx.registerAddedTrials([added(3), added(2)]) }
        }
        #expect(try reader.trials(sweep: sweep).count == 4)
        #expect(throws: MetricsStoreError.self) {
            try store.write(sweep: sweep) { tx in
                try tx.registerAddedTrials([
                    NewTrial(id: storeHexID("t0"), ordinal: 20, gridPoint: 20, seed: 1, paramsJSON: "{}")
                ])
            }
        }
        #expect(try reader.trials(sweep: sweep).map(\.ordinal).sorted() == [0, 1, 11, 12])
    }
}
