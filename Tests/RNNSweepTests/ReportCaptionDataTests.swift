import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The caption names the data file the trials read (`data jv.npz`), not only the loader (`dataset npz`).
@Suite("Report caption: the data file")
struct ReportCaptionDataTests {
    /// A two-row sweep (units 8, 16) whose trials read `dataDirs[row]` (nil: no `data_dir`).
    static func table(_ dataDirs: [String?], varying: [String] = ["units"]) throws -> ReportTable {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("c.sqlite"))
        let sweep = try store.registerSweep(
            name: "files", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: varying)
        var trials: [NewTrial] = []
        for (row, dataDir) in dataDirs.enumerated() {
            var params: [String: Any] = ["units": 8 * (row + 1), "dataset": "npz", "seed": 1]
            params["data_dir"] = dataDir
            trials.append(
                NewTrial(
                    id: storeHexID("c\(row)"), ordinal: row, gridPoint: row, seed: 1,
                    paramsJSON: storeParamsJSON(params)))
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        return try ReportBuilder().build(store: store, sweepName: "files")
    }

    @Test func theSharedDataFileIsNamed() throws {
        let table = try Self.table(["/work/data/jv.npz", "/work/data/jv.npz"])
        #expect(table.dataFile == "jv.npz")
        #expect(MarkdownRenderer().caption(table).hasPrefix("Sweep files — dataset npz, data jv.npz, "))
        // A folder of files (a `.ts` or text data set) is named by its last component, a trailing slash or not.
        #expect(try Self.table(["data/ts/JapaneseVowels/", "data/ts/JapaneseVowels/"]).dataFile == "JapaneseVowels")
    }

    @Test func noNameWithoutOneSharedPath() throws {
        // Built-in or generated data has no path; different paths are a column's business.
        #expect(try Self.table([nil, nil]).dataFile == nil)
        #expect(try Self.table(["a/x.npz", "b/y.npz"]).dataFile == nil)
        let shown = try Self.table(["a/x.npz", "a/x.npz"], varying: ["units", "data_dir"])
        #expect(shown.dataFile == nil && !MarkdownRenderer().caption(shown).contains("data x.npz"))
    }
}
