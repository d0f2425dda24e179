import Foundation
import RNNSweep
import RNNTraining
import Testing

extension EndToEnd {
    /// `report --objectives` and `report --compare` on databases that real sweeps wrote during the test (synthetic
    /// data, one epoch): the CLI end to end, numbers checked against each other and against Keras's parameter counts.
    @Suite struct TradeoffsEndToEndTests {
        /// Sweep `name` on `sum-sign` (1 feature, 2 classes): SimpleRNN and GRU × `units` × seeds 1, 2.
        static func sweep(_ name: String, units: [Int], description: String = "tradeoffs") -> TinySweep {
            TinySweep(
                name: name, sequenceLength: 8, samples: 200, epochs: 1, batchSize: 50, units: units, seeds: [1, 2],
                description: description)
        }

        /// Keras's trainable parameters on 1 feature and 2 classes, plus the Dense(2) head.
        static func kerasParameters(cell: String, units u: Int) -> Double {
            let recurrent = cell == "gru" ? 3 * (u * (1 + u) + 2 * u) : u * (1 + u) + u
            return Double(recurrent + 2 * u + 2)
        }

        /// Runs `left` (units 4, 8) and `right` (units 8, 16) into the workspace's database.
        static func twoSweeps(_ workspace: SweepWorkspace) throws {
            for sweep in [Self.sweep("left", units: [4, 8]), Self.sweep("right", units: [8, 16])] {
                let run = try workspace.run(["run", try workspace.write("\(sweep.name).yaml", sweep.yaml)])
                try #require(run.status == 0, "\(run)")
            }
        }

        @Test func objectivesMarkTheFrontAndParamsEqualsKeras() throws {
            let workspace = try SweepWorkspace()
            try Self.twoSweeps(workspace)
            let csv = try workspace.run([
                "report", "left", "--format", "csv", "--objectives", "test_accuracy,seconds,params",
            ])
            try #require(csv.status == 0, "\(csv)")
            let records = try CSVReader.records(csv.stdout)
            let header = records[0]
            let column = { (name: String) in header.firstIndex(of: name)! }
            for name in ["test_accuracy_mean", "seconds_mean", "params_mean", "pareto"] {
                #expect(header.contains(name), "\(header)")
            }
            let rows = records.dropFirst()
            #expect(rows.count == 4)
            for row in rows {
                let expected = Self.kerasParameters(cell: row[column("cell")], units: Int(row[column("units")])!)
                #expect(Double(row[column("params_mean")]) == expected, "\(row)")
            }
            // The marks are the definition applied to the printed means.
            let points = rows.map { row in
                ["test_accuracy_mean", "seconds_mean", "params_mean"].map { Double(row[column($0)])! }
            }
            let better = { (a: [Double], b: [Double]) in
                a[0] >= b[0] && a[1] <= b[1] && a[2] <= b[2] && (a[0] > b[0] || a[1] < b[1] || a[2] < b[2])
            }
            let expected = points.map { point in !points.contains { better($0, point) } }
            #expect(rows.map { $0[column("pareto")] == "true" } == expected)
            #expect(expected.contains(true))

            let markdown = try workspace.run(["report", "left", "--objectives", "test_accuracy,params"])
            #expect(markdown.stdout.contains("| Pareto |"), "\(markdown)")
            #expect(markdown.stdout.contains("objectives: test accuracy (higher is better), params (lower is better)."))

            // Each trial's count is the one its worker reported when it started, stored with the trial.
            let stored = try #require(workspace.sweepDatabase("left").trials())
            #expect(stored.count == 8)
            for trial in stored {
                let params = try TrialParameters.decode(trial.paramsJSON)
                let expected = Self.kerasParameters(
                    cell: params["cell"]!.description, units: params["units"]!.intValue!)
                #expect(trial.parameterCount.map(Double.init) == expected, "\(trial.id)")
            }

            let bad = try workspace.run(["report", "left", "--objectives", "test_accuracy,epochs"])
            #expect(bad.status != 0 && bad.stderr.contains("epochs has no better direction"), "\(bad)")
        }

        @Test func compareMatchesConfigurationsInEveryFormat() throws {
            let workspace = try SweepWorkspace()
            try Self.twoSweeps(workspace)
            let markdown = try workspace.run(["report", "left", "--compare", "right"])
            try #require(markdown.status == 0, "\(markdown)")
            #expect(
                markdown.stdout.hasPrefix(
                    "A = sweep left, B = sweep right — test accuracy, rows matched on cell, units "
                        + "(2 of 6 configurations in both)."), "\(markdown.stdout)")
            #expect(markdown.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 2 + 6)

            let csv = try workspace.run(["report", "left", "--compare", "right", "--format", "csv"])
            let records = try CSVReader.records(csv.stdout)
            let header = records[0]
            let value = { (row: [String], name: String) in Double(row[header.firstIndex(of: name)!]) }
            #expect(header.prefix(2) == ["cell", "units"])
            let rows = Array(records.dropFirst())
            #expect(rows.map { $0[1] } == ["4", "8", "4", "8", "16", "16"])
            for row in rows {
                let matched = row[1] == "8"
                #expect((value(row, "a_mean") != nil) == (row[1] != "16"), "\(row)")
                #expect((value(row, "b_mean") != nil) == (row[1] != "4"), "\(row)")
                guard matched else {
                    #expect(value(row, "difference") == nil && value(row, "p") == nil)
                    continue
                }
                let a = try #require(value(row, "a_mean"))
                let b = try #require(value(row, "b_mean"))
                let difference = try #require(value(row, "difference"))
                #expect(abs(difference - (a - b)) < 1e-12)
                if let low = value(row, "ci_low"), let high = value(row, "ci_high"), let p = value(row, "p") {
                    #expect(low <= difference && difference <= high && (0...1).contains(p), "\(row)")
                }
            }

            let json = try workspace.run(["report", "left", "--compare", "right", "--format", "json"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
            #expect(object["metric"] as? String == "test_accuracy")
            #expect((object["rows"] as? [Any])?.count == 6)

            // Sorting picks the metric.
            let seconds = try workspace.run(["report", "left", "--compare", "right", "--sort", "seconds"])
            #expect(seconds.stdout.contains("A: Seconds"), "\(seconds)")
        }

        @Test func compareWithASweepOfTheSameNameInAnotherDatabase() throws {
            let workspace = try SweepWorkspace()
            try Self.twoSweeps(workspace)
            let other = workspace.directory.appendingPathComponent("other.sqlite")
            let sweep = Self.sweep("left", units: [8, 16])
            let run = try rnnsweep(
                ["run", try workspace.write("other.yaml", sweep.yaml), "--db", other.path], in: workspace.directory)
            try #require(run.status == 0, "\(run)")
            let markdown = try workspace.run(["report", "left", "--compare-db", other.path])
            try #require(markdown.status == 0, "\(markdown)")
            #expect(
                markdown.stdout.hasPrefix("A = sweep left (r.sqlite), B = sweep left (other.sqlite) — test accuracy"),
                "\(markdown.stdout)")
            let missing = try workspace.run(["report", "left", "--compare", "nope", "--compare-db", other.path])
            #expect(missing.status != 0 && missing.stderr.contains("no sweep named nope"), "\(missing)")
        }
    }
}
