import Foundation
import RNNSweep
import RNNTestSupport
import Testing

extension EndToEnd {
    /// The data check as a user meets it: a class-sorted file's hold-out warned of in `plan`, `run` and the report,
    /// the per-class counts of `plan --verbose`, and the user's own formats — `.ts` files and a text folder — read
    /// directly, their label names carried to the report's per-class results.
    @Suite struct DataCheckTests {
        /// Three classes × 20 training examples, sorted by class, as the UCR/UEA files are.
        static func writeSortedFile(_ workspace: SweepWorkspace) throws {
            let count = 60
            let x = (0..<(count * 8)).map { (index: Int) -> Float in
                let noise = Float((index * 37) % 11) / 11 - 0.5
                return noise + Float(index / 8 / 20)  // the class shifts the values
            }
            try NPZWriter.npz(
                at: workspace.directory.appendingPathComponent("sorted.npz").path,
                [
                    ("x_train", NPZWriter.npy(x, shape: [count, 4, 2])),
                    ("y_train", NPZWriter.npy((0..<count).map { Int64($0 / 20) }, shape: [count])),
                    ("x_test", NPZWriter.npy(Array(x.prefix(96)), shape: [12, 4, 2])),
                    ("y_test", NPZWriter.npy((0..<12).map { Int64($0 % 3) }, shape: [12])),
                ], compressed: false)
        }

        /// `extra`: more top-level data keys; `defaults`: more lines under `defaults:`.
        static func experiment(_ name: String, data: String, extra: String = "", defaults: String = "") -> String {
            """
            name: \(name)
            \(data)
            \(extra)
            defaults:
            \(defaults)
              units: 8
              epochs: 2
              batch_size: 10
            grid:
              cell: [gru]
            seeds: [1]

            """
        }

        @Test func aHoldOutMissingAClassIsWarnedOfInPlanRunAndReport() throws {
            let workspace = try SweepWorkspace()
            try Self.writeSortedFile(workspace)
            let data = "dataset: npz\ndata_dir: sorted.npz\nvalidation_split: 0.25"
            try workspace.write("last.yaml", Self.experiment("last", data: data))
            let plan = try workspace.run(["plan", "last.yaml", "--no-estimate", "--verbose"])
            #expect(plan.status == 0, "\(plan)")
            let warning = "the validation split has no example of classes 0, 1 (of 3)"
            #expect(plan.stderr.contains("warning: \(warning)"), "\(plan)")
            // The per-class table: 20/20/5 training examples, 0/0/15 held out.
            let table = plan.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(table.contains(["class", "train", "validation", "test"]), "\(plan)")
            #expect(table.contains(["0", "20", "0", "4"]) && table.contains(["2", "5", "15", "4"]), "\(plan)")

            let run = try workspace.run(["run", "last.yaml", "--workers", "1"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("warning: \(warning)"), "\(run)")
            let report = try workspace.run(["report", "last"])
            #expect(report.stdout.contains("**Warning:** \(warning)"), "\(report)")
            let status = try workspace.run(["status", "last"])
            #expect(status.stdout.contains("warning: \(warning)"), "\(status)")

            // Stratified: every class held out alike, no warning.
            try workspace.write(
                "strat.yaml", Self.experiment("strat", data: data + "\nvalidation: stratified"))
            let stratified = try workspace.run(["plan", "strat.yaml", "--no-estimate", "--verbose"])
            #expect(stratified.status == 0 && !stratified.stderr.contains("warning"), "\(stratified)")
            let rows = stratified.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.contains(["1", "15", "5", "4"]), "\(stratified)")
        }

