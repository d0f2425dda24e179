import Foundation
import Testing

@testable import RNNSweep

/// Each shipped schema version is kept as a small database a real sweep wrote (`Fixtures/schema-v<N>.sqlite`,
/// 4 completed trials × 2 epochs of a synthetic sweep named "tiny"); opening it with today's code must migrate it in
/// place and keep every row. `schema-v3.sqlite` was written by 6185a45, the last version before v4-provenance.
@Suite("Store upgrades from shipped schema versions")
struct StoreUpgradeTests {
    /// A copy of `Fixtures/NAME.sqlite` in a fresh directory.
    static func copy(of name: String) throws -> URL {
        let fixture = try #require(
            Bundle.module.url(forResource: name, withExtension: "sqlite", subdirectory: "Fixtures"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let copy = dir.appendingPathComponent("old.sqlite")
        try FileManager.default.copyItem(at: fixture, to: copy)
        return copy
    }

    @Test func schemaV1DatabaseOpensAndKeepsItsRows() throws {
        let store = try MetricsStore.create(at: try Self.copy(of: "schema-v1"))  // runs every migration newer than v1
        let sweep = try #require(try store.sweep(named: "tiny"))
        let trials = try store.trials(sweep: sweep.id)
        #expect(trials.count == 4)
        #expect(trials.allSatisfy { $0.status == .completed && $0.testAccuracy != nil })
        #expect(try store.epochsByTrial(sweep: sweep.id).values.map(\.count).sorted() == [2, 2, 2, 2])
        let applied = try store.reader.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(applied == StoreSchema.migrationIdentifiers)
        let report = try ReportDocument.render(store: store, sweep: "tiny", format: .csv, options: ReportOptions())
        #expect(report.split(separator: "\r\n").count == 5)  // header + 4 grid points
        // v2-sweep-source added the experiment text and the command; a v1 sweep has neither.
        #expect(sweep.experimentText == nil && sweep.command == nil)
        let page = try ReportDocument.render(store: store, sweep: "tiny", format: .html, options: ReportOptions())
        #expect(page.components(separatedBy: "<span class=\"missing\">not recorded</span>").count == 3)
        #expect(page.components(separatedBy: "<svg class=\"chart curves\"").count == 5)
    }

    @Test func schemaV3DatabaseOpensWithProvenanceNotRecorded() throws {
        let copy = try Self.copy(of: "schema-v3")
        // Readers see it through a migrated copy in memory and leave it as it is; the coordinator (create) upgrades it.
        let before = try Data(contentsOf: copy)
        #expect(try MetricsStore.openExisting(at: copy).isSnapshot)
        #expect(try Data(contentsOf: copy) == before)
        #expect(throws: MetricsStoreError.notMigrated(path: copy.path)) {
            try MetricsStore.openExisting(at: copy, readOnly: false)
        }
        let store = try MetricsStore.create(at: copy)
        let sweep = try #require(try store.sweep(named: "tiny"))
        #expect(
            sweep.runDirectory == "schema-v3.runs/tiny" && sweep.command?.contains("rnnsweep run tiny.yaml") == true)
        let trials = try store.trials(sweep: sweep.id)
        #expect(trials.map(\.id) == ["9f78d5dc73671382", "b4bf8cfb24148636", "ba8d7233cfd9cc0d", "d5d216b69a6ee4b1"])
        #expect(trials.allSatisfy { $0.status == .completed && $0.testAccuracy != nil && $0.lastEpoch == 2 })
        // The rows written before v4-provenance have no provenance: NULL, read as "not recorded".
        #expect(trials.allSatisfy { $0.provenance == nil && $0.resumedOn.isEmpty })
        let nulls = try store.reader.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM trials WHERE rnnsweep_version IS NULL AND host IS NULL AND "
                    + "cpu_model IS NULL AND kernels IS NULL AND backend IS NULL AND threads IS NULL")
        }
        #expect(nulls == 4)
        #expect(try store.epochsByTrial(sweep: sweep.id).values.map(\.count) == [2, 2, 2, 2])
        let applied = try store.reader.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(applied == StoreSchema.migrationIdentifiers)
        // Reports: no warning (nothing recorded is not a machine), the HTML says "not recorded".
        let markdown = try ReportDocument.render(
            store: store, sweep: "tiny", format: .markdown, options: ReportOptions())
        #expect(!markdown.contains("Warning"))
        let page = try ReportDocument.render(store: store, sweep: "tiny", format: .html, options: ReportOptions())
        #expect(page.contains("<dd id=\"machine\">not recorded</dd>"))
        let status = try SweepStatus.render(store: store, sweep: "tiny")
        #expect(status.hasSuffix("machine: not recorded\n"), "\(status)")
        // And the upgraded file takes a new trial's provenance beside the old rows.
        try store.registerTrials(
            sweep: sweep.id,
            trials: [NewTrial(id: "00000000000000aa", ordinal: 5, gridPoint: 4, seed: 1, paramsJSON: #"{"seed":1}"#)])
        try store.markStarted(sweep: sweep.id, trial: "00000000000000aa", pid: nil)
        try store.write(sweep: sweep.id) {
            try $0.recordProvenance(trial: "00000000000000aa", TestMachine.xeon(), resumedFrom: 0)
        }
        #expect(try store.trials(sweep: sweep.id).last?.provenance == TestMachine.xeon())
    }
}
