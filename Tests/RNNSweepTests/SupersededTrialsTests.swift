import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A re-registration after an edit of the experiment file marks what the definition no longer expands to, keeps it,
/// and reports and `status` show it only when asked.
@Suite("Superseded trials")
struct SupersededTrialsTests {
    let dir: StoreTemporaryDirectory
    let store: MetricsStore
    let sweep: SweepID

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("m.sqlite"))
        sweep = try store.registerSweep(
            name: "s", description: nil, experimentPath: "e.yaml", experimentJSON: "{}", varyingKeys: ["units"])
    }

    func trial(_ units: Int, epochs: Int, ordinal: Int) -> NewTrial {
        NewTrial(
            id: storeHexID("u\(units)e\(epochs)"), ordinal: ordinal, gridPoint: ordinal, seed: 1,
            paramsJSON: storeParamsJSON(["units": units, "epochs": epochs, "dataset": "sum-sign"]))
    }

    func parameters(_ trial: NewTrial) throws -> TrainingParameters {
        try JSONDecoder().decode(TrainingParameters.self, from: Data(trial.paramsJSON.utf8))
    }

    func superseded() throws -> [String] {
        try store.trials(sweep: sweep).filter(\.isSuperseded).map(\.id).sorted()
    }

    @Test func anEditedDefinitionSupersedesWhatItDropsAndARevertRestoresIt() throws {
        let first = [trial(32, epochs: 8, ordinal: 1), trial(64, epochs: 8, ordinal: 2)]
        try store.registerTrials(sweep: sweep, trials: first, superseding: .allOthers)
        #expect(try superseded().isEmpty)
        // The edit: 10 epochs, and 64 units removed.
        let second = [trial(32, epochs: 10, ordinal: 1)]
        try store.registerTrials(sweep: sweep, trials: second, superseding: .allOthers)
        #expect(try superseded() == first.map(\.id).sorted())
        #expect(try store.trials(sweep: sweep).count == 3)
        // Reverting the file makes them current again, and the 10-epoch trial superseded.
        try store.registerTrials(sweep: sweep, trials: first, superseding: .allOthers)
        #expect(try superseded() == [second[0].id])
    }

    @Test func aShardSupersedesOnlyWhatTheWholeDefinitionDropped() throws {
        let all = [
            trial(32, epochs: 8, ordinal: 1), trial(64, epochs: 8, ordinal: 2), trial(128, epochs: 8, ordinal: 3),
        ]
        try store.registerTrials(sweep: sweep, trials: all, superseding: .allOthers)
        // The definition now drops 128 units; shard 1/2 registers only its trial (ordinal 1).
        let definition = Array(all.prefix(2))
        try store.registerTrials(
            sweep: sweep, trials: [definition[0]],
            superseding: .outside(definition: Set(try definition.map { SupersededTrials.key(try parameters($0)) })))
        #expect(try superseded() == [all[2].id])
    }

    @Test func registeringWithoutADefinitionSupersedesNothing() throws {
        try store.registerTrials(sweep: sweep, trials: [trial(32, epochs: 8, ordinal: 1)], superseding: .allOthers)
        try store.registerTrials(sweep: sweep, trials: [trial(64, epochs: 8, ordinal: 2)])
        #expect(try superseded().isEmpty)
    }

    @Test func reportsAndStatusShowTheCurrentDefinitionUnlessAskedForAll() throws {
        let old = trial(64, epochs: 8, ordinal: 1)
        let new = trial(32, epochs: 10, ordinal: 1)
        try store.registerTrials(sweep: sweep, trials: [old], superseding: .allOthers)
        try store.registerTrials(sweep: sweep, trials: [new], superseding: .allOthers)
        let current = try ReportSource.load(store: store, sweepName: "s")
        #expect(current.trials.map(\.row.id) == [new.id])
        #expect(!current.showsSuperseded)
        let all = try ReportSource.load(store: store, sweepName: "s", allTrials: true)
        #expect(Set(all.trials.map(\.row.id)) == [old.id, new.id])
        #expect(all.showsSuperseded)
        let table = try ReportBuilder(options: ReportOptions()).build(from: all)
        #expect(table.parameterKeys.contains(TrialDefinition.key))
        #expect(
            Set(table.rows.map { $0.parameters[TrialDefinition.key]?.description })
                == ["current", "superseded"])

        let status = try SweepStatus.render(store: store, sweep: "s")
        #expect(status.contains(new.id))
        #expect(!status.contains(old.id))
        #expect(status.contains("1 superseded trial(s) not shown"))
        let everything = try SweepStatus.render(store: store, sweep: "s", allTrials: true)
        #expect(everything.contains(old.id))
        #expect(everything.contains("completed (superseded)") || everything.contains("pending (superseded)"))
        #expect(try SweepStatus.list(store: store).contains("s      1"))
    }
}
