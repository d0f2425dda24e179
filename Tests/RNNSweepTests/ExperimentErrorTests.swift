import Foundation
import RNNSweep
import Testing

/// A bad experiment file and the exact message (after `path:`) it must produce.
struct BadExperimentFile: Sendable, CustomTestStringConvertible {
    var label: String
    var yaml: String
    var maxTrials = 10_000
    var message: String
    var testDescription: String { label }
}

@Suite struct ExperimentErrorTests {
    static let cases: [BadExperimentFile] = [
        BadExperimentFile(
            label: "unknown parameter", yaml: "name: x\ndefaults:\n  dropot: 0.2\ngrid: {units: 8}\n",
            message: "3:3: unknown parameter 'dropot' in defaults; did you mean 'dropout'?"),
        BadExperimentFile(
            label: "unknown top-level key", yaml: "name: x\ngrid: {units: 8}\nsedes: 3\n",
            message: "3:1: unknown key 'sedes'; did you mean 'seeds'?"),
        BadExperimentFile(
            label: "parameter at the top level", yaml: "name: x\nunits: 8\n",
            message: "2:1: 'units' is a training parameter; put it under 'defaults:' or 'grid:' (only the data keys "
                + "dataset, task, data_dir, view, input_scale, validation, limit, validation_split, sequence_length, "
                + "missing, normalize, tokens, samples, data_seed may be set at the top level)"
        ),
        BadExperimentFile(
            label: "wrong type", yaml: "name: x\ngrid:\n  units: [8, many]\n",
            message: "3:14: units: 'many' is not an integer"),
        BadExperimentFile(
            label: "quoted number", yaml: "name: x\ndefaults: {epochs: \"3\"}\n",
            message: "2:20: epochs: '3' is not an integer"),
        BadExperimentFile(
            label: "dropout out of range", yaml: "name: x\ndefaults:\n  dropout: 1.5\n",
            message: "3:12: dropout: 1.5 is out of range; allowed [0, 1)"),
        BadExperimentFile(
            label: "choice with suggestion", yaml: "name: x\ngrid: {cell: [gru, lstn]}\n",
            message: "2:20: cell: 'lstn' is not allowed; allowed values: simple_rnn, lstm, gru (did you mean 'lstm'?)"),
        BadExperimentFile(
            label: "malformed YAML", yaml: "name: x\ngrid:\n  units: [8, 16\n  cell: gru\n",
            message: "4:7: malformed YAML: while parsing a flow sequence at 3:10: did not find expected ',' or ']'"),
        BadExperimentFile(
            label: "duplicate key", yaml: "name: x\ngrid: {units: 8}\nname: y\n",
            message: "1:1: malformed YAML: key 'name' appears more than once in this mapping"),
        BadExperimentFile(
            label: "missing name", yaml: "grid: {units: 8}\n", message: "1:1: missing 'name:' (the sweep's name)"),
        BadExperimentFile(
            label: "bad name", yaml: "name: my sweep\n",
            message: "1:7: name: 'my sweep' must be 1 to 100 letters, digits, '.', '_' and '-', and not '.' or '..'"),
        BadExperimentFile(
            label: "name that climbs out of the results folder", yaml: "name: ..\n",
            message: "1:7: name: '..' must be 1 to 100 letters, digits, '.', '_' and '-', and not '.' or '..'"),
        BadExperimentFile(
            label: "name too long", yaml: "name: \(String(repeating: "a", count: 101))\n",
            message: "1:7: name: '\(String(repeating: "a", count: 101))' must be 1 to 100 letters, digits, '.', '_' "
                + "and '-', and not '.' or '..'"),
        BadExperimentFile(
            label: "unknown executor key", yaml: "name: x\nexecutor:\n  partiton: debug\n",
            message: "3:3: executor: unknown key 'partiton'; did you mean 'partition'? (allowed: kind, workers, "
                + "partition, max_parallel, time, cpus_per_task, mem, sbatch_args, shared_dir, poll_interval, "
                + "command_timeout, trials_per_task)"),
        BadExperimentFile(
            label: "bad trials per task", yaml: "name: x\nexecutor: {kind: slurm, trials_per_task: 0}\n",
            message: "2:42: executor: trials_per_task: expected auto or an integer ≥ 1"),
        BadExperimentFile(
            label: "bad executor time", yaml: "name: x\nexecutor: {kind: slurm, time: soon}\n",
            message: "2:31: executor: Slurm setting time: 'soon' is not a Slurm time limit (MM, MM:SS, HH:MM:SS, "
                + "D-HH, D-HH:MM or D-HH:MM:SS)"),
        BadExperimentFile(
            label: "unknown distribution",
            yaml: "name: x\nsearch:\n  samples: 2\n  space:\n    learning_rate: {log_uniformm: [0.001, 0.1]}\n",
            message: "5:21: learning_rate: unknown distribution 'log_uniformm'; did you mean 'log_uniform'? "
                + "(uniform, log_uniform, int_uniform, int_log_uniform, choice)"),
        BadExperimentFile(
            label: "log range through zero",
            yaml: "name: x\nsearch:\n  samples: 2\n  space:\n    dropout: {log_uniform: [0.0, 0.5]}\n",
            message: "5:29: dropout: log_uniform: low must be > 0 on a log scale"),
        BadExperimentFile(
            label: "low not below high",
            yaml: "name: x\nsearch:\n  samples: 2\n  space:\n    dropout: {uniform: [0.5, 0.2]}\n",
            message: "5:25: dropout: uniform: low 0.5 must be below high 0.2"),
        BadExperimentFile(
            label: "range outside the parameter's",
            yaml: "name: x\nsearch:\n  samples: 2\n  space:\n    dropout: {uniform: [0.0, 1.0]}\n",
            message: "5:30: dropout: 1.0 is out of range; allowed [0, 1)"),
        BadExperimentFile(
            label: "real distribution for an integer",
            yaml: "name: x\nsearch:\n  samples: 2\n  space:\n    units: {uniform: [8, 64]}\n",
            message: "5:13: units: uniform draws numbers, but units is an integer; use int_uniform"),
        BadExperimentFile(
            label: "sampled and set",
            yaml: "name: x\ndefaults:\n  units: 8\nsearch:\n  samples: 2\n  space:\n    units: {choice: [8, 16]}\n",
            message: "7:12: units is sampled by search: and also set at line 3; set it in one place"),
        BadExperimentFile(
            label: "halving without a validation split",
            yaml: "name: x\ndefaults: {epochs: 6}\nearly_stopping: {method: successive_halving, min_epochs: 1}\n",
            message: "3:17: early_stopping: val_accuracy needs validation_split > 0, and trial #1 has none; set e.g. "
                + "validation_split: 0.1 at the top level"),
        BadExperimentFile(
            label: "halving with nothing to stop",
            yaml: "name: x\nvalidation_split: 0.1\ndefaults: {epochs: 2}\n"
                + "early_stopping: {method: successive_halving, min_epochs: 2}\n",
            message: "4:17: early_stopping: min_epochs 2 is not below epochs 2: no rung would stop anything"),
        BadExperimentFile(
            label: "halving metric",
            yaml: "name: x\nearly_stopping: {method: successive_halving, metric: accuracy, min_epochs: 1}\n",
            message:
                "2:54: early_stopping: metric: 'accuracy' is not a validation metric; allowed: val_loss, val_accuracy, "
                + "val_mae, val_rmse"),
        BadExperimentFile(
            label: "empty grid mapping", yaml: "name: x\ngrid: {}\n", message: "2:7: grid: this block has no keys"),
        BadExperimentFile(
            label: "empty grid list", yaml: "name: x\ngrid: []\n", message: "2:7: grid: is an empty list"),
        BadExperimentFile(
            label: "empty value list", yaml: "name: x\ngrid:\n  units: []\n",
            message: "3:10: grid: 'units' has an empty list of values"),
        BadExperimentFile(
            label: "too many trials", yaml: "name: x\ngrid:\n  units: [8, 16, 32]\nseeds: 2\n", maxTrials: 5,
            message: "2:1: the experiment expands to more than 5 trials (3 grid points before exclusions × 2 seeds); "
                + "split it or shrink the grid"),
        BadExperimentFile(
            label: "too many trials after exclusions",
            yaml: "name: x\ngrid:\n  units: [8, 16, 32]\n  cell: [gru, lstm]\nexclude:\n  - {units: 8}\n", maxTrials: 3,
            message: "2:1: the experiment expands to more than 3 trials (6 grid points before exclusions × 1 seeds); "
                + "split it or shrink the grid"),
        // `plan --max-trials 9000000000000000000` once expanded until memory ran out.
        BadExperimentFile(
            label: "a limit above the ceiling is the ceiling",
            yaml:
                "name: x\ngrid:\n  units: [\(Array(1...1001).map(String.init).joined(separator: ", "))]\nseeds: 1000\n",
            maxTrials: .max,
            message: "2:1: the experiment expands to more than 1000000 trials (1001 grid points before exclusions × "
                + "1000 seeds); split it or shrink the grid"),
        BadExperimentFile(
            label: "the ceiling holds with exclusions",
            yaml: "name: x\ngrid:\n  units: [\(Array(1...1001).map(String.init).joined(separator: ", "))]\n"
                + "exclude:\n  - {units: 1}\nseeds: 1000\n", maxTrials: .max,
            message: "2:1: the experiment expands to 1001000 trials before exclusions, more than rnnsweep expands in "
                + "any case (1000000); split it or shrink the grid"),
        BadExperimentFile(
            label: "duplicate trials",
            yaml: "name: x\ngrid:\n  - {units: 8, cell: gru}\n  - {cell: [lstm, gru], units: 8.0}\n",
            message: "4:19: grid point 3 (cell=gru, units=8) resolves to the same parameters as grid point 1 at 3:13 "
                + "(units=8, cell=gru); remove one of them"),
        BadExperimentFile(
            label: "default repeated in grid",
            yaml: "name: x\ndefaults: {units: 8}\ngrid: {cell: [gru], units: [8, 8]}\n",
            message: "3:32: grid point 2 (cell=gru, units=8) resolves to the same parameters as grid point 1 at 3:29 "
                + "(cell=gru, units=8); remove one of them"),
        BadExperimentFile(
            label: "seed in grid", yaml: "name: x\ngrid:\n  seed: [1, 2]\n",
            message: "3:3: seed cannot be a grid key; list seeds in the top-level 'seeds:' key, e.g. seeds: [1, 2, 3]"),
        BadExperimentFile(
            label: "seed in defaults", yaml: "name: x\ndefaults: {seed: 3}\n",
            message:
                "2:12: seed cannot be set in defaults; list seeds in the top-level 'seeds:' key, e.g. seeds: [1, 2, 3]"),
        BadExperimentFile(
            label: "momentum with adam", yaml: "name: x\ndefaults:\n  momentum: 0.9\ngrid:\n  optimizer: [sgd, adam]\n",
            message: "3:13: momentum: 0.9 is only allowed with optimizer sgd (optimizer is adam); "
                + "in the grid point optimizer=adam"),
        BadExperimentFile(
            label: "exclude with unknown key", yaml: "name: x\ngrid: {units: 8}\nexclude:\n  - {unit: 8}\n",
            message: "4:6: unknown parameter 'unit' in exclude; did you mean 'units'?"),
        BadExperimentFile(
            label: "seeds listed twice", yaml: "name: x\nseeds: [1, 2, 1]\n", message: "2:15: seeds: 1 is listed twice"),
        BadExperimentFile(
            label: "seeds zero", yaml: "name: x\nseeds: 0\n",
            message: "2:8: seeds: expected a count ≥ 1 or a list of seeds"),
        BadExperimentFile(
            label: "list where a value belongs", yaml: "name: x\ndefaults:\n  units: [8, 16]\n",
            message: "3:10: units: expected a single value, not a list or mapping"),
        BadExperimentFile(
            label: "data key twice", yaml: "name: x\ndataset: mnist\ndefaults: {dataset: adding}\n",
            message: "3:21: dataset is already set at the top level (line 2); set it once"),
        BadExperimentFile(
            label: "grid without values", yaml: "name: x\ngrid:\n",
            message: "2:6: grid: expected a mapping of parameter: [values] or a list of them"),
        BadExperimentFile(
            label: "two documents", yaml: "name: x\n---\nname: y\n",
            message: "2:1: malformed YAML: expected a single document in the stream at 1:1: but found another document"
        ),
        BadExperimentFile(
            label: "empty file", yaml: "", message: "1:1: the experiment file is empty; it needs at least 'name:'"),
    ]

    @Test(arguments: cases)
    func badFileIsRejectedWithPosition(_ bad: BadExperimentFile) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.yaml").path
        try bad.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let experiment = try ExperimentFile.load(path: path, maxTrials: bad.maxTrials)
            Issue.record("accepted: \(experiment.name)")
        } catch {
            #expect(error.description == "\(path):\(bad.message)")
        }
    }

    @Test func errorKindsCanBeMatched() throws {
        do {
            _ = try ExperimentFile.parse(yaml: "name: x\ngrid: {seed: 1}\n", path: "k.yaml")
            Issue.record("seed in grid was accepted")
        } catch {
            #expect(error.kind == .misplacedKey("seed"))
            #expect(error.position == SourcePosition(line: 2, column: 8))
        }
    }
}
