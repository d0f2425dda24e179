import Foundation
import RNNSweep
import RNNTestSupport
import Testing

extension EndToEnd {
    /// `rnnsweep report` on a database a real sweep wrote during the test, with one grid point (on a larger npz
    /// file) whose workers are killed: the table's structure exactly, and every number checked against the database.
    @Suite struct ReportEndToEndTests {
        static let yaml = """
            name: report
            dataset: sum-sign
            sequence_length: 12
            samples: 400
            defaults:
              optimizer: adam
              epochs: 2
              batch_size: 50
              units: 8
            grid:
              - cell: [simple_rnn, gru]
              - dataset: [npz]
                data_dir: [slow.npz]
            seeds: [1, 2]

            """

        /// The rows the report must show, in grid order, with the database's values of their completed trials.
        struct ExpectedRow {
            var dataset: String
            var cell: String
            var dataDir: String?
            var trainAccuracy: [Double] = []
            var testAccuracy: [Double] = []
            var failed = 0
        }

        /// 60000 sequences of 12 steps: slow enough that its trials are caught running.
        static func writeSlowData(_ workspace: SweepWorkspace) throws {
            let count = 60000
            let x = (0..<(count * 12)).map { Float(($0 * 7919) % 13) / 13 - 0.5 }
            let y = (0..<count).map { Int64(x[$0 * 12] > 0 ? 1 : 0) }
            try NPZWriter.npz(
                at: workspace.directory.appendingPathComponent("slow.npz").path,
                [
                    ("x_train", NPZWriter.npy(x, shape: [count, 12, 1])), ("y_train", NPZWriter.npy(y, shape: [count])),
                    ("x_test", NPZWriter.npy(Array(x.prefix(1200)), shape: [100, 12, 1])),
                    ("y_test", NPZWriter.npy(Array(y.prefix(100)), shape: [100])),
                ], compressed: false)
        }

        @Test func reportsOfARealSweepMatchTheDatabaseInEveryFormat() throws {
            let workspace = try SweepWorkspace()
            try Self.writeSlowData(workspace)
            let coordinator = try workspace.start([
                "run", try workspace.write("report.yaml", Self.yaml), "--workers", "2",
            ])
            // The npz grid point's two trials fail: their workers are killed as soon as they run.
            let database = workspace.sweepDatabase("report")
            var killed = Set<String>()
            while killed.count < 2 {
                let victim = waitFor("a running trial of the npz grid point with its live worker") {
                    database.trials()?.first { trial in
                        guard trial.status == .running, !killed.contains(trial.id), let pid = trial.workerPID,
                            trial.paramsJSON.contains("\"dataset\":\"npz\""),
                            ProcessProbe.parent(of: Int32(pid)) == coordinator.pid
                        else { return false }
                        return true
                    }
                }
                guard let victim, let pid = victim.workerPID else { break }
                #expect(kill(Int32(pid), SIGKILL) == 0)
                killed.insert(victim.id)
            }
            let run = coordinator.wait()
            #expect(run.status == 1, "two trials fail, so the run fails: \(run)")
            #expect(run.stdout.contains("summary: 4 completed, 2 failed"), "\(run)")
            let rows = try expectedRows(workspace.sweepDatabase("report"))
            try #require(rows.map(\.failed) == [0, 0, 2] && rows.map(\.trainAccuracy.count) == [2, 2, 0])

            let csv = try workspace.run(["report", "--format", "csv"])
            #expect(csv.status == 0, "\(csv)")
            try checkCSV(csv.stdout, rows)
            // Which test accuracies share the best's mark comes from Welch's test (unit-tested on its own);
            // here Markdown must bold exactly the rows CSV calls tied.
            let records = try CSVReader.records(csv.stdout)
            let tiedColumn = try #require(records[0].firstIndex(of: "tied_with_best"))
            let pColumn = try #require(records[0].firstIndex(of: "p_vs_best"))
            let tied = records.dropFirst().map { $0[tiedColumn] == "true" }
            let best = records.dropFirst().map { $0[tiedColumn] == "true" && $0[pColumn].isEmpty }
            let markdown = try workspace.run(["report", "--format", "markdown"])
            #expect(markdown.status == 0, "\(markdown)")
            try checkMarkdown(markdown.stdout, rows, tied: tied, best: best)
            let json = try workspace.run(["report", "--format", "json"])
            #expect(json.status == 0, "\(json)")
            try checkJSON(json.stdout, rows)
        }

