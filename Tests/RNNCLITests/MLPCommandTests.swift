import Foundation
import Testing

extension EndToEnd {
    /// `network: mlp` from the command line: the book's summary, options of another kind refused by name, and
    /// `bench` (its figures checked against the MLP's FLOP formula, not its speed).
    @Suite struct MLPCommandTests {
        @Test func summaryOfTheBookModel() throws {
            let workspace = try SweepWorkspace()
            let result = try rnnsweep(
                ["summary", "--network", "mlp", "--layers", "2", "--dropout", "0.45"], in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("dense (Dense)                (None, 256)               200,960"), "\(result)")
            #expect(lines.contains("dropout_1 (Dropout)          (None, 256)               0"), "\(result)")
            #expect(lines.contains("dense_2 (Dense)              (None, 10)                2,570"), "\(result)")
            #expect(lines.contains("Total params: 269,322"), "\(result)")
            #expect(lines.filter { $0.contains("(Dense)") }.count == 3, "\(result)")
        }

        @Test(arguments: [
            (["--cell", "lstm"], "--cell: 'lstm' does not apply to network mlp"),
            (["--bidirectional"], "--bidirectional: true does not apply to network mlp"),
            (["--recurrent-dropout", "0.1"], "--recurrent-dropout: 0.1 does not apply to network mlp"),
        ])
        func optionsOfTheRecurrentKindAreRefused(_ arguments: [String], _ message: String) throws {
            let workspace = try SweepWorkspace()
            for command in ["summary", "train", "bench"] {
                let result = try rnnsweep([command, "--network", "mlp"] + arguments, in: workspace.directory)
                #expect(result.status != 0, "\(command): \(result)")
                #expect(result.stderr.contains(message), "\(command): \(result)")
                #expect(result.stdout.isEmpty, "\(command): \(result)")
            }
        }

        @Test func benchRuns() throws {
            let workspace = try SweepWorkspace()
            let result = try rnnsweep(
                [
                    "bench", "--network", "mlp", "--layers", "2", "--units", "16", "--batch-size", "8", "--batches",
                    "3", "--warmup", "1", "--json",
                ], in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let line = try #require(result.stdout.split(separator: "\n").last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["cell"] as? String == "mlp")
            #expect(object["units"] as? Int == 16)
            let trainRate = try #require(object["train_samples_per_second"] as? Double)
            let gflops = try #require(object["train_model_gflops"] as? Double)
            // T·D = 784, H = 16, 2 layers: forward = 2·(784·16 + 16·16) = 25,600 FLOPs; training counts 3 ×.
            let expected = 3 * 25_600 * trainRate / 1e9
            #expect(abs(gflops - expected) <= 1e-9 * expected, "\(gflops) vs \(expected)")
            let text = try rnnsweep(
                ["bench", "--network", "mlp", "--batch-size", "8", "--batches", "2", "--warmup", "0"],
                in: workspace.directory)
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.hasPrefix("MLP 256 units, batch 8"), "\(text)")
            #expect(text.stdout.contains("sgemm [8×784]·[784×256]"), "\(text)")
        }
    }
}
