import Foundation
import RNNSweep
import RNNTraining
import Testing

@Suite struct GridExpanderTests {
    private func expand(_ yaml: String) throws -> ExpandedSweep {
        try GridExpander.expand(try ExperimentFile.parse(yaml: yaml, path: "grid.yaml"))
    }

    private func column(_ sweep: ExpandedSweep, _ key: String) -> [String] {
        sweep.trials.map { $0.parameters.value(key)?.description ?? "-" }
    }

    @Test func cartesianProductFirstKeySlowestSeedsInnermost() throws {
        let sweep = try expand("name: g\ngrid:\n  cell: [gru, lstm]\n  units: [8, 16, 32]\nseeds: [5, 6]\n")
        #expect(sweep.trials.count == 12)
        #expect(column(sweep, "cell") == ["gru"] * 6 + ["lstm"] * 6)
        #expect(column(sweep, "units") == ["8", "8", "16", "16", "32", "32", "8", "8", "16", "16", "32", "32"])
        #expect(column(sweep, "seed") == ["5", "6"] * 6)
        #expect(sweep.trials.map(\.gridPoint) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6])
        #expect(sweep.trials.map(\.ordinal) == Array(1...12))
        #expect(sweep.trials.map(\.id) == sweep.trials.map(\.parameters.identity))
        #expect(Set(sweep.trials.map(\.id)).count == 12)
        #expect(sweep.varyingKeys == ["cell", "units"])
    }

    @Test func listOfBlocksIsTheUnionInOrder() throws {
        let yaml = """
            name: u
            grid:
              - {units: 8, optimizer: [sgd, adam]}
              - units: [16]
                cell: lstm
            """
        let sweep = try expand(yaml)
        #expect(column(sweep, "units") == ["8", "8", "16"])
        #expect(column(sweep, "optimizer") == ["sgd", "adam", "sgd"])
        #expect(column(sweep, "cell") == ["simple_rnn", "simple_rnn", "lstm"])
        #expect(sweep.varyingKeys == ["units", "optimizer", "cell"])
        #expect(sweep.gridPointCount == 3)
    }

    @Test func gridOverridesDefaultsAndTopLevelData() throws {
        let yaml = "name: o\ndataset: mnist\ndefaults: {units: 8}\ngrid: {units: [4], dataset: [adding]}\n"
        let trial = try #require(try expand(yaml).trials.first)
        #expect(trial.parameters.int("units") == 4)
        #expect(trial.parameters.string("dataset") == "adding")
    }

    @Test func excludeDropsMatchingPoints() throws {
        let yaml = """
            name: x
            grid:
              cell: [simple_rnn, gru]
              bidirectional: [false, true]
              units: [8, 16]
            exclude:
              - {cell: gru, bidirectional: true}
              - {units: 16, bidirectional: false, learning_rate: 0.01}
            """
        let sweep = try expand(yaml)
        let points = sweep.trials.map {
            "\($0.parameters.string("cell")) \($0.parameters.bool("bidirectional")) \($0.parameters.int("units"))"
        }
        #expect(
            points == [
                "simple_rnn false 8", "simple_rnn true 8", "simple_rnn true 16", "gru false 8",
            ])
        #expect(sweep.trials.map(\.gridPoint) == [1, 2, 3, 4])
        #expect(sweep.gridPointCount == 4)
    }

    @Test func excludingEverythingIsAnError() throws {
        let yaml = "name: x\ngrid: {cell: [gru]}\nexclude:\n  - {cell: gru}\n"
        #expect(throws: ExperimentError.self) { try expand(yaml) }
    }

    @Test func planTableListsVaryingKeysAndCounts() throws {
        let sweep = try expand("name: p\ngrid: {units: [8, 128]}\nseeds: 2\n")
        let lines = sweep.planTable().split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == "#  id                units  seed")
        let ids = sweep.trials.map(\.id)
        #expect(lines[1] == "1  \(ids[0])  8      1")
        #expect(lines[4] == "4  \(ids[3])  128    2")
        #expect(lines[5] == "4 trials (2 grid points × 2 seeds)")
    }

    @Test func trialSpecsRoundTripThroughJSON() throws {
        let sweep = try expand("name: j\ngrid: {units: [8], clipnorm: [1.5]}\n")
        let data = try JSONEncoder().encode(sweep.trials)
        #expect(try JSONDecoder().decode([TrialSpec].self, from: data) == sweep.trials)
    }
}

extension Array {
    fileprivate static func * (array: Array, count: Int) -> Array { Array((0..<count).map { _ in array }.joined()) }
}
