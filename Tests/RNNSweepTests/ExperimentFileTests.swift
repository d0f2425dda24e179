import Foundation
import RNNSweep
import RNNTraining
import Testing

/// The package's `Experiments/` folder, found relative to this file.
private let experimentsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Experiments")

@Suite struct ExperimentFileTests {
    @Test func table151ParsesToTwelveTrials() throws {
        let path = experimentsDirectory.appendingPathComponent("table-1.5.1.yaml").path
        let experiment = try ExperimentFile.load(path: path)
        #expect(experiment.name == "table-1.5.1")
        #expect(experiment.path == path)
        #expect(experiment.description.hasPrefix("SimpleRNN on MNIST rows"))
        #expect(experiment.dataDefaults.map(\.key) == ["dataset"])
        #expect(experiment.defaults.map(\.key) == ["cell", "units", "dropout", "optimizer", "epochs", "batch_size"])
        #expect(experiment.grid.map { $0.axes.map(\.key) } == [["units", "optimizer"], ["units", "optimizer"]])
        #expect(experiment.seeds == [1, 2, 3])
        #expect(experiment.exclude.count == 1)
        let sweep = try GridExpander.expand(experiment)
        #expect(sweep.trials.count == 12)
        #expect(sweep.gridPointCount == 4)
        // learning_rate is not in the file but follows the optimizer, so it varies too (listed last).
        #expect(sweep.varyingKeys == ["units", "optimizer"])  // learning_rate follows optimizer: not a column
        let first = sweep.trials[0].parameters
        #expect(first.string("dataset") == "fashion-mnist")
        #expect(first.double("dropout") == 0.2)
        #expect(first.int("epochs") == 20)
    }

