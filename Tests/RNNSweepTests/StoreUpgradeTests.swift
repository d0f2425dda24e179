import Foundation
import Testing

@testable import RNNSweep

/// Each shipped schema version is kept as a small database a real sweep wrote (`Fixtures/schema-v<N>.sqlite`,
/// 4 completed trials × 2 epochs of a synthetic sweep named "tiny"); opening it with today's code must migrate it in
/// place and keep every row.
@Suite("Store upgrades from shipped schema versions")
struct StoreUpgradeTests {
    @Test func schemaV1DatabaseOpensAndKeepsItsRows() throws {
        let fixture = try #require(
            Bundle.module.url(forResource: "schema-v1", withExtension: "sqlite", subdirectory: "Fixtures"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let copy = dir.appendingPathComponent("old.sqlite")
        try FileManager.default.copyItem(at: fixture, to: copy)

        let store = try MetricsStore.create(at: copy)  // runs every migration newer than v1
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
}
