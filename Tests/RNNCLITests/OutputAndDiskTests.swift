import Foundation
import GRDB
import RNNSweep
import Testing

extension EndToEnd {
    /// Write errors are errors, two databases in one folder are independent, and a full disk stops a sweep without
    /// losing what it had committed.
    @Suite struct OutputAndDiskTests {
        @Test func writeErrorsEndWithOneLineAndANonZeroExit() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "out", samples: 400, epochs: 1, cells: ["gru"], units: [8])
            let run = try workspace.run(["run", try workspace.write("out.yaml", sweep.yaml)])
            #expect(run.status == 0, "\(run)")

            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            for arguments in [["report", "out"], ["status", "out"], ["report", "out", "--format", "html"]] {
                let result = try CommandProcess(
                    arguments + ["--db", workspace.database.path], in: workspace.directory, standardOutput: full
                ).wait()
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(
                    result.stderr == "error: cannot write to standard output: No space left on device\n",
                    "\(arguments): \(result)")
            }

            let folder = try workspace.run(["report", "out", "--output", "/etc"])
            #expect(folder.status == 1 && folder.stderr == "error: cannot write /etc: it is a folder\n", "\(folder)")
            try workspace.write("file", "")
            let underFile = try workspace.run(["report", "out", "--output", "file/report.md"])
            #expect(underFile.status == 1, "\(underFile)")
            #expect(underFile.stderr.hasPrefix("error: cannot write file/report.md: cannot create its folder"))
            #expect(underFile.stderr.split(separator: "\n").count == 1, "one line, no NSError: \(underFile)")
            let runReport = try workspace.run([
                "run", workspace.directory.appendingPathComponent("out.yaml").path,
                "--report", "/etc",
            ])
            #expect(runReport.status == 1 && runReport.stderr.contains("cannot write /etc: it is a folder"))
        }

        /// Lock and checkpoints belong to the database: two databases in one folder run a sweep of the same name at
        /// the same time, each to its own end.
        @Test func twoDatabasesInOneFolderAreIndependent() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("same.yaml", TinySweep(name: "same", samples: 600, epochs: 3).yaml)
            let a = workspace.directory.appendingPathComponent("a.sqlite").path
            let b = workspace.directory.appendingPathComponent("b.sqlite").path
            let first = try CommandProcess(["run", file, "--db", a], in: workspace.directory)
            let second = try CommandProcess(["run", file, "--db", b], in: workspace.directory)
            let one = first.wait()
            let two = second.wait()
            #expect(one.status == 0, "\(one)")
            #expect(two.status == 0, "a second database's sweep of the same name is not refused: \(two)")
            let contents = try workspace.contents()
            #expect(contents.contains("a.runs") && contents.contains("b.runs"), "\(contents)")
            #expect(!contents.contains("same"), "no folder shared by name: \(contents)")
            let x = SweepDatabase(url: URL(fileURLWithPath: a), sweep: "same")
            let y = SweepDatabase(url: URL(fileURLWithPath: b), sweep: "same")
            #expect(x.trials()?.allSatisfy { $0.status == .completed } == true)
            // Same file, same seeds: the same bits in both (all but the epochs' wall times).
            func metrics(_ database: SweepDatabase) throws -> [String: [[UInt64?]]] {
                try #require(database.epochs()).mapValues { epochs in
                    epochs.map { [$0.loss, $0.accuracy, $0.valLoss, $0.valAccuracy].map { $0?.bitPattern } }
                }
            }
            #expect(try metrics(x) == metrics(y))
            #expect(x.trials()?.map(\.testAccuracy) == y.trials()?.map(\.testAccuracy))
        }

        /// A sweep on a small tmpfs that a filler file has almost filled: it stops with a clear message, the
        /// database is intact, nothing committed is lost, and after the filler is removed `run` finishes it.
        @Test(.enabled(if: getuid() == 0 || OutputAndDiskTests.isCI, "mounting a tmpfs needs root"))
        func aFullDiskStopsTheSweepAndLosesNothing() throws {
            let workspace = try SweepWorkspace()
            let disk = workspace.directory.appendingPathComponent("disk")
            try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
            let mounted = try SlurmCluster.shell(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.path])
            try #require(mounted.status == 0, "\(mounted)")
            defer { _ = try? SlurmCluster.shell(["umount", "-l", disk.path]) }

            // A checkpoint of 64 LSTM units with Adam's moments is ≈ 200 kB: 12 of them fit in 8 MiB, not in the
            // 1.5 MB the filler leaves (with the database).
            let sweep = TinySweep(
                name: "full", sequenceLength: 8, samples: 200, epochs: 2, cells: ["lstm"], units: [64, 65, 66, 67],
                seeds: [1, 2, 3])
            let file = try workspace.write("full.yaml", sweep.yaml)
            let database = disk.appendingPathComponent("r.sqlite")
            let filler = disk.appendingPathComponent("filler")
            var space = statvfs()
            try #require(statvfs(disk.path, &space) == 0)
            try Data(count: Int(space.f_bavail) * Int(space.f_frsize) - 1_500_000).write(to: filler)
            let stopped = try rnnsweep(["run", file, "--db", database.path], in: workspace.directory)
            #expect(stopped.status == 1, "\(stopped)")
            let output = stopped.stdout + stopped.stderr
            #expect(
                output.contains("the disk is full") || output.contains("database or disk is full"),
                "the message says why: \(stopped)")
            #expect(!output.contains("Fatal error"), "\(stopped)")

            let kept = SweepDatabase(url: database, sweep: "full")
            let before = try #require(kept.trials())
            #expect(before.allSatisfy { $0.status != .failed }, "a full disk fails no trial: \(before.map(\.status))")
            let completed = Set(before.filter { $0.status == .completed }.map(\.id))
            #expect(!completed.isEmpty && completed.count < sweep.trialCount, "\(before.map(\.status))")
            let epochsBefore = try #require(kept.epochs())
            let queue = try DatabaseQueue(path: database.path)
            #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
            try queue.close()

            try FileManager.default.removeItem(at: filler)
            let resumed = try rnnsweep(["run", file, "--db", database.path], in: workspace.directory)
            #expect(resumed.status == 0, "\(resumed)")
            let again = SweepDatabase(url: database, sweep: "full")
            let after = try #require(again.trials())
            #expect(after.count == sweep.trialCount && after.allSatisfy { $0.status == .completed }, "\(after)")
            let epochsAfter = try #require(again.epochs())
            for id in completed {
                #expect(epochsAfter[id]?.map(\.loss) == epochsBefore[id]?.map(\.loss), "trial \(id) kept its epochs")
            }
        }

        static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    }
}
