import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A trial patience stopped is recorded as such (v11 columns) and the report's status says so.
@Suite struct PatienceReportTests {
    /// The book fixture with the first configuration's seeds completed by patience (seed 1 and 2 stopped, seed 3 ran
    /// its epochs), through the recorder's own transaction.
    static func fixture() throws -> ReportFixture {
        let fixture = try ReportFixture { point, _ in point == 0 ? .running : .completed }
        let endings = [
            PatienceEnding(stoppedEpoch: 3, bestEpoch: 1, restoredEpoch: 1),
            PatienceEnding(stoppedEpoch: 2, bestEpoch: 1, restoredEpoch: nil), PatienceEnding(bestEpoch: 3),
        ]
        for (index, ending) in endings.enumerated() {
            try fixture.store.write(sweep: fixture.sweep) { tx in
                try tx.markCompleted(
                    trial: ReportFixture.trialID(0, index), test: [.loss: 0.3, .accuracy: 0.9], seconds: 5,
                    patience: ending)
            }
        }
        return fixture
    }

    @Test func theEndingIsStoredAndTheStatusSaysSo() throws {
        let fixture = try Self.fixture()
        let rows = try fixture.store.trials(sweep: fixture.sweep)
        let first = try #require(rows.first { $0.id == ReportFixture.trialID(0, 0) })
        #expect(first.status == .completed)
        #expect(first.patience == PatienceEnding(stoppedEpoch: 3, bestEpoch: 1, restoredEpoch: 1))
        #expect(rows.first { $0.id == ReportFixture.trialID(1, 0) }?.patience == PatienceEnding())

        let table = try fixture.table()
        #expect(table.showsStatus)
        let row = try #require(table.rows.first { $0.trialIDs.contains(ReportFixture.trialID(0, 0)) })
        #expect(row.statusText == "completed, stopped by patience in 2 of 3 seeds (epochs 3, 2)")
        #expect(table.rows.filter { $0.patienceText == nil }.allSatisfy { $0.statusText == "completed" })
        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.contains("completed, stopped by patience in 2 of 3 seeds (epochs 3, 2)"))
    }

    @Test func oneSeedSaysWhereItStoppedAndWhichEpochItTested() {
        #expect(
            PatienceEnding.summary([PatienceEnding(stoppedEpoch: 7, bestEpoch: 4, restoredEpoch: 4)])
                == "stopped by patience at epoch 7, best 4 (tested)")
        #expect(PatienceEnding(stoppedEpoch: 7, bestEpoch: 4).text == "stopped by patience at epoch 7, best 4")
        #expect(PatienceEnding.summary([PatienceEnding(bestEpoch: 4), PatienceEnding()]) == nil)
    }
}