        private func expectedRows(_ database: SweepDatabase) throws -> [ExpectedRow] {
            let trials = try #require(database.trials())
            let epochs = try #require(database.epochs())
            #expect(trials.count == 6)
            var rows: [ExpectedRow] = []
            for trial in trials {
                let params = try TrialParameters.decode(trial.paramsJSON)
                let dataset = params["dataset"]?.description ?? "?"
                let cell = params["cell"]?.description ?? "?"
                let dataDir = params["data_dir"].map(\.description)
                var index = rows.firstIndex { $0.dataset == dataset && $0.cell == cell }
                if index == nil {
                    rows.append(ExpectedRow(dataset: dataset, cell: cell, dataDir: dataDir))
                    index = rows.count - 1
                }
                switch trial.status {
                case .completed:
                    rows[index!].trainAccuracy.append(try #require(epochs[trial.id]?.last?.accuracy))
                    rows[index!].testAccuracy.append(try #require(trial.testAccuracy))
                case .failed:
                    rows[index!].failed += 1
                    #expect(trial.signal == 9 && trial.exitStatus == nil)
                    #expect(trial.error?.contains("signal 9") == true, "\(trial.error ?? "no error")")
                default:
                    Issue.record("trial \(trial.id) is \(trial.status)")
                }
            }
            return rows
        }

        /// `tied`: CSV's `tied_with_best` per row (the best and the rows the seeds cannot tell from it); `best`: the
        /// best row (tied, without a p).
        private func checkMarkdown(_ text: String, _ rows: [ExpectedRow], tied: [Bool], best: [Bool]) throws {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(
                lines.count == 4 + rows.count + 3, "caption, blank, header, separator, rows, blank, footnote, newline")
            #expect(
                lines.first
                    == "Sweep report — 8 units, Adam (learning rate 0.001), batch 50, 2 epochs, 2 seeds, metrics at the "
                    + "last epoch, test accuracy compared with the best row by Welch's t-test.")
            #expect(lines[1].isEmpty && lines.last?.isEmpty == true && lines[lines.count - 3].isEmpty)
            let footnote = lines[lines.count - 2]
            #expect(
                footnote.hasPrefix(
                    "★ best (bold): the best test accuracy among the rows with 2 or more completed seeds.")
                    && footnote.contains("over 1 comparison, adjusted p ≤ α = 0.05.")
                    && footnote.contains("1 row has fewer than 2 completed seeds and is not compared."),
                "\(footnote)")
            #expect(tied.count == rows.count && best.filter { $0 }.count == 1)
            let table = Array(lines[2..<(lines.count - 3)])
            #expect(Set(table.map(\.count)).count == 1, "every table line padded to the same width")
            let cells = try table.map { line in
                try #require(line.hasPrefix("| ") && line.hasSuffix(" |"), "\(line)")
                return line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
            #expect(
                cells[0] == [
                    "Dataset", "Cell", "Data Dir", "Regularizer", "Train Accuracy, %", "Test Accuracy, %", "vs Best",
                    "n", "Status",
                ])
            let alignment = cells[1].map { $0.hasPrefix(":") ? "left" : $0.hasSuffix(":") ? "right" : "?" }
            #expect(alignment == ["left", "left", "left", "left", "right", "right", "left", "right", "left"])
            #expect(cells[1].allSatisfy { $0.allSatisfy { $0 == "-" || $0 == ":" } && $0.count >= 3 })
            let body = Array(cells.dropFirst(2))
            #expect(body.count == rows.count)
            let bestTrain = rows.compactMap { Moments($0.trainAccuracy) }.max { $0.mean < $1.mean }
            for (index, (cells, row)) in zip(body, rows).enumerated() {
                let cellName = ["simple_rnn": "SimpleRNN", "gru": "GRU"][row.cell] ?? row.cell
                #expect(Array(cells.prefix(4)) == [row.dataset, cellName, row.dataDir ?? "–", "None"])
                for (cell, values, bold) in [
                    (cells[4], row.trainAccuracy, Moments(row.trainAccuracy)?.percent == bestTrain?.percent),
                    (cells[5], row.testAccuracy, best[index]),
                ] {
                    if let moments = Moments(values) {
                        let text = moments.percent
                        #expect(cell == (bold ? "**\(text)**" : text), "\(row)")
                    } else {
                        #expect(cell == "failed")
                    }
                }
                // The mark: ★ for the best, ≈ with an interval for a tie, ▼ with p for a loser, none when not compared.
                let mark =
                    best[index] ? "★ best" : tied[index] ? "≈ " : row.testAccuracy.count >= 2 ? "▼ p = " : ""
                #expect(mark.isEmpty ? cells[6].isEmpty : cells[6].hasPrefix(mark), "\(cells[6])")
                #expect(cells[7] == String(row.trainAccuracy.count))
                #expect(cells[8] == (row.failed == 0 ? "completed" : "failed"))
            }
        }

