import Foundation
import Testing

@testable import RNNSweep

/// `merge` never mixes two experiments that share a sweep name: it refuses, naming the differences and writing
/// nothing, unless told to rename one.
@Suite("Merging a different experiment of the same name")
struct DatabaseMergeRefusalTests {
    let dir: StoreTemporaryDirectory

    init() throws { dir = try StoreTemporaryDirectory() }

    func database(_ name: String, epochs: Int, units: [Int], description: String = "d") throws -> URL {
        let url = dir.file(name)
        let store = try MetricsStore.create(at: url)
        let experiment = storeParamsJSON([
            "name": "s", "description": description, "defaults": ["epochs": epochs], "grid": [["units": units]],
        ])
        let sweep = try store.registerSweep(
            name: "s", description: description, experimentPath: "e.yaml", experimentJSON: experiment,
            varyingKeys: ["units"])
        try store.registerTrials(
            sweep: sweep,
            trials: units.enumerated().map { index, value in
                NewTrial(
                    id: storeHexID("\(name)-\(value)"), ordinal: index + 1, gridPoint: index, seed: 1,
                    paramsJSON: storeParamsJSON(["units": value, "epochs": epochs]))
            })
        return url
    }

    @Test func theDifferencesAreNamedKeyByKeyAndTheDescriptionIsNotOne() throws {
        let a = #"{"defaults":{"epochs":8,"units":64},"grid":[1,2],"description":"x"}"#
        let b = #"{"defaults":{"epochs":10},"grid":[1,2],"description":"y"}"#
        let difference = try #require(ExperimentDifference(a, b))
        #expect(difference.description == "defaults.epochs: 8 vs 10; defaults.units: 64 vs absent")
        #expect(ExperimentDifference(a, a.replacingOccurrences(of: "\"x\"", with: "\"z\"")) == nil)
    }

    @Test func aDifferentExperimentIsRefusedAndNothingIsWritten() throws {
        let a = try database("a.sqlite", epochs: 8, units: [32, 64])
        let b = try database("b.sqlite", epochs: 10, units: [32])
        let target = dir.file("t.sqlite")
        let error = #expect(throws: DatabaseMergeError.self) { try DatabaseMerge.merge(sources: [a, b], into: target) }
        #expect(error?.description.contains("defaults.epochs: 8 vs 10") == true, "\(String(describing: error))")
        #expect(error?.description.contains("--rename") == true)
        #expect(!FileManager.default.fileExists(atPath: target.path))

        // Into an existing database: it keeps exactly what it had.
        _ = try DatabaseMerge.merge(sources: [a], into: target)
        #expect(throws: DatabaseMergeError.self) { try DatabaseMerge.merge(sources: [b], into: target) }
        let store = try MetricsStore.openExisting(at: target)
        #expect(try store.sweeps().map(\.name) == ["s"])
        #expect(try store.trials(sweep: try #require(try store.sweep(named: "s")).id).count == 2)
    }

    @Test func renameMergesTheDifferentOneAsItsOwnSweep() throws {
        let a = try database("a.sqlite", epochs: 8, units: [32, 64])
        let b = try database("b.sqlite", epochs: 10, units: [32])
        let target = dir.file("t.sqlite")
        let report = try DatabaseMerge.merge(sources: [a, b], into: target, rename: "s-10")
        #expect(report.sweeps == ["s", "s-10"])
        let store = try MetricsStore.openExisting(at: target)
        #expect(try store.trials(sweep: try #require(try store.sweep(named: "s")).id).count == 2)
        #expect(try store.trials(sweep: try #require(try store.sweep(named: "s-10")).id).count == 1)
        // A rename with nothing to rename, or onto another experiment's name, is refused.
        #expect(throws: DatabaseMergeError.renameAmbiguous(new: "x", differing: [])) {
            try DatabaseMerge.merge(sources: [a], into: dir.file("u.sqlite"), rename: "x")
        }
        let c = try database("c.sqlite", epochs: 12, units: [32])
        #expect(throws: DatabaseMergeError.renameTaken(new: "s-10", path: target.path)) {
            try DatabaseMerge.merge(sources: [c], into: target, rename: "s-10")
        }
    }

    @Test func theSameExperimentWithAnotherDescriptionMerges() throws {
        // Shards of one experiment, the second run with a reworded description: their trials (ids by database here)
        // are merged into one sweep.
        let a = try database("a.sqlite", epochs: 8, units: [32, 64], description: "first words")
        let b = try database("b.sqlite", epochs: 8, units: [32, 64], description: "second words")
        let report = try DatabaseMerge.merge(sources: [a, b], into: dir.file("t.sqlite"))
        #expect(report.added == 4)
        #expect(report.sweeps == ["s"])
    }
}