    /// Every file shipped in Experiments/ must load and expand (a typo there would only show up for users).
    @Test func everyShippedExperimentFileExpands() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: experimentsDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.contains("cells.yaml"))
        for file in files {
            let experiment = try ExperimentFile.load(path: experimentsDirectory.appendingPathComponent(file).path)
            #expect(try GridExpander.expand(experiment).trials.count > 0, "\(file)")
        }
    }

    @Test func cellsComparesFourCellsOverThreeSeeds() throws {
        let experiment = try ExperimentFile.load(path: experimentsDirectory.appendingPathComponent("cells.yaml").path)
        let sweep = try GridExpander.expand(experiment)
        #expect(sweep.trials.count == 12)
        #expect(sweep.varyingKeys == ["cell", "bidirectional"])
        #expect(
            sweep.trials.allSatisfy { $0.parameters.int("units") == 256 && $0.parameters.string("optimizer") == "adam" }
        )
    }

    /// The book's claim check: the MLP (2 × 256, Dropout(0.45)) beside the three cells (Dropout(0.2)); the recurrent
    /// trials are cells.yaml's own (same parameters, same ids), so a merged database shares them.
    @Test func networksSharesItsRecurrentTrialsWithCells() throws {
        func sweep(_ file: String) throws -> ExpandedSweep {
            try GridExpander.expand(ExperimentFile.load(path: experimentsDirectory.appendingPathComponent(file).path))
        }
        let networks = try sweep("networks.yaml")
        let cells = try sweep("cells.yaml")
        #expect(networks.trials.count == 12)
        #expect(networks.seeds == [1, 2, 3])
        let mlp = networks.trials.filter { $0.parameters.string("network") == "mlp" }
        #expect(mlp.count == 3)
        for trial in mlp {
            let p = trial.parameters
            #expect(p.int("layers") == 2 && p.int("units") == 256 && p.double("dropout") == 0.45)
            #expect(p.value("cell") == nil)
        }
        let recurrent = networks.trials.filter { $0.parameters.string("network") == "rnn" }
        #expect(Set(recurrent.map { $0.parameters.string("cell") }) == ["simple_rnn", "lstm", "gru"])
        let unidirectional = cells.trials.filter { !$0.parameters.bool("bidirectional") }
        #expect(recurrent.map(\.id) == unidirectional.map(\.id))
        #expect(recurrent.map(\.parameters) == unidirectional.map(\.parameters))
        for trial in networks.trials {
            let p = trial.parameters
            #expect(p.string("optimizer") == "adam" && p.int("batch_size") == 128 && p.int("epochs") == 20)
            #expect(p.string("dataset") == "fashion-mnist" && p.string("view") == "rows")
        }
    }

    @Test func quickstartParsesToSixTrials() throws {
        let path = experimentsDirectory.appendingPathComponent("quickstart.yaml").path
        let experiment = try ExperimentFile.load(path: path)
        let sweep = try GridExpander.expand(experiment)
        #expect(experiment.name == "quickstart")
        #expect(sweep.trials.count == 6)
        #expect(sweep.varyingKeys == ["cell", "units"])
        #expect(sweep.trials.map(\.seed) == [1, 1, 1, 1, 1, 1])
        for trial in sweep.trials {
            #expect(trial.parameters.value("limit") == .int(30000))
            #expect(trial.parameters.double("validation_split") == 0.1)
            #expect(trial.parameters.string("optimizer") == "adam")
            #expect(trial.parameters.double("learning_rate") == 0.001)
            #expect(trial.parameters.int("epochs") == 5)
        }
    }

    @Test func seedsAsCountOrList() throws {
        let count = try ExperimentFile.parse(yaml: "name: s\ngrid: {units: [8, 16]}\nseeds: 3\n", path: "s.yaml")
        #expect(count.seeds == [1, 2, 3])
        let list = try ExperimentFile.parse(yaml: "name: s\ngrid: {units: 8}\nseeds: [7, 0, 42]\n", path: "s.yaml")
        #expect(list.seeds == [7, 0, 42])
        #expect(try GridExpander.expand(list).trials.map(\.seed) == [7, 0, 42])
        let none = try ExperimentFile.parse(yaml: "name: s\ngrid: {units: 8}\n", path: "s.yaml")
        #expect(none.seeds == [1])
    }

    @Test func missingGridIsOnePointOfDefaults() throws {
        let experiment = try ExperimentFile.parse(yaml: "name: one\ndefaults: {units: 12}\nseeds: 2\n", path: "o.yaml")
        let sweep = try GridExpander.expand(experiment)
        #expect(sweep.trials.map { $0.parameters.int("units") } == [12, 12])
        #expect(sweep.varyingKeys.isEmpty)
        #expect(sweep.gridPointCount == 1)
    }

    @Test func keyOrderFollowsTheFile() throws {
        let yaml = """
            name: order
            defaults:
              dropout: 0.1
            grid:
              optimizer: [sgd, adam]
              units: [8, 16]
              cell: [gru, lstm]
            """
        let sweep = try GridExpander.expand(try ExperimentFile.parse(yaml: yaml, path: "o.yaml"))
        #expect(sweep.varyingKeys == ["optimizer", "units", "cell"])
    }

    @Test func identityDoesNotDependOnKeyOrderOrSpelling() throws {
        let a = try ExperimentFile.parse(
            yaml: "name: a\ndefaults: {units: 64, dropout: 0.2, cell: gru}\ngrid: {optimizer: adam}\n", path: "a.yaml")
        let b = try ExperimentFile.parse(
            yaml: "name: b\ngrid:\n  optimizer: [adam]\ndefaults:\n  cell: gru\n  dropout: 2.0e-1\n  units: 64.0\n",
            path: "b.yaml")
        let idA = try GridExpander.expand(a).trials.map(\.id)
        let idB = try GridExpander.expand(b).trials.map(\.id)
        #expect(idA == idB)
        #expect(
            idA == [
                try TrainingParameters.resolve([
                    "cell": .string("gru"), "units": .int(64),
                    "dropout": .double(0.2), "optimizer": .string("adam"),
                ]).identity
            ])
    }

    @Test func resolvedContentIsCanonicalJSON() throws {
        let experiment = try ExperimentFile.load(
            path: experimentsDirectory.appendingPathComponent("quickstart.yaml").path)
        let content = experiment.resolvedContent
        #expect(content == experiment.resolvedContent)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "quickstart")
        let defaults = try #require(object["defaults"] as? [String: Any])
        #expect(defaults["limit"] as? Int == 30000)
        #expect(defaults["optimizer"] as? String == "adam")
        #expect(
            content.contains(
                #""grid":[[{"key":"cell","values":["simple_rnn","lstm","gru"]},{"key":"units","values":[64,128]}]]"#))
    }

    @Test func unreadableFileNamesThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).yaml").path
        #expect(throws: ExperimentError.self) { try ExperimentFile.load(path: path) }
        do {
            _ = try ExperimentFile.load(path: path)
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.hasPrefix("\(path):1:1: cannot read the experiment file"))
        }
    }
}