        /// `<dir>/Moves_TRAIN.ts` and `_TEST.ts`: two dimensions, 3 to 6 steps, labels `walk` and `run`.
        static func writeTS(_ workspace: SweepWorkspace) throws {
            func file(_ count: Int, offset: Int) -> String {
                var text = """
                    # Two-dimensional series of 3 to 6 steps
                    @problemName Moves
                    @timeStamps false
                    @missing false
                    @univariate false
                    @dimensions 2
                    @equalLength false
                    @classLabel true walk run
                    @data

                    """
                for n in 0..<count {
                    let length = 3 + (n + offset) % 4
                    let label = n % 2 == 0 ? "walk" : "run"
                    let sign = n % 2 == 0 ? 1.0 : -1.0
                    let a = (0..<length).map { String(sign * Double($0 + 1) / 4) }.joined(separator: ",")
                    let b = (0..<length).map { String(Double(($0 * 3 + n) % 5) / 5) }.joined(separator: ",")
                    text += "\(a):\(b):\(label)\n"
                }
                return text
            }
            let folder = workspace.directory.appendingPathComponent("moves", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(file(40, offset: 0).utf8).write(to: folder.appendingPathComponent("Moves_TRAIN.ts"))
            try Data(file(12, offset: 1).utf8).write(to: folder.appendingPathComponent("Moves_TEST.ts"))
        }

        @Test func tsFilesAreReadDirectlyAndTheirLabelsNameTheReportsClasses() throws {
            let workspace = try SweepWorkspace()
            try Self.writeTS(workspace)
            try workspace.write(
                "moves.yaml",
                Self.experiment("moves", data: "dataset: ts\ndata_dir: moves", extra: "normalize: channel"))
            let plan = try workspace.run(["plan", "moves.yaml", "--no-estimate", "--verbose"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("data: ts: 40 train / 12 test, 6 steps × 2 features, 2 classes"), "\(plan)")
            #expect(plan.stdout.contains("Moves_TRAIN.ts"), "\(plan)")
            let run = try workspace.run(["run", "moves.yaml", "--workers", "1"])
            #expect(run.status == 0, "\(run)")
            let json = try workspace.run(["report", "moves", "--format", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let byClass = try #require((rows.first?["test_by_class"] as? [[String: Any]])?.first)
            #expect(byClass["classes"] as? [String] == ["walk", "run"])
            let confusion = try #require(byClass["confusion"] as? [[Int]])
            #expect(confusion.map { $0.reduce(0, +) } == [6, 6], "every test example counted once, by true class")
            let html = try workspace.run(["report", "moves", "--format", "html"])
            #expect(
                html.stdout.contains("Test set by class") && html.stdout.contains(">walk<"),
                "\(html.stdout.suffix(2000))")
            // How the sweep ran names the data: its fingerprint and files.
            let fingerprint = try #require(workspace.sweepDatabase("moves").trials()?.first?.dataFingerprint)
            #expect(html.stdout.contains("fingerprint \(fingerprint): ts: 40 train"), "\(html.stdout.suffix(3000))")
        }

        /// A text folder in Keras's `text_dataset_from_directory` layout.
        static func writeText(_ workspace: SweepWorkspace) throws {
            let words = ["good", "fine", "great", "nice"]
            let bad = ["awful", "poor", "dull", "bad"]
            for split in ["train", "test"] {
                for (label, vocabulary) in [("pos", words), ("neg", bad)] {
                    let folder = workspace.directory.appendingPathComponent(
                        "reviews/\(split)/\(label)", isDirectory: true)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    for n in 0..<(split == "train" ? 12 : 4) {
                        let text = "The film was \(vocabulary[n % 4])! Really, \(vocabulary[(n + 1) % 4]) — n°\(n)."
                        try Data(text.utf8).write(to: folder.appendingPathComponent("\(n).txt"))
                    }
                }
            }
        }

        @Test func aTextFolderIsTokenizedAndItsVocabularyKeptBesideTheCheckpoint() throws {
            let workspace = try SweepWorkspace()
            try Self.writeText(workspace)
            try workspace.write(
                "reviews.yaml",
                Self.experiment(
                    "reviews", data: "dataset: text\ndata_dir: reviews\nsequence_length: 8",
                    defaults: "  input: tokens\n  embedding_dim: 4\n  mask: zeros"))
            let plan = try workspace.run(["plan", "reviews.yaml", "--no-estimate"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("data: text: 24 train / 8 test, 8 token ids"), "\(plan)")
            let run = try workspace.run(["run", "reviews.yaml", "--workers", "1"])
            #expect(run.status == 0, "\(run)")
            let trial = try #require(workspace.sweepDatabase("reviews").trials()?.first)
            let vocabularyFile = workspace.directory.appendingPathComponent(
                "r.runs/reviews/\(trial.id)/vocabulary.json")
            let vocabulary = try JSONDecoder().decode([String].self, from: Data(contentsOf: vocabularyFile))
            #expect(Array(vocabulary.prefix(2)) == ["", "[UNK]"])
            #expect(vocabulary.contains("great") && !vocabulary.contains("great!"), "lowercased, punctuation stripped")
            let json = try workspace.run(["report", "reviews", "--format", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let byClass = try #require((rows.first?["test_by_class"] as? [[String: Any]])?.first)
            #expect(byClass["classes"] as? [String] == ["neg", "pos"], "folder names, sorted as Keras sorts them")
        }
    }
}
