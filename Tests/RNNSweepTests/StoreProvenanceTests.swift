import Foundation
import GRDB
import RNNTraining
import Testing

@testable import RNNSweep

/// `StoreTransaction.recordProvenance`: a fresh start records where it runs; a resume adds to the row only when
/// its result bits can differ (another CPU kind, build or thread count), and then says so in the notes.
@Suite("Store provenance")
struct StoreProvenanceTests {
    let dir: StoreTemporaryDirectory
    let store: MetricsStore
    let sweep: SweepID
    let id = storeHexID("t0")

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("m.sqlite"))
        sweep = try store.makeSweep(trials: 1)
    }

    func trial() throws -> TrialRow { try #require(try store.trials(sweep: sweep).first) }

    /// Starts an attempt that reports `provenance`, resuming after `epoch` (0: fresh), as the recorder does.
    @discardableResult
    func attempt(_ provenance: Provenance?, resumedFrom epoch: Int) throws -> String? {
        try store.markStarted(sweep: sweep, trial: id, pid: 1)
        return try store.write(sweep: sweep) { try $0.recordProvenance(trial: id, provenance, resumedFrom: epoch) }
    }

    func interrupt(after epochs: Int) throws {
        for epoch in 1...epochs {
            try store.recordEpoch(sweep: sweep, trial: id, EpochMetrics(epoch: epoch, loss: 1, accuracy: 0.5))
        }
        try store.markInterrupted(sweep: sweep, trial: id, signal: 15)
    }

    @Test func aFreshStartFillsTheColumns() throws {
        #expect(try trial().provenance == nil, "a trial that never started has none")
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        #expect(try trial().provenance == TestMachine.xeon())
        #expect(try trial().resumedOn.isEmpty && trial().notes == nil)
        let columns = try store.reader.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT rnnsweep_version, rnnsweep_commit, rnnsweep_dirty, host, cpu_model, kernels, "
                    + "backend, threads, resumed_on FROM trials")
        }
        #expect(
            columns
                == [
                    "rnnsweep_version": "0.6.0", "rnnsweep_commit": "1a2b3c4", "rnnsweep_dirty": 0, "host": "xeon-1",
                    "cpu_model": "Intel(R) Xeon(R) Platinum 8480+", "kernels": "AVX-512", "backend": "oneDNN 3.5.3",
                    "threads": 1, "resumed_on": DatabaseValue.null,
                ])
    }

    @Test func aResumeOnTheSameKindAddsNothingEvenOnAnotherHost() throws {
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        try interrupt(after: 2)
        #expect(try attempt(TestMachine.xeon(host: "xeon-2"), resumedFrom: 2) == nil)
        let row = try trial()
        #expect(row.provenance == TestMachine.xeon() && row.resumedOn.isEmpty && row.notes == nil)
    }

    @Test func aResumeOnAnotherCPUKindRecordsBothAndSaysSo() throws {
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        try interrupt(after: 3)
        let note = try #require(try attempt(TestMachine.epyc(), resumedFrom: 3))
        var row = try trial()
        #expect(row.provenance == TestMachine.xeon(), "the columns keep where epoch 1 ran")
        #expect(row.resumedOn == [ProvenanceResume(fromEpoch: 3, provenance: TestMachine.epyc())])
        #expect(row.provenanceChain == [TestMachine.xeon(), TestMachine.epyc()])
        #expect(row.notes == note)
        #expect(
            note
                == "resumed after epoch 3 on epyc-1 (before: xeon-1) with other result bits: CPU Intel(R) Xeon(R) "
                + "Platinum 8480+ (AVX-512 kernels) → AMD EPYC 7763 64-Core Processor (AVX2 kernels)")
        // Resuming once more on the EPYC changes nothing: it is compared with the latest part.
        try interrupt(after: 4)
        #expect(try attempt(TestMachine.epyc(host: "epyc-2"), resumedFrom: 4) == nil)
        row = try trial()
        #expect(row.resumedOn.count == 1 && row.notes == note)
        // Back on a Xeon is another change.
        try interrupt(after: 5)
        #expect(try attempt(TestMachine.xeon(), resumedFrom: 5) != nil)
        row = try trial()
        #expect(row.resumedOn.map(\.fromEpoch) == [3, 5])
        #expect(row.notes?.split(separator: "\n").count == 2)
        let stored = try store.reader.read { db in try String.fetchOne(db, sql: "SELECT resumed_on FROM trials") }
        #expect(stored?.hasPrefix(#"[{"backend":"oneDNN 3.5.3","cpu_model":"AMD EPYC 7763"#) == true, "\(stored ?? "")")
        #expect(stored?.contains(#""from_epoch":3"#) == true)
    }

    @Test func otherBuildsAndThreadCountsAreOtherBits() throws {
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        try interrupt(after: 1)
        let newer = BuildIdentity(version: "0.6.0", commit: "9f9f9f9", dirty: true)
        let note = try #require(try attempt(TestMachine.xeon(build: newer), resumedFrom: 1))
        #expect(
            note.hasSuffix(
                "version rnnsweep 0.6.0 (commit 1a2b3c4), oneDNN 3.5.3 → rnnsweep 0.6.0 (commit 9f9f9f9, dirty), "
                    + "oneDNN 3.5.3"))
        try interrupt(after: 2)
        let threads = try #require(try attempt(TestMachine.xeon(threads: 2, build: newer), resumedFrom: 2))
        #expect(threads.hasSuffix("threads 1 → 2"))
    }

    @Test func aFreshStartReplacesEverything() throws {
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        try interrupt(after: 2)
        try attempt(TestMachine.epyc(), resumedFrom: 2)
        try interrupt(after: 3)
        // The checkpoint was lost: every epoch runs again, all of them on the EPYC.
        try store.deleteEpochs(sweep: sweep, trial: id, after: 0)
        try attempt(TestMachine.epyc(), resumedFrom: 0)
        let row = try trial()
        #expect(row.provenance == TestMachine.epyc() && row.resumedOn.isEmpty)
        // An attempt of a worker that reports nothing: not recorded.
        try interrupt(after: 1)
        try store.deleteEpochs(sweep: sweep, trial: id, after: 0)
        try attempt(nil, resumedFrom: 0)
        #expect(try trial().provenance == nil)
    }

    @Test func aTrialStartedByAnOlderRnnsweepGetsItsResumeRecordedWithoutANote() throws {
        // The start left no provenance (an rnnsweep before 0.6.0): nothing is known to differ, so no note; the
        // resume's provenance is kept, so the report can still name where those epochs ran.
        try attempt(nil, resumedFrom: 0)
        try interrupt(after: 2)
        #expect(try attempt(TestMachine.xeon(), resumedFrom: 2) == nil)
        let row = try trial()
        #expect(row.provenance == nil && row.notes == nil)
        #expect(row.resumedOn == [ProvenanceResume(fromEpoch: 2, provenance: TestMachine.xeon())])
        // And a resume that reports nothing changes nothing.
        try interrupt(after: 3)
        #expect(try attempt(nil, resumedFrom: 3) == nil)
        #expect(try trial().resumedOn.count == 1)
    }

    @Test func onlyARunningTrialTakesProvenance() throws {
        #expect(throws: MetricsStoreError.self) {
            try store.write(sweep: sweep) { try $0.recordProvenance(trial: id, TestMachine.xeon(), resumedFrom: 0) }
        }
    }

    @Test func theResumedOnColumnMustBeAJSONArray() throws {
        try attempt(TestMachine.xeon(), resumedFrom: 0)
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE trials SET resumed_on = '{\"a\":1}'") }
        }
    }
}
