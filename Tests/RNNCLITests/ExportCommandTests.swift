import Foundation
import GRDB
import RNNSweep
import RNNTestSupport
import RNNTraining
import Testing

extension EndToEnd {
    /// `export`, `evaluate` and `predict` on a real sweep's checkpoints: the best trial picked by the rule, the
    /// weights carried over unchanged, the database's test metrics reproduced bit for bit, and bad requests refused
    /// before anything is written.
    @Suite struct ExportCommandTests {
        /// Token ids `[N, 6]` over 2…7, post-padded with 0 to 1…6 real steps; label: whether id 3 occurs. Returns the
        /// file and the test labels.
        static func tokenData(in workspace: SweepWorkspace) throws -> (path: String, testLabels: [Int]) {
            func split(_ count: Int, offset: Int) -> (x: [Int64], y: [Int64]) {
                var x = [Int64](repeating: 0, count: count * 6)
                var y = [Int64](repeating: 0, count: count)
                for n in 0..<count {
                    let length = 1 + (n + offset) % 6
                    for t in 0..<length { x[n * 6 + t] = Int64(2 + (n * 7 + t * 3 + offset) % 6) }
                    y[n] = x[(n * 6)..<(n * 6 + length)].contains(3) ? 1 : 0
                    // Some test labels flipped, so that no model is perfect and the metrics tell trials apart.
                    if offset > 0 && n % 9 == 0 { y[n] = 1 - y[n] }
                }
                return (x, y)
            }
            let train = split(200, offset: 0)
            let test = split(70, offset: 5)
            let path = workspace.directory.appendingPathComponent("tokens.npz").path
            try NPZWriter.npz(
                at: path,
                [
                    ("x_train", NPZWriter.npy(train.x, shape: [200, 6])),
                    ("y_train", NPZWriter.npy(train.y, shape: [200])),
                    ("x_test", NPZWriter.npy(test.x, shape: [70, 6])),
                    ("y_test", NPZWriter.npy(test.y, shape: [70])),
                ], compressed: false)
            return (path, test.y.map { Int($0) })
        }

        /// Runs a sweep of four small token models (LSTM and GRU, two widths; batch 32, so the test split of 70 ends
        /// in a partial batch) and returns the workspace, the data and the trials.
        static func sweep() throws -> (SweepWorkspace, (path: String, testLabels: [Int]), [TrialRow]) {
            let workspace = try SweepWorkspace()
            let data = try tokenData(in: workspace)
            let file = try workspace.write(
                "t.yaml",
                """
                name: tokens
                dataset: npz
                data_dir: \(data.path)
                defaults:
                  input: tokens
                  mask: zeros
                  embedding_dim: 4
                  optimizer: adam
                  learning_rate: 0.01
                  epochs: 2
                  batch_size: 32
                grid:
                  cell: [lstm, gru]
                  units: [4, 8]

                """)
            let run = try workspace.run(["run", file, "--workers", "2"])
            #expect(run.status == 0, "\(run)")
            let trials = try #require(workspace.sweepDatabase("tokens").trials())
            #expect(trials.count == 4 && trials.allSatisfy { $0.status == .completed })
            return (workspace, data, trials)
        }

        /// `key: value` lines of `evaluate`'s output.
        static func value(_ key: String, in text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix("\(key): ") }.flatMap {
                Double($0.dropFirst(key.count + 2).split(separator: " ")[0])
            }
        }

