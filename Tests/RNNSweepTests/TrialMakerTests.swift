import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// A proposed configuration's trials come from the same expansion as the file's: at every grid point (exclusions
/// kept), every seed innermost, numbered after the sweep's last ordinal and grid point.
@Suite struct TrialMakerTests {
    @Test func aSampleExpandsLikeTheFileWouldHadItBeenWrittenThere() throws {
        let file = "name: m\ngrid:\n  cell: [gru, lstm]\n  units: [8, 16]\nexclude:\n  - {cell: lstm, units: 16}\n"
        let experiment = try ExperimentFile.parse(yaml: file + "seeds: [5, 6]\n", path: "m.yaml")
        let sample = [ParameterSetting(key: "dropout", value: .double(0.25), position: .start)]
        let made = try GridExpander.trials(of: sample, in: experiment, after: (ordinal: 6, gridPoint: 3))
        let written = try GridExpander.expand(
            try ExperimentFile.parse(yaml: file + "seeds: [5, 6]\ndefaults:\n  dropout: 0.25\n", path: "m.yaml"))
        #expect(made.map(\.parameters) == written.trials.map(\.parameters))
        #expect(made.map(\.ordinal) == [7, 8, 9, 10, 11, 12])
        #expect(made.map(\.gridPoint) == [4, 4, 5, 5, 6, 6])
        #expect(made.map(\.seed) == [5, 6, 5, 6, 5, 6])
        #expect(made.map(\.id) == written.trials.map(\.id))
    }

    @Test func anInvalidSampleIsTheExperimentsError() throws {
        let experiment = try ExperimentFile.parse(yaml: "name: m\ngrid:\n  units: [8]\n", path: "m.yaml")
        let sample = [ParameterSetting(key: "dropout", value: .double(7), position: .start)]
        #expect(throws: ExperimentError.self) {
            try GridExpander.trials(of: sample, in: experiment, after: (ordinal: 1, gridPoint: 1))
        }
    }
}
