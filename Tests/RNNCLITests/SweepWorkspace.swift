import Foundation

/// A temporary directory for one test: experiment files, the results database `r.sqlite` and the checkpoints the
/// coordinator writes next to it. Removed when released.
final class SweepWorkspace {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// `<workspace>/r.sqlite`, the `--db` of every test.
    var database: URL { directory.appendingPathComponent("r.sqlite") }

    /// Writes `text` to `name` in the workspace and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The names in the workspace directory, sorted.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// Runs `rnnsweep ARGUMENTS --db <workspace>/r.sqlite` in the workspace and waits for it.
    func run(_ arguments: [String]) throws -> CommandResult {
        try rnnsweep(arguments + ["--db", database.path], in: directory)
    }

    /// Starts `rnnsweep ARGUMENTS --db <workspace>/r.sqlite` in the workspace.
    func start(_ arguments: [String]) throws -> CommandProcess {
        try CommandProcess(arguments + ["--db", database.path], in: directory)
    }

    func sweepDatabase(_ sweep: String) -> SweepDatabase { SweepDatabase(url: database, sweep: sweep) }
}

/// A small experiment on a zero-install synthetic dataset: the cartesian product of `cells` × `units`, run once
/// per seed.
struct TinySweep {
    var name: String
    var dataset = "sum-sign"
    var sequenceLength = 30
    var samples = 3000
    var epochs = 6
    var batchSize = 32
    var cells = ["simple_rnn", "gru"]
    var units = [16, 32]
    var seeds = [1]
    /// Written single-quoted, so any text survives YAML.
    var description = "end-to-end test sweep"

    var trialCount: Int { cells.count * units.count * seeds.count }

    var yaml: String {
        """
        name: \(name)
        description: '\(description.replacingOccurrences(of: "'", with: "''"))'
        dataset: \(dataset)
        sequence_length: \(sequenceLength)
        samples: \(samples)
        defaults:
          optimizer: adam
          epochs: \(epochs)
          batch_size: \(batchSize)
        grid:
          cell: [\(cells.joined(separator: ", "))]
          units: [\(units.map(String.init).joined(separator: ", "))]
        seeds: [\(seeds.map(String.init).joined(separator: ", "))]

        """
    }
}