        private func checkCSV(_ text: String, _ rows: [ExpectedRow]) throws {
            #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let records = try CSVReader.records(text)
            #expect(
                records.first == [
                    "dataset", "cell", "data_dir", "dropout", "recurrent_dropout", "train_accuracy_mean",
                    "train_accuracy_std", "test_accuracy_mean", "test_accuracy_std", "n", "status", "diff_vs_best",
                    "ci95_low", "ci95_high", "seeds_for_80_power", "at_chance", "p_vs_best", "tied_with_best",
                ])
            #expect(records.count == 1 + rows.count)
            for (fields, row) in zip(records.dropFirst(), rows) {
                #expect(fields.count == 18)
                // Two rows of 2 seeds are compared (one is the best: no p), the failed row is not.
                let compared = row.testAccuracy.count >= 2
                #expect(fields[17].isEmpty == !compared)
                if !compared { #expect(fields[16].isEmpty) }
                if let p = Double(fields[16]) {
                    #expect(p > 0 && p <= 1 && (p > 0.05) == (fields[17] == "true"))
                    // The compared row's difference from the best lies inside its 95 % interval.
                    let (difference, low, high) = (Double(fields[11])!, Double(fields[12])!, Double(fields[13])!)
                    #expect(low < difference && difference < high, "\(fields)")
                    // Seeds for 80 % power only for a row the seeds cannot tell from the best.
                    #expect(fields[14].isEmpty == (fields[17] == "false"), "\(fields)")
                }
                // Chance is known from the recorded test confusion matrices of completed trials.
                #expect(fields[15].isEmpty == row.testAccuracy.isEmpty, "\(fields)")
                #expect(Array(fields.prefix(5)) == [row.dataset, row.cell, row.dataDir ?? "", "0", "0"])
                for (offset, values) in [(5, row.trainAccuracy), (7, row.testAccuracy)] {
                    let moments = Moments(values)
                    #expect(fields[offset].isEmpty == (moments == nil))
                    #expect(fields[offset + 1].isEmpty == (moments?.standardDeviation == nil))
                    if let moments {
                        // Shortest round-trip text: reading it back gives the very Double.
                        #expect(Double(fields[offset]) == moments.mean, "\(fields)")
                        #expect(Double(fields[offset + 1]) == moments.standardDeviation, "\(fields)")
                    }
                }
                #expect(fields[9] == String(row.trainAccuracy.count))
                #expect(fields[10] == (row.failed == 0 ? "completed" : "failed"))
            }
        }

