import Foundation
import RNNCore
import RNNTraining
import Testing

@testable import RNNSweep

/// Where a new trial finds the shorter run of its configuration to continue from: each registered row is decoded
/// once per run, however many trials start, and a lookup reads only its own configuration's rows (a scan of every
/// row per trial made a run of N trials decode N² parameter sets).
@Suite struct ShorterRunIndexTests {
    /// Trials of `configurations` learning rates × `seeds` seeds, with `epochs` epochs.
    static func trials(configurations: Int, seeds: Int, epochs: Int, from ordinal: Int = 1) -> [TrialSpec] {
        (0..<(configurations * seeds)).map { i in
            try! TrialSpec(
                ordinal: ordinal + i,
                parameters: TrainingParameters.resolve([
                    "learning_rate": .double(0.001 * Double(1 + i / seeds)), "seed": .int(i % seeds + 1),
                    "epochs": .int(epochs),
                ]), gridPoint: i / seeds + 1)
        }
    }

    /// The rows a store gives back for `trials` registered in one sweep.
    static func rows(_ trials: [TrialSpec]) throws -> [TrialRow] {
        let folder = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: folder.file("s.sqlite"))
        let sweep = try store.registerSweep(
            name: "s", description: nil, experimentPath: "e.yaml", experimentJSON: "{}", varyingKeys: [])
        try store.registerTrials(sweep: sweep, trials: trials.map(NewTrial.init))
        return try store.trials(sweep: sweep)
    }

    @Test func everyRowIsDecodedOnceAndALookupReadsOnlyItsConfiguration() throws {
        // 1,000 trials of distinct configurations (a seed is part of one): what `run` looks up, trial by trial.
        let trials = Self.trials(configurations: 100, seeds: 10, epochs: 1)
        let index = ShorterRunIndex(rows: try Self.rows(trials))
        #expect(index.decodedRows == trials.count)
        // A lookup reads its own configuration's rows only (here the trial's own row): N rows read for N trials,
        // where a scan of the sweep per trial reads N².
        let read = trials.reduce(0) { $0 + index.rows(like: $1).count }
        #expect(read == trials.count)
        #expect(trials.allSatisfy { index.shorter(than: $0).isEmpty }, "nothing to continue from")
        #expect(index.decodedRows == trials.count, "lookups decode nothing")
    }

    @Test func findsTheShorterRunsOfTheSameConfigurationOnly() throws {
        let short = Self.trials(configurations: 2, seeds: 2, epochs: 2)
        let shorter = Self.trials(configurations: 2, seeds: 2, epochs: 1, from: 5)
        let long = Self.trials(configurations: 2, seeds: 2, epochs: 5, from: 9)
        let index = ShorterRunIndex(rows: try Self.rows(short + shorter + long))
        #expect(index.decodedRows == 12)
        for (i, trial) in long.enumerated() {
            // Both shorter runs of the same learning rate and seed, in row (ordinal) order; no other configuration.
            #expect(index.shorter(than: trial).map(\.row.id) == [short[i].id, shorter[i].id])
            #expect(index.shorter(than: trial).map(\.epochs) == [2, 1])
        }
        #expect(index.shorter(than: short[0]).map(\.row.id) == [shorter[0].id])
        #expect(index.shorter(than: shorter[0]).isEmpty, "nothing shorter than 1 epoch")
    }

    @Test func rowsWhoseParametersDoNotDecodeAreLeftOut() throws {
        var rows = try Self.rows(Self.trials(configurations: 1, seeds: 2, epochs: 1))
        rows[0].paramsJSON = "{"
        let index = ShorterRunIndex(rows: rows)
        #expect(index.decodedRows == 1)
        let longer = Self.trials(configurations: 1, seeds: 2, epochs: 3, from: 3)
        #expect(index.shorter(than: longer[0]).isEmpty)
        #expect(index.shorter(than: longer[1]).map(\.row.id) == [rows[1].id])
    }
}
