import Foundation
import RNNSweep
import Testing

extension EndToEnd {
    /// A sweep split over two "machines" with --shard, merged back: the report equals one machine's.
    @Suite struct ShardMergeTests {
        let sweep = TinySweep(name: "shards", sequenceLength: 20, samples: 1000, epochs: 3)

        @Test func twoShardsMergedGiveTheReportOfOneRun() throws {
            let whole = try SweepWorkspace()
            let wholeRun = try whole.run(["run", try whole.write("s.yaml", sweep.yaml), "--workers", "2"])
            try #require(wholeRun.status == 0, "\(wholeRun)")

            let parts = try SweepWorkspace()
            let file = try parts.write("s.yaml", sweep.yaml)
            for shard in ["0/2", "1/2"] {
                let db = parts.directory.appendingPathComponent("shard-\(shard.prefix(1)).sqlite").path
                let result = try rnnsweep(
                    ["run", file, "--shard", shard, "--workers", "1", "--db", db], in: parts.directory)
                #expect(result.status == 0, "\(result)")
                #expect(result.stdout.contains("2 trials"), "each shard runs half: \(result)")
            }
            let merged = parts.directory.appendingPathComponent("merged.sqlite").path
            let merge = try rnnsweep(
                ["merge", "shard-0.sqlite", "shard-1.sqlite", "--into", merged], in: parts.directory)
            #expect(merge.status == 0, "\(merge)")
            #expect(merge.stdout.contains("4 trial(s) added") && merge.stdout.contains("0 conflict(s)"), "\(merge)")

            for format in ["markdown", "csv", "json"] {
                let one = try whole.run(["report", sweep.name, "--format", format])
                let two = try rnnsweep(["report", sweep.name, "--format", format, "--db", merged], in: parts.directory)
                #expect(one.status == 0 && two.status == 0)
                #expect(one.stdout == two.stdout, "\(format) differs")
            }

            // Merging the same rows again changes nothing; a conflicting completed trial is reported, not written.
            let again = try rnnsweep(["merge", "shard-0.sqlite", "--into", merged], in: parts.directory)
            #expect(again.status == 0 && again.stdout.contains("2 already identical"), "\(again)")
            let tampered = parts.directory.appendingPathComponent("tampered.sqlite")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: merged), to: tampered)
            try SlurmCluster.shell([
                "sqlite3", tampered.path, "UPDATE trials SET test_accuracy = 0.5 WHERE ordinal = 1",
            ])
            let conflict = try rnnsweep(["merge", tampered.path, "--into", merged], in: parts.directory)
            #expect(conflict.status == 1 && conflict.stdout.contains("1 conflict(s)"), "\(conflict)")
            let kept = try MetricsStore.openExisting(at: URL(fileURLWithPath: merged))
            let sweepID = try #require(try kept.sweep(named: sweep.name)).id
            #expect(try kept.trials(sweep: sweepID).first?.testAccuracy != 0.5)
        }
    }
}