        private func checkJSON(_ text: String, _ rows: [ExpectedRow]) throws {
            // JSONDecoder (unlike Linux's JSONSerialization) reads the shortest round-trip text back exactly.
            let objects = try JSONDecoder().decode([[String: JSONField]].self, from: Data(text.utf8))
            #expect(objects.count == rows.count)
            for (object, row) in zip(objects, rows) {
                // A row with completed trials carries their test set by class.
                #expect(
                    Set(object.keys)
                        == Set([
                            "dataset", "cell", "data_dir", "dropout", "recurrent_dropout", "train_accuracy_mean",
                            "train_accuracy_std", "test_accuracy_mean", "test_accuracy_std", "n", "status", "p_vs_best",
                            "tied_with_best", "diff_vs_best", "ci95_low", "ci95_high", "seeds_for_80_power",
                            "at_chance",
                        ]).union(row.testAccuracy.isEmpty ? [] : ["test_by_class"]))
                if case .array(let trials) = object["test_by_class"] {
                    #expect(trials.count == row.testAccuracy.count)
                    for (trial, accuracy) in zip(trials, row.testAccuracy) {
                        // The confusion matrix's diagonal is what test accuracy counts.
                        guard case .object(let fields) = trial, case .array(let matrix)? = fields["confusion"] else {
                            Issue.record("test_by_class entry without a confusion matrix: \(trial)")
                            continue
                        }
                        let counts = matrix.map { row -> [Double] in
                            guard case .array(let cells) = row else { return [] }
                            return cells.compactMap { if case .number(let n) = $0 { n } else { nil } }
                        }
                        let total = counts.joined().reduce(0, +)
                        let correct = counts.indices.reduce(0.0) { $0 + counts[$1][$1] }
                        #expect(correct / total == accuracy, "\(counts) against \(accuracy)")
                    }
                }
                #expect(object["dataset"] == .string(row.dataset) && object["cell"] == .string(row.cell))
                // A parameter the trial does not set is null.
                #expect(object["data_dir"] == row.dataDir.map(JSONField.string) ?? .null)
                for (name, values) in [("train_accuracy", row.trainAccuracy), ("test_accuracy", row.testAccuracy)] {
                    if let moments = Moments(values) {
                        #expect(object["\(name)_mean"] == .number(moments.mean), "\(object)")
                        #expect(object["\(name)_std"] == moments.standardDeviation.map(JSONField.number), "\(object)")
                    } else {
                        #expect(object["\(name)_mean"] == .null && object["\(name)_std"] == .null)
                    }
                }
                #expect(object["n"] == .number(Double(row.trainAccuracy.count)))
                #expect(object["status"] == .string(row.failed == 0 ? "completed" : "failed"))
                #expect((object["tied_with_best"] == .null) == (row.testAccuracy.count < 2))
            }
        }
    }
}

/// One scalar of a JSON report row.
enum JSONField: Decodable, Equatable {
    case number(Double), string(String), bool(Bool), null
    indirect case array([JSONField]), object([String: JSONField])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let array = try? container.decode([JSONField].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONField].self) {
            self = .object(object)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// Mean and sample standard deviation, computed the way a report documents it (sum left to right, n − 1).
struct Moments: Equatable {
    var mean: Double
    var standardDeviation: Double?

    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        mean = values.reduce(0, +) / n
        let m = mean
        standardDeviation =
            values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : nil
    }

    /// The Markdown text of an accuracy: percent with two decimals, `mean ± std`.
    var percent: String {
        String(format: "%.2f", 100 * mean) + (standardDeviation.map { String(format: " ± %.2f", 100 * $0) } ?? "")
    }
}
