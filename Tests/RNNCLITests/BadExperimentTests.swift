import Foundation
import Testing

/// An experiment file `rnnsweep run` must refuse, and what its error must say.
struct BadExperiment: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var arguments: [String] = []
    /// `line:column: message fragment`, after the file name.
    var expected: String

    var testDescription: String { name }

    static let all: [BadExperiment] = [
        BadExperiment(
            name: "unknown key", yaml: "name: bad\ndataset: sum-sign\nsampels: 100\ngrid:\n  units: [4]\n",
            expected: "3:1: unknown key 'sampels'; did you mean 'samples'?"),
        BadExperiment(
            name: "wrong type", yaml: "name: bad\ndataset: sum-sign\ngrid:\n  units: [four]\n",
            expected: "4:11: units: 'four' is not an integer"),
        BadExperiment(
            name: "dropout out of range",
            yaml: "name: bad\ndataset: sum-sign\ndefaults:\n  dropout: 1.5\ngrid:\n  units: [4]\n",
            expected: "4:12: dropout: 1.5 is out of range"),
        BadExperiment(
            name: "malformed YAML", yaml: "name: bad\ndataset: sum-sign\ngrid:\n  units: [4, 8\n  cell: [gru]\n",
            expected: "5:7: malformed YAML"),
        BadExperiment(
            name: "empty grid", yaml: "name: bad\ndataset: sum-sign\ngrid: []\n",
            expected: "3:7: grid: is an empty list"),
        BadExperiment(
            name: "a model option of another network in a grid point",
            yaml: "name: bad\ndataset: sum-sign\ngrid:\n  - network: [mlp]\n    layers: [2]\n    cell: [lstm]\n",
            expected:
                "6:12: cell: 'lstm' does not apply to network mlp (it is an option of network rnn); remove it; "
                + "in the grid point network=mlp, layers=2, cell=lstm"),
        BadExperiment(
            name: "more trials than --max-trials",
            yaml: "name: bad\ndataset: sum-sign\ngrid:\n  units: [4, 8]\n  cell: [gru, lstm]\n",
            arguments: ["--max-trials", "3"], expected: "3:1: the experiment expands to more than 3 trials"),
    ]
}

extension EndToEnd {
    /// Invalid experiment files are rejected with a positioned message before the database is touched.
    @Suite struct BadExperimentTests {
        @Test(arguments: BadExperiment.all)
        func badFileIsRejectedAndNoDatabaseIsCreated(_ bad: BadExperiment) throws {
            let workspace = try SweepWorkspace()
            try workspace.write("bad.yaml", bad.yaml)
            let result = try workspace.run(["run", "bad.yaml"] + bad.arguments)
            #expect(result.status == 2 && !result.signaled, "\(result)")
            #expect(result.stderr.contains("error: bad.yaml:\(bad.expected)"), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(try workspace.contents() == ["bad.yaml"], "nothing but the experiment file")
        }

        @Test func badFilesLeaveAnExistingDatabaseByteIdentical() throws {
            let workspace = try SweepWorkspace()
            let good = TinySweep(name: "good", sequenceLength: 10, samples: 200, epochs: 1, cells: ["gru"], units: [4])
            let first = try workspace.run(["run", try workspace.write("good.yaml", good.yaml), "--workers", "1"])
            try #require(first.status == 0, "\(first)")
            let before = try snapshot(workspace)
            #expect(before.keys.contains("r.sqlite"))

            for bad in BadExperiment.all {
                try workspace.write("bad.yaml", bad.yaml)
                let result = try workspace.run(["run", "bad.yaml"] + bad.arguments)
                #expect(result.status == 2, "\(bad.name): \(result)")
                #expect(result.stderr.contains("bad.yaml:\(bad.expected)"), "\(bad.name): \(result)")
                #expect(try snapshot(workspace) == before, "\(bad.name) changed the results directory")
            }
        }

        /// Every file under the workspace (database, WAL, checkpoints, lock) but the experiment files, with its bytes.
        private func snapshot(_ workspace: SweepWorkspace) throws -> [String: Data] {
            var files: [String: Data] = [:]
            let root = workspace.directory.resolvingSymlinksInPath().path
            let enumerator = FileManager.default.enumerator(
                at: workspace.directory, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true,
                    url.pathExtension != "yaml"
                else { continue }
                let path = url.resolvingSymlinksInPath().path
                files[String(path.dropFirst(root.count + 1))] = try Data(contentsOf: url)
            }
            return files
        }
    }
}
