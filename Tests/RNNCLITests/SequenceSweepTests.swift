import Foundation
import RNNSweep
import RNNTestSupport
import Testing

extension EndToEnd {
    /// Sweeps on the user's own sequence files, run as a user would: a regression target (lower is better in
    /// `status`, every report format, halving and the best row), token ids with an embedding, variable-length values
    /// under a mask, and `summary` of such models.
    @Suite struct SequenceSweepTests {
        /// A regression npz: x `[N, 8, 2]`, post-padded with zeros to 3…8 real steps; y the mean of feature 0 over the
        /// real steps.
        static func regressionFile(in workspace: SweepWorkspace) throws -> String {
            func split(_ count: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
                var state = seed
                func next() -> Float {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return Float(state >> 40) / Float(1 << 24) * 2 - 1
                }
                var x = [Float](repeating: 0, count: count * 16)
                var y = [Float](repeating: 0, count: count)
                for n in 0..<count {
                    let length = 3 + n % 6
                    var sum: Float = 0
                    for t in 0..<length {
                        for f in 0..<2 { x[(n * 8 + t) * 2 + f] = next() + (next() < 0 ? -0.01 : 0.01) }
                        sum += x[(n * 8 + t) * 2]
                    }
                    y[n] = sum / Float(length)
                }
                return (x, y)
            }
            let train = split(300, seed: 1)
            let test = split(100, seed: 2)
            let path = workspace.directory.appendingPathComponent("mean.npz").path
            try NPZWriter.npz(
                at: path,
                [
                    ("x_train", NPZWriter.npy(train.x, shape: [300, 8, 2])),
                    ("y_train", NPZWriter.npy(train.y, shape: [300])),
                    ("x_test", NPZWriter.npy(test.x, shape: [100, 8, 2])),
                    ("y_test", NPZWriter.npy(test.y, shape: [100])),
                ], compressed: true)
            return path
        }

        /// A token npz: ids `[N, 6]` over 2…7, post-padded with 0 and 1…6 real steps; label: whether id 3 occurs.
        static func tokenFile(in workspace: SweepWorkspace) throws -> String {
            func split(_ count: Int, offset: Int) -> (x: [Int64], y: [Int64]) {
                var x = [Int64](repeating: 0, count: count * 6)
                var y = [Int64](repeating: 0, count: count)
                for n in 0..<count {
                    let length = 1 + (n + offset) % 6
                    for t in 0..<length { x[n * 6 + t] = Int64(2 + (n * 7 + t * 3 + offset) % 6) }
                    y[n] = x[(n * 6)..<(n * 6 + length)].contains(3) ? 1 : 0
                }
                return (x, y)
            }
            let train = split(240, offset: 0)
            let test = split(60, offset: 5)
            let path = workspace.directory.appendingPathComponent("tokens.npz").path
            try NPZWriter.npz(
                at: path,
                [
                    ("x_train", NPZWriter.npy(train.x, shape: [240, 6])),
                    ("y_train", NPZWriter.npy(train.y, shape: [240])),
                    ("x_test", NPZWriter.npy(test.x, shape: [60, 6])),
                    ("y_test", NPZWriter.npy(test.y, shape: [60])),
                ], compressed: false)
            return path
        }

        @Test func aRegressionSweepIsReportedLowerIsBetter() throws {
            let workspace = try SweepWorkspace()
            let data = try Self.regressionFile(in: workspace)
            let file = try workspace.write(
                "r.yaml",
                """
                name: mean
                dataset: npz
                task: regression
                data_dir: \(data)
                validation_split: 0.2
                defaults:
                  optimizer: adam
                  learning_rate: 0.01
                  epochs: 4
                  batch_size: 32
                  mask: zeros
                grid:
                  cell: [simple_rnn, gru]
                  units: [4, 16]
                early_stopping: {method: successive_halving, min_epochs: 1, reduction_factor: 2}
                seeds: 2

                """)
            let run = try workspace.run(["run", file, "--workers", "2"])
            #expect(run.status == 0, "\(run)")
            // Halving ranked on the task's metric: val_mae when the file names none.
            #expect(run.stdout.contains("by the mean val_mae over their seeds"), "\(run)")
            #expect(run.stdout.contains("done #") && run.stdout.contains("test_mae"), "\(run)")
            let database = workspace.sweepDatabase("mean")
            let trials = try #require(database.trials())
            let completed = trials.filter { $0.status == .completed }
            #expect(!completed.isEmpty && completed.allSatisfy { $0.test[.mae] != nil && $0.test[.accuracy] == nil })
            let epochs = try #require(database.epochs())
            for record in epochs.values.flatMap({ $0 }) {
                #expect(record.keys.map(\.recordName) == ["loss", "mae", "rmse", "val_loss", "val_mae", "val_rmse"])
            }

            let status = try workspace.run(["status", "mean"])
            #expect(
                status.stdout.contains("mae") && status.stdout.contains("val_mae") && status.stdout.contains("test_mae")
            )
            #expect(!status.stdout.contains("accuracy"), "\(status.stdout)")