        @Test func exportBestThenEvaluateAndPredictReproduceTheDatabase() throws {
            let (workspace, data, trials) = try Self.sweep()
            let best = try #require(
                trials.min { a, b in
                    a.testAccuracy! != b.testAccuracy! ? a.testAccuracy! > b.testAccuracy! : a.ordinal < b.ordinal
                })
            let output = workspace.directory.appendingPathComponent("best")
            let export = try workspace.run(["export", "tokens", "--best", "--output", output.path])
            #expect(export.status == 0, "\(export)")
            #expect(export.stdout.contains("exported trial \(best.id) (#\(best.ordinal)"), "\(export.stdout)")
            #expect(export.stdout.contains("the best by test accuracy"), "\(export.stdout)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [
                    "model.py", "model.safetensors", "parameters.json",
                ])

            // The weights are the checkpoint's, by name, shape and value.
            let checkpointFolder = workspace.directory.appendingPathComponent("r.runs/tokens/\(best.id)")
            let checkpoint = try SafeTensors.decode(
                Data(contentsOf: checkpointFolder.appendingPathComponent("checkpoint.safetensors")))
            let exported = try SafeTensors.decode(Data(contentsOf: output.appendingPathComponent("model.safetensors")))
            let weights = checkpoint.tensors.filter { !$0.name.hasPrefix("optimizer/") }
            #expect(!weights.isEmpty)
            #expect(exported.tensors.sorted { $0.name < $1.name } == weights.sorted { $0.name < $1.name })
            #expect(exported.metadata["trial"] == best.id && exported.metadata["format"] == "rnnsweep-export-1")

            // parameters.json: the trial, its parameters and its test metrics as recorded (JSONDecoder: Foundation's
            // JSONSerialization reads some doubles one ulp off).
            struct Described: Decodable {
                var trial: String
                var sweep: String
                var test: [String: Double]
                var parameters: [String: ParameterValue]
            }
            let described = try JSONDecoder().decode(
                Described.self, from: Data(contentsOf: output.appendingPathComponent("parameters.json")))
            #expect(described.trial == best.id && described.sweep == "tokens")
            #expect(described.test == ["test_accuracy": best.testAccuracy!, "test_loss": best.testLoss!])
            let stored = try JSONDecoder().decode([String: ParameterValue].self, from: Data(best.paramsJSON.utf8))
            #expect(described.parameters == stored && stored["input"] == .string("tokens"))
            let script = try String(contentsOf: output.appendingPathComponent("model.py"), encoding: .utf8)
            #expect(script.contains("keras.layers.Embedding(") && script.contains("mask_zero=True"))

            // evaluate reproduces the database's test metrics to the bit, from the checkpoint and from the export.
            for source in [checkpointFolder.path, output.path] {
                let evaluate = try rnnsweep(["evaluate", source], in: workspace.directory)
                #expect(evaluate.status == 0, "\(evaluate)")
                #expect(Self.value("loss", in: evaluate.stdout) == best.testLoss, "\(evaluate.stdout)")
                #expect(Self.value("accuracy", in: evaluate.stdout) == best.testAccuracy, "\(evaluate.stdout)")
                #expect(evaluate.stdout.contains("split: test, 70 examples"))
                #expect(evaluate.stdout.contains("data: the files the model was trained on"), "\(evaluate.stdout)")
            }
            // Every trial, not only the best.
            for trial in trials {
                let folder = workspace.directory.appendingPathComponent("r.runs/tokens/\(trial.id)").path
                let evaluate = try rnnsweep(["evaluate", folder], in: workspace.directory)
                #expect(Self.value("loss", in: evaluate.stdout) == trial.testLoss, "\(trial.id): \(evaluate)")
                #expect(Self.value("accuracy", in: evaluate.stdout) == trial.testAccuracy, "\(trial.id)")
            }

            // predict: one row per test example; its argmax accuracy is evaluate's; the same bytes twice.
            let predictions = workspace.directory.appendingPathComponent("p.csv")
            let predict = try rnnsweep(
                ["predict", output.path, "--data", data.path, "--output", predictions.path], in: workspace.directory)
            #expect(predict.status == 0, "\(predict)")
            let records = try CSVReader.records(String(contentsOf: predictions, encoding: .utf8))
            #expect(records.first == ["index", "predicted", "p_0", "p_1"])
            let rows = Array(records.dropFirst())
            #expect(rows.count == data.testLabels.count)
            #expect(rows.map { $0[0] } == (0..<rows.count).map(String.init))
            let correct = zip(rows, data.testLabels).filter { Int($0.0[1]) == $0.1 }.count
            #expect(Double(correct) / Double(rows.count) == best.testAccuracy)
            for row in rows {
                let p = row[2...].compactMap(Double.init)
                #expect(p.count == 2 && abs(p.reduce(0, +) - 1) < 1e-5)
                #expect(Int(row[1]) == (p[1] > p[0] ? 1 : 0))
            }
            let again = try rnnsweep(["predict", checkpointFolder.path], in: workspace.directory)
            #expect(again.stdout == (try String(contentsOf: predictions, encoding: .utf8)))

            // A second sweep of the same trials reuses them; their checkpoints stay in the first sweep's folder.
            let copy = try workspace.write(
                "u.yaml",
                String(contentsOfFile: workspace.directory.appendingPathComponent("t.yaml").path, encoding: .utf8)
                    .replacingOccurrences(of: "name: tokens", with: "name: tokens-again"))
            #expect(try workspace.run(["run", copy]).status == 0)
            let reused = try workspace.run([
                "export", "tokens-again", "--trial", best.id, "--output",
                workspace.directory.appendingPathComponent("reused").path,
            ])
            #expect(reused.status == 0, "\(reused)")
            let reusedWeights = try SafeTensors.decode(
                Data(contentsOf: workspace.directory.appendingPathComponent("reused/model.safetensors")))
            #expect(reusedWeights.tensors == exported.tensors)
        }

        /// Regression: `--best` is the lowest test MAE, and `evaluate` prints the loss, MAE and RMSE the database
        /// recorded, and no confusion matrix; `predict` writes one predicted target per example.
        @Test func regressionExportPicksTheLowestMAEAndEvaluateReproducesIt() throws {
            let workspace = try SweepWorkspace()
            let data = try SequenceSweepTests.regressionFile(in: workspace)
            let file = try workspace.write(
                "r.yaml",
                """
                name: mean
                dataset: npz
                task: regression
                data_dir: \(data)
                defaults:
                  optimizer: adam
                  learning_rate: 0.01
                  epochs: 2
                  batch_size: 32
                  mask: zeros
                grid:
                  cell: [simple_rnn, gru]
                  units: [4, 8]

                """)
            let run = try workspace.run(["run", file, "--workers", "2"])
            #expect(run.status == 0, "\(run)")
            let trials = try #require(workspace.sweepDatabase("mean").trials())
            let best = try #require(
                trials.min { a, b in
                    a.test[.mae]! != b.test[.mae]! ? a.test[.mae]! < b.test[.mae]! : a.ordinal < b.ordinal
                })
            let output = workspace.directory.appendingPathComponent("best")
            let export = try workspace.run(["export", "--best", "--output", output.path])
            #expect(export.status == 0, "\(export)")
            #expect(export.stdout.contains("exported trial \(best.id) (#\(best.ordinal)"), "\(export.stdout)")
            #expect(export.stdout.contains("the best by test mae"), "\(export.stdout)")
            let script = try String(contentsOf: output.appendingPathComponent("model.py"), encoding: .utf8)
            #expect(script.contains("keras.layers.Masking(mask_value=0.0") && !script.contains("softmax"))

            let evaluate = try rnnsweep(["evaluate", output.path], in: workspace.directory)
            #expect(evaluate.status == 0, "\(evaluate)")
            for metric in [Metric.loss, .mae, .rmse] {
                #expect(Self.value(metric.rawValue, in: evaluate.stdout) == best.test[metric], "\(evaluate.stdout)")
            }
            #expect(!evaluate.stdout.contains("accuracy") && !evaluate.stdout.contains("confusion"))
            let predict = try rnnsweep(["predict", output.path], in: workspace.directory)
            let records = try CSVReader.records(predict.stdout)
            #expect(records.first == ["index", "target_0"])
            #expect(records.count == 101 && records.dropFirst().allSatisfy { Double($0[1])?.isFinite == true })
        }

        /// A text corpus in `train/<class>/` and `test/<class>/`: a review is positive when it has a positive word.
        /// `fillers` words the model never saw open every training document, the most frequent tokens: they come
        /// first in the corpus's vocabulary and move every other token's id. The test documents are always the same.
        static func writeCorpus(at folder: URL, fillers: [String]) throws {
            let common = ["the", "film", "plot", "was", "a", "story", "with", "actor", "scene", "and"]
            let words = [
                ("pos", ["great", "superb", "loved", "moving"]), ("neg", ["awful", "dull", "hated", "weak"]),
            ]
            func document(_ n: Int, _ cue: String, opening: [String]) -> String {
                (opening + (0..<(4 + n % 5)).map { common[(n * 3 + $0) % common.count] }).joined(separator: " ")
                    + " \(cue)."
            }
            for (split, count, opening) in [("train", 60, fillers), ("test", 20, [])] {
                for (name, cues) in words {
                    let classFolder = folder.appendingPathComponent("\(split)/\(name)")
                    try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
                    for n in 0..<count {
                        let text = document(n, cues[n % cues.count], opening: opening)
                        try Data(text.utf8).write(to: classFolder.appendingPathComponent("\(n).txt"))
                    }
                }
            }
        }

        /// A text model's export carries its vocabulary, and `predict` and `evaluate` give another corpus's
        /// documents the model's token ids: the same test documents beside other training documents (another
        /// vocabulary order) get the same predictions, to the byte, and the recorded test metrics.
        @Test func textExportCarriesTheVocabularyAndOtherCorporaAreReadWithIt() throws {
            let workspace = try SweepWorkspace()
            let corpus = workspace.directory.appendingPathComponent("corpus")
            let other = workspace.directory.appendingPathComponent("other")
            try Self.writeCorpus(at: corpus, fillers: [])
            try Self.writeCorpus(at: other, fillers: ["zeta", "yak", "xenon"])
            let file = try workspace.write(
                "x.yaml",
                """
                name: reviews
                dataset: text
                data_dir: corpus
                sequence_length: 10
                defaults: {input: tokens, mask: zeros, embedding_dim: 4, units: 8, cell: gru, optimizer: adam,
                           learning_rate: 0.01, epochs: 2, batch_size: 16}

                """)
            let run = try workspace.run(["run", file])
            #expect(run.status == 0, "\(run)")
            let trial = try #require(workspace.sweepDatabase("reviews").trials()?.first)
            let output = workspace.directory.appendingPathComponent("export")
            let export = try workspace.run(["export", "--best", "--output", output.path])
            #expect(export.status == 0, "\(export)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [
                    "model.py", "model.safetensors", "parameters.json", "vocabulary.json",
                ])
            let vocabulary = try Data(contentsOf: output.appendingPathComponent("vocabulary.json"))
            #expect(
                vocabulary
                    == (try Data(
                        contentsOf: workspace.directory.appendingPathComponent(
                            "r.runs/reviews/\(trial.id)/vocabulary.json"))))
            let own = try JSONDecoder().decode([String].self, from: vocabulary)
            let script = try String(contentsOf: output.appendingPathComponent("model.py"), encoding: .utf8)
            #expect(script.contains("keras.layers.Embedding(\(own.count), 4, mask_zero=True, name=\"embedding\")"))

            let mine = try rnnsweep(["predict", output.path], in: workspace.directory)
            let theirs = try rnnsweep(["predict", output.path, "--data", other.path], in: workspace.directory)
            #expect(mine.status == 0 && theirs.status == 0, "\(mine)\n\(theirs)")
            #expect(mine.stdout.hasPrefix("index,predicted,p_neg,p_pos\r\n"), "\(mine.stdout)")
            #expect(mine.stdout == theirs.stdout)
            let evaluate = try rnnsweep(["evaluate", output.path, "--data", other.path], in: workspace.directory)
            #expect(Self.value("loss", in: evaluate.stdout) == trial.testLoss, "\(evaluate)")
            #expect(Self.value("accuracy", in: evaluate.stdout) == trial.testAccuracy, "\(evaluate)")
            #expect(evaluate.stdout.contains("data: other files than the model was trained on"), "\(evaluate)")
            #expect(evaluate.stdout.contains("     neg  pos\nneg"), "\(evaluate.stdout)")
        }

        /// The real Fashion-MNIST (Debian's, installed here and in CI): images kept as bytes and scaled at gather, a
        /// recurrent model and an MLP (which evaluates with subnormals flushed, as it trained). `evaluate` reproduces
        /// each trial's recorded test metrics on the 10,000 test images and names the classes; `predict` writes a row
        /// per image with the class's name.
        @Test func fashionMNISTModelsReproduceTheirTestMetricsWithClassNames() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write(
                "f.yaml",
                """
                name: fm
                dataset: fashion-mnist
                limit: 300
                defaults: {optimizer: adam, epochs: 1, batch_size: 64}
                grid:
                  - {cell: gru, units: 8}
                  - {network: mlp, units: 16, layers: 1}

                """)
            let run = try workspace.run(["run", file, "--workers", "2"])
            #expect(run.status == 0, "\(run)")
            let trials = try #require(workspace.sweepDatabase("fm").trials())
            #expect(trials.count == 2 && trials.allSatisfy { $0.status == .completed })
            for trial in trials {
                let folder = workspace.directory.appendingPathComponent("r.runs/fm/\(trial.id)").path
                let evaluate = try rnnsweep(["evaluate", folder], in: workspace.directory)
                #expect(evaluate.status == 0, "\(evaluate)")
                #expect(Self.value("loss", in: evaluate.stdout) == trial.testLoss, "\(trial.id): \(evaluate.stdout)")
                #expect(Self.value("accuracy", in: evaluate.stdout) == trial.testAccuracy, "\(trial.id)")
                #expect(evaluate.stdout.contains("split: test, 10000 examples"))
                // A row of the confusion matrix per class, named.
                let rows = evaluate.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(rows.contains { $0.hasPrefix("Ankle boot ") }, "\(evaluate.stdout)")
            }
            let output = workspace.directory.appendingPathComponent("best")
            #expect(try workspace.run(["export", "--best", "--output", output.path]).status == 0)
            let parameters = try String(contentsOf: output.appendingPathComponent("parameters.json"), encoding: .utf8)
            #expect(parameters.contains("\"T-shirt/top\""), "\(parameters)")
            // What the Keras model takes is said, since the scaling is not in it.
            let input = "float32 [batch, 28, 28]; each image with a step per row; pixels / 255"
            #expect(parameters.contains("\"model_input\" : \"\(input)\""), "\(parameters)")
            let script = try String(contentsOf: output.appendingPathComponent("model.py"), encoding: .utf8)
            #expect(script.contains("\nInput: \(input).\n"), "\(script)")
            let predict = try rnnsweep(["predict", output.path], in: workspace.directory)
            let records = try CSVReader.records(predict.stdout)
            #expect(records.count == 10_001 && records[0][2] == "p_T-shirt/top" && records[0][11] == "p_Ankle boot")
            let names: Set = [
                "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot",
            ]
            #expect(records.dropFirst().allSatisfy { names.contains($0[1]) })
        }

        @Test func badRequestsAreRefusedAndWriteNothing() throws {
            let (workspace, _, trials) = try Self.sweep()
            let output = workspace.directory.appendingPathComponent("out")
            func refused(_ arguments: [String], saying message: String) throws {
                let before = try workspace.contents().filter { !$0.hasPrefix("r.sqlite-") }
                let result = try workspace.run(["export", "tokens"] + arguments + ["--output", output.path])
                #expect(result.status != 0, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
                // SQLite's -shm and -wal files come and go with any reader.
                let after = try workspace.contents().filter { !$0.hasPrefix("r.sqlite-") }
                #expect(after == before, "\(arguments) left files behind: \(before) → \(after)")
            }
            try refused(["--trial", "ffffffffffffffff"], saying: "sweep 'tokens' has no trial 'ffffffffffffffff'")
            try refused([], saying: "name the trial to export with --trial ID, or pass --best")

            // A pending trial never ran; an interrupted one without a checkpoint has nothing to export.
            let pending = trials[0]
            let interrupted = trials[1]
            try DatabaseQueue(path: workspace.database.path).write { db in
                try db.execute(sql: "UPDATE trials SET status = 'pending' WHERE id = ?", arguments: [pending.id])
                try db.execute(sql: "UPDATE trials SET status = 'failed' WHERE id = ?", arguments: [trials[2].id])
            }
            try refused(["--trial", pending.id], saying: "trial \(pending.id) is pending: it never ran")
            try refused(["--trial", trials[2].id], saying: "trial \(trials[2].id) is failed, not completed")
            let missing = workspace.directory.appendingPathComponent(
                "r.runs/tokens/\(interrupted.id)/checkpoint.safetensors")
            try FileManager.default.removeItem(at: missing)
            try refused(
                ["--trial", interrupted.id], saying: "trial \(interrupted.id) has no checkpoint at \(missing.path)")

            // A folder with something in it is kept as it is, unless --force.
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try Data("mine".utf8).write(to: output.appendingPathComponent("notes.txt"))
            try refused(["--best"], saying: "\(output.path) exists and is not empty")
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["notes.txt"])
            let forced = try workspace.run([
                "export", "tokens", "--trial", trials[3].id, "--output", output.path, "--force",
            ])
            #expect(forced.status == 0, "\(forced)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == [
                    "model.py", "model.safetensors", "parameters.json",
                ])
            // Only the export is left beside it: no temporary folder.
            #expect(try workspace.contents().filter { $0.hasPrefix(".") }.isEmpty)

            // An interrupted trial with a checkpoint is exported with a warning.
            try DatabaseQueue(path: workspace.database.path).write { db in
                try db.execute(sql: "UPDATE trials SET status = 'interrupted' WHERE id = ?", arguments: [trials[3].id])
            }
            let partial = try workspace.run([
                "export", "tokens", "--trial", trials[3].id, "--output",
                workspace.directory.appendingPathComponent("partial").path,
            ])
            #expect(partial.status == 0, "\(partial)")
            #expect(partial.stderr.contains("warning: trial \(trials[3].id) is interrupted, not completed"))

            // predict and evaluate name what they could not find.
            let nowhere = workspace.directory.appendingPathComponent("nowhere").path
            let evaluate = try rnnsweep(["evaluate", nowhere], in: workspace.directory)
            #expect(evaluate.status == 1 && evaluate.stderr.contains("no trained model at \(nowhere)"), "\(evaluate)")
        }
    }
}
