import Foundation
import Testing

extension EndToEnd {
    /// `rnnsweep bench` prints figures that agree with each other and with the model-FLOP formula of the issue
    /// (speed itself is measured by Benchmarks/compare.sh, never asserted here).
    @Suite struct BenchCommandTests {
        @Test func jsonFieldsAreConsistent() throws {
            let workspace = try SweepWorkspace()
            let result = try rnnsweep(
                [
                    "bench", "--cell", "lstm", "--units", "8", "--batch-size", "4", "--batches", "3", "--warmup", "1",
                    "--json",
                ],
                in: workspace.directory)
            #expect(result.status == 0, "\(result)")
            let line = try #require(result.stdout.split(separator: "\n").last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["cell"] as? String == "lstm")
            #expect(object["units"] as? Int == 8)
            #expect(object["batch_size"] as? Int == 4)
            #expect(object["threads"] as? Int == 1)
            #expect((object["framework"] as? String)?.hasPrefix("rnnsweep (oneDNN") == true)
            func number(_ key: String) throws -> Double {
                let value = try #require(object[key] as? Double, "\(key) missing in \(line)")
                #expect(value.isFinite && value > 0, "\(key) = \(value)")
                return value
            }
            let trainRate = try number("train_samples_per_second")
            let evalRate = try number("eval_samples_per_second")
            _ = try number("sgemm_gflops")
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * b }
            #expect(close(try number("train_ms_per_batch"), 1000 * 4 / trainRate))
            #expect(close(try number("eval_ms_per_batch"), 1000 * 4 / evalRate))
            // LSTM, T = D = 28, H = 8: forward = T · 2·4H·(D + H) = 64,512 FLOPs; training counts 3 × that.
            let expected = 3 * 64_512 * trainRate / 1e9
            #expect(close(try number("train_model_gflops"), expected))
        }

        @Test(arguments: [
            (["--threads", "0"], "--threads must be at least 1"),
            (["--batches", "0"], "--batches must be at least 1"),
            (["--warmup=-1"], "--warmup must be 0 or more"),
        ])
        func badCountsAreRejectedWithTheirName(_ arguments: [String], _ message: String) throws {
            let workspace = try SweepWorkspace()
            let result = try rnnsweep(["bench", "--cell", "gru", "--units", "8"] + arguments, in: workspace.directory)
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
    }
}