            // Markdown: MAE columns by default; the best row is the lowest test MAE.
            let report = try workspace.run(["report", "mean", "--metrics", "test_mae,test_rmse", "--sort", "test_mae"])
            #expect(report.status == 0, "\(report)")
            #expect(report.stdout.contains(" Test MAE |") && report.stdout.contains(" Test RMSE |"), "\(report.stdout)")
            let json = try workspace.run(["report", "mean", "--format", "json", "--metrics", "test_mae"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(rows.contains { $0["test_mae_mean"] is Double && $0["tied_with_best"] != nil }, "\(json.stdout)")
            let csv = try workspace.run([
                "report", "mean", "--format", "csv", "--metrics", "test_mae", "--sort", "test_mae",
            ])
            let records = try CSVReader.records(csv.stdout)
            let column = try #require(records.first?.firstIndex(of: "test_mae_mean"))
            let means = records.dropFirst().compactMap { Double($0[column]) }
            #expect(!means.isEmpty && means == means.sorted(), "ascending: the lowest MAE first")
            let html = try workspace.run(["report", "mean", "--format", "html"])
            #expect(html.stdout.contains("id=\"test-mae\"") && html.stdout.contains("Final test MAE"))
            let curves = try workspace.run(["report", "mean", "--curves"])
            #expect(curves.stdout.contains(",val_mae,") && !curves.stdout.contains(",accuracy,"))
        }

        @Test func aTokenSweepTrainsAnEmbeddingAndSummaryCountsItsParameters() throws {
            let workspace = try SweepWorkspace()
            let data = try Self.tokenFile(in: workspace)
            let file = try workspace.write(
                "t.yaml",
                """
                name: tokens
                dataset: npz
                data_dir: \(data)
                defaults:
                  input: tokens
                  mask: zeros
                  embedding_dim: 8
                  units: 16
                  optimizer: adam
                  learning_rate: 0.01
                  epochs: 8
                  batch_size: 32
                grid:
                  cell: [lstm, gru]
                  bucket_by_length: [false, true]
                seeds: 1

                """)
            let run = try workspace.run(["run", file, "--workers", "2"])
            #expect(run.status == 0, "\(run)")
            let trials = try #require(workspace.sweepDatabase("tokens").trials())
            #expect(trials.count == 4 && trials.allSatisfy { $0.status == .completed })
            for trial in trials {
                let accuracy = try #require(trial.testAccuracy)
                #expect(accuracy >= 0.8, "\(trial.id): \(accuracy)")
            }
            // The model of the file's data, as Keras's model.summary() counts it: vocabulary 8 (ids 0…7) × 8.
            let summary = try rnnsweep(
                [
                    "summary", "--dataset", "npz", "--data-dir", data, "--input", "tokens", "--mask", "zeros",
                    "--embedding-dim", "8", "--cell", "gru", "--units", "16",
                ], in: workspace.directory)
            #expect(summary.status == 0, "\(summary)")
            #expect(
                summary.stdout.contains("embedding (Embedding)        (None, 6, 8)              64"),
                "\(summary.stdout)")
            // GRU (reset_after): 3·16·(8 + 16) + 2·3·16 = 1,248; Dense 16·2 + 2 = 34.
            #expect(summary.stdout.contains("Total params: 1,346"), "\(summary.stdout)")
        }

        /// `summary` without data: the Keras IMDB recipe's shape, and a regression model, as Keras counts them.
        @Test func summaryCountsAsKerasDoes() throws {
            let workspace = try SweepWorkspace()
            let text = try rnnsweep(
                [
                    "summary", "--input", "tokens", "--vocabulary-size", "20000", "--embedding-dim", "128", "--cell",
                    "lstm",
                    "--units", "128", "--timesteps", "200", "--classes", "2", "--mask", "zeros",
                ], in: workspace.directory)
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.contains("Total params: 2,691,842"), "\(text.stdout)")
            let regression = try rnnsweep(
                [
                    "summary", "--task", "regression", "--cell", "gru", "--units", "64", "--timesteps", "29",
                    "--features", "12", "--targets", "3", "--mask", "zeros",
                ], in: workspace.directory)
            #expect(regression.stdout.contains("masking (Masking)"), "\(regression.stdout)")
            #expect(regression.stdout.contains("Total params: 15,171"), "\(regression.stdout)")
            #expect(!regression.stdout.contains("Activation"))
            let noVocabulary = try rnnsweep(["summary", "--input", "tokens"], in: workspace.directory)
            #expect(noVocabulary.status != 0 && noVocabulary.stderr.contains("--vocabulary-size"))
            let mlpMask = try rnnsweep(["summary", "--network", "mlp", "--mask", "zeros"], in: workspace.directory)
            #expect(mlpMask.status != 0 && mlpMask.stderr.contains("does not apply to network mlp"), "\(mlpMask)")
        }
    }
}
