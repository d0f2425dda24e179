import Foundation
import RNNSweep
import Spawn
import Testing

extension EndToEnd {
    /// Issue 25, the store: no lost epoch under a busy database, safe concurrent creation and migration, readable
    /// read-only databases, and error messages that tell apart why a database cannot be used. Real processes, real
    /// files, a real `sqlite3` holding the lock, and `nobody` for the permission cases.
    @Suite struct StoreTests {
        /// Item 1: a second process holds the database's write lock longer than the busy timeout (10 s) while
        /// epochs arrive. The coordinator says it waits, loses no epoch, and the run succeeds.
        @Test func busyDatabaseLosesNoEpoch() throws {
            let workspace = try SweepWorkspace()
            // Long enough to be training when the lock is taken: the coordinator writes the epochs that arrived
            // together in one transaction, so under load the first it writes may be the trial's last.
            let sweep = TinySweep(name: "busy", samples: 400, epochs: 60, cells: ["gru"], units: [8])
            let file = try workspace.write("s.yaml", sweep.yaml)
            let stderr = workspace.directory.appendingPathComponent("run.stderr")
            let run = try LoggedProcess(
                ["run", file, "--db", workspace.database.path], in: workspace.directory, stderr: stderr)
            let database = workspace.sweepDatabase(sweep.name)
            _ = waitFor("the first epoch") { database.trials()?.first { ($0.lastEpoch ?? 0) >= 1 } }

            let holder = try SQLiteLockHolder(database: workspace.database)
            // Held until the coordinator's write has run into the busy timeout and said it waits.
            let told = waitFor("the coordinator to say it waits") {
                (try? String(contentsOf: stderr, encoding: .utf8))?.contains(
                    "database busy (held by another process) — waiting") == true ? true : nil
            }
            holder.release()
            let result = run.wait()

            #expect(told == true)
            #expect(result == 0, "\((try? String(contentsOf: stderr, encoding: .utf8)) ?? "")")
            let trials = try #require(database.trials())
            #expect(trials.map(\.status) == [.completed])
            let epochs = try #require(database.epochs()?[trials[0].id])
            #expect(epochs.map(\.epoch) == Array(1...sweep.epochs))
        }

        /// Item 1: a coordinator waiting for a busy database still answers SIGINT: it stops while the lock is held,
        /// non-zero, with the trial resumable; a re-run after the lock is gone records every epoch.
        @Test func aSignalEndsTheWaitForABusyDatabase() throws {
            let workspace = try SweepWorkspace()
            // Long enough to be training when the lock is taken: a worker sends short epochs' events together, and the
            // coordinator writes them in one transaction, so 8 short epochs could all be recorded, and the trial
            // finished, before the test saw the first (CI, twice).
            let sweep = TinySweep(name: "busy-stop", samples: 2000, epochs: 60, cells: ["gru"], units: [8])
            let file = try workspace.write("s.yaml", sweep.yaml)
            let stderr = workspace.directory.appendingPathComponent("run.stderr")
            let run = try LoggedProcess(
                ["run", file, "--db", workspace.database.path], in: workspace.directory, stderr: stderr)
            let database = workspace.sweepDatabase(sweep.name)
            _ = waitFor("the first epoch") { database.trials()?.first { ($0.lastEpoch ?? 0) >= 1 } }
            let holder = try SQLiteLockHolder(database: workspace.database)
            _ = waitFor("the coordinator to say it waits") {
                (try? String(contentsOf: stderr, encoding: .utf8))?.contains(
                    "database busy (held by another process) — waiting") == true ? true : nil
            }
            run.send(SIGINT)
            let status = run.wait()
            holder.release()
            #expect(status != 0, "\((try? String(contentsOf: stderr, encoding: .utf8)) ?? "")")
            let trial = try #require(database.trials()?.first)
            #expect(trial.status != .completed)

            let again = try workspace.run(["run", file])
            #expect(again.status == 0, "\(again)")
            let after = SweepDatabase(url: workspace.database, sweep: sweep.name)
            #expect(after.trials()?.map(\.status) == [.completed])
            #expect(after.epochs()?[trial.id]?.map(\.epoch) == Array(1...sweep.epochs))
        }

        /// Item 1: an epoch write that fails for a reason other than a busy database (here a trigger that aborts
        /// it) stops the sweep, exits non-zero and leaves the trial resumable, never completed with a hole; once
        /// the cause is gone, `run` finishes it with every epoch.
        @Test func aFailedEpochWriteLeavesTheTrialResumable() throws {
            let workspace = try SweepWorkspace()
            let setup = try workspace.write(
                "setup.yaml", TinySweep(name: "setup", samples: 200, epochs: 1, cells: ["gru"], units: [4]).yaml)
            #expect(try workspace.run(["run", setup]).status == 0)
            try sqlite(
                workspace.database,
                "CREATE TRIGGER lose_epoch BEFORE INSERT ON epochs WHEN NEW.epoch = 3 "
                    + "BEGIN SELECT RAISE(ABORT, 'injected write failure'); END")
            let sweep = TinySweep(name: "lost", samples: 2000, epochs: 6, cells: ["gru"], units: [8])
            let file = try workspace.write("s.yaml", sweep.yaml)

            // The coordinator is stopped while its worker trains to the end, so that the failed write of epoch 3
            // is handled with the worker's `finished` event already waiting (as behind a long busy wait): the
            // trial must still not be marked completed. A fresh worker per trial exits when its trial ends, which
            // is how the test sees that the events are all waiting.
            let run = try workspace.start(["run", file, "--workers", "1", "--fresh-workers"])
            let database = workspace.sweepDatabase(sweep.name)
            let started = waitFor("the worker to start") {
                database.trials()?.first { $0.status == .running && $0.workerPID != nil }
            }
            run.send(SIGSTOP)
            if let worker = started?.workerPID {
                _ = waitFor("the worker to finish") { ProcessProbe.isDead(Int32(worker)) ? true : nil }
            }
            run.send(SIGCONT)
            let stopped = run.wait()
            #expect(stopped.status != 0, "\(stopped)")
            #expect((stopped.stdout + stopped.stderr).contains("injected write failure"), "\(stopped)")
            let trial = try #require(database.trials()?.first)
            #expect(trial.status == .interrupted, "\(trial.status)")

            try sqlite(workspace.database, "DROP TRIGGER lose_epoch")
            let resumed = try workspace.run(["run", file])
            #expect(resumed.status == 0, "\(resumed)")
            let after = SweepDatabase(url: workspace.database, sweep: sweep.name)
            #expect(after.trials()?.map(\.status) == [.completed])
            #expect(after.epochs()?[trial.id]?.map(\.epoch) == Array(1...sweep.epochs))
        }

        /// Item 1: a completed trial with an epoch row missing (a write lost before this fix): `status` names the
        /// hole, `run` repairs it from the trial's checkpoint, and the hole is gone.
        @Test func epochHoleIsShownAndRepaired() throws {
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "holes", samples: 400, epochs: 4, cells: ["gru"], units: [8])
            let file = try workspace.write("s.yaml", sweep.yaml)
            let first = try workspace.run(["run", file])
            #expect(first.status == 0, "\(first)")
            let database = workspace.sweepDatabase(sweep.name)
            let trial = try #require(database.trials()?.first)
            let before = try #require(database.epochs()?[trial.id])
            try sqlite(workspace.database, "DELETE FROM epochs WHERE epoch = 3")

            let status = try workspace.run(["status"])
            #expect(status.status == 0, "\(status)")
            #expect(
                status.stdout.contains("\(trial.id): epoch 3 missing — `run` repairs it from its checkpoint"),
                "\(status)")

            let again = try workspace.run(["run", file])
            #expect(again.status == 0, "\(again)")
            let after = try #require(SweepDatabase(url: workspace.database, sweep: sweep.name).epochs()?[trial.id])
            #expect(after.map(\.epoch) == [1, 2, 3, 4])
            // The checkpoint's history is the same training: the repaired row is the lost one.
            #expect(after[2].loss == before[2].loss)
            let rows = try #require(SweepDatabase(url: workspace.database, sweep: sweep.name).trials())
            #expect(rows.map(\.status) == [.completed])
            let clean = try workspace.run(["status"])
            #expect(!clean.stdout.contains("`run` repairs it"), "\(clean)")
        }

        /// Item 4: six `run`s of different sweeps started together on a new database, several rounds: all succeed
        /// and the database is intact.
        @Test func concurrentRunsOnANewDatabase() throws {
            for round in 1...3 {
                let workspace = try SweepWorkspace()
                let files = try (1...6).map { index in
                    try workspace.write(
                        "s\(index).yaml",
                        TinySweep(name: "c\(index)", samples: 200, epochs: 1, cells: ["simple_rnn"], units: [4]).yaml)
                }
                let processes = try files.map { try workspace.start(["run", $0]) }
                for (index, process) in processes.enumerated() {
                    let result = process.wait()
                    #expect(result.status == 0, "round \(round), run \(index + 1): \(result)")
                }
                #expect(try sqlite(workspace.database, "PRAGMA integrity_check") == "ok")
                #expect(try sqlite(workspace.database, "SELECT count(*) FROM trials WHERE status = 'completed'") == "6")
            }
        }

        /// Item 4: runs, `status` and `ls` started together on an old (v1) database that the first of them migrates.
        @Test func concurrentCommandsOnAnOldDatabase() throws {
            let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
                .appendingPathComponent("identity-v1/v1.sqlite")
            for round in 1...3 {
                let workspace = try SweepWorkspace()
                try FileManager.default.copyItem(at: fixture, to: workspace.database)
                let files = try (1...3).map { index in
                    try workspace.write(
                        "s\(index).yaml",
                        TinySweep(name: "o\(index)", samples: 200, epochs: 1, cells: ["simple_rnn"], units: [4]).yaml)
                }
                let processes =
                    try files.map { try workspace.start(["run", $0]) }
                    + [workspace.start(["ls"]), workspace.start(["status", "identity-v1"]), workspace.start(["ls"])]
                for (index, process) in processes.enumerated() {
                    let result = process.wait()
                    #expect(result.status == 0, "round \(round), process \(index + 1): \(result)")
                    #expect(!result.stderr.contains("not an rnnsweep database"), "\(result)")
                }
                #expect(try sqlite(workspace.database, "PRAGMA integrity_check") == "ok")
                #expect(
                    try sqlite(workspace.database, "SELECT count(*) FROM grdb_migrations")
                        == "\(StoreSchema.migrationIdentifiers.count)")
            }
        }

        /// Item 5: a database in a folder `nobody` cannot write: `status`, `ls` and `report` read it (immutable);
        /// `run` says it cannot write there.
        @Test(.enabled(if: NonRoot.enabled, NonRoot.skipComment)) func readOnlyDatabaseIsReadable() throws {
            try NonRoot.require()
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "archive", samples: 200, epochs: 2, cells: ["gru"], units: [8])
            let file = try workspace.write("s.yaml", sweep.yaml)
            #expect(try workspace.run(["run", file]).status == 0)
            let db = workspace.database.path

            let status = try NonRoot.run(["status", "--db", db], in: workspace.directory)
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("sweep archive: 1 trials"), "\(status)")
            let list = try NonRoot.run(["ls", "--db", db], in: workspace.directory)
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.contains("archive"), "\(list)")
            let report = try NonRoot.run(["report", "--format", "csv", "--db", db], in: workspace.directory)
            #expect(report.status == 0, "\(report)")
            #expect(report.stdout.contains("completed"), "\(report)")

            let run = try NonRoot.run(["run", file, "--db", db], in: workspace.directory)
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains("cannot write to \(db)"), "\(run)")
            #expect(run.stderr.contains("read-only folder / permissions"), "\(run)")
            #expect(!run.stderr.contains("not an rnnsweep database"), "\(run)")
        }

        /// Item 5 and the four messages: a file `nobody` cannot read, a damaged (truncated) database and someone
        /// else's SQLite database each get their own message.
        @Test(.enabled(if: NonRoot.enabled, NonRoot.skipComment)) func unusableDatabasesSayWhy() throws {
            try NonRoot.require()
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "why", samples: 200, epochs: 2, cells: ["gru"], units: [8, 16])
            let file = try workspace.write("s.yaml", sweep.yaml)
            #expect(try workspace.run(["run", file]).status == 0)

            let secret = workspace.directory.appendingPathComponent("secret.sqlite")
            try FileManager.default.copyItem(at: workspace.database, to: secret)
            chmod(secret.path, 0o600)
            let unreadable = try NonRoot.run(["status", "--db", secret.path], in: workspace.directory)
            #expect(unreadable.status != 0)
            #expect(unreadable.stderr.contains("cannot open database \(secret.path)"), "\(unreadable)")
            #expect(unreadable.stderr.contains("EACCES"), "\(unreadable)")

            let damaged = workspace.directory.appendingPathComponent("damaged.sqlite")
            let bytes = try Data(contentsOf: workspace.database)
            try bytes.prefix(bytes.count / 2).write(to: damaged)
            let truncated = try rnnsweep(["status", "--db", damaged.path], in: workspace.directory)
            #expect(truncated.status != 0)
            #expect(truncated.stderr.contains("is damaged"), "\(truncated)")
            #expect(truncated.stderr.contains(".recover"), "\(truncated)")

            let foreign = workspace.directory.appendingPathComponent("foreign.sqlite")
            _ = try sqlite(foreign, "CREATE TABLE invoices (id INTEGER)")
            let other = try rnnsweep(["status", "--db", foreign.path], in: workspace.directory)
            #expect(other.status != 0)
            #expect(other.stderr.contains("not an rnnsweep database"), "\(other)")
            #expect(other.stderr.contains("invoices"), "\(other)")
        }
    }
}

/// Runs `sqlite3 DATABASE SQL` and returns its trimmed output; throws when it fails.
@discardableResult
private func sqlite(_ database: URL, _ sql: String) throws -> String {
    let process = ChildProcess(
        executableURL: URL(fileURLWithPath: "/usr/bin/sqlite3"), arguments: [database.path, sql])
    let out = Pipe()
    process.standardOutput = .pipe(out)
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    struct Failed: Error { let status: Int32 }
    guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A `sqlite3` shell holding an exclusive transaction on a database until released: another process's write
/// lock, as a long `merge --into` holds it.
private final class SQLiteLockHolder {
    private let process: ChildProcess
    private let input = Pipe()

    init(database: URL) throws {
        process = ChildProcess(executableURL: URL(fileURLWithPath: "/usr/bin/sqlite3"), arguments: [database.path])
        let output = Pipe()
        process.standardInput = .pipe(input)
        process.standardOutput = .pipe(output)
        try process.run()
        // Waits (up to a minute) for the coordinator's own short transactions, then holds the lock.
        input.fileHandleForWriting.write(Data(".timeout 60000\nBEGIN EXCLUSIVE;\nSELECT 'held';\n".utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("held") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(String(decoding: seen, as: UTF8.self).contains("held"), "sqlite3 did not take the lock")
    }

    func release() {
        input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// An `rnnsweep` process whose standard error goes to a file the test reads while it runs.
private final class LoggedProcess {
    private let process: ChildProcess

    init(_ arguments: [String], in directory: URL, stderr: URL) throws {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process = ChildProcess(executableURL: RNNSweepBinary.url, arguments: arguments)
        process.currentDirectoryURL = directory
        process.standardOutput = .nullDevice
        let log = try FileHandle(forWritingTo: stderr)
        process.standardError = .handle(log)
        process.standardInput = .nullDevice
        try process.run()
        try log.close()
    }

    func send(_ signal: Int32) { process.send(signal) }

    /// The exit status; a process still running after ``processTimeout`` is killed and fails the test.
    func wait() -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + processTimeout
        while process.isRunning && clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.send(SIGKILL)
            Issue.record("killed rnnsweep after \(processTimeout): still running")
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// `rnnsweep` run as `nobody` (`setpriv`), for the cases that need a user without rights on root's files. Needs
/// root; elsewhere the tests are skipped with the reason, except under `CI=true`, where that is a failure.
enum NonRoot {
    static var unavailableReason: String? {
        if getuid() != 0 { return "running as `nobody` needs root (uid \(getuid()))" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "no /usr/bin/setpriv" }
        return nil
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var enabled: Bool { unavailableReason == nil || isCI }
    static var skipComment: Comment { Comment(rawValue: "needs root to run as nobody: \(unavailableReason ?? "")") }

    /// Under CI, an unavailable prerequisite fails instead of skipping.
    static func require() throws {
        if let reason = unavailableReason {
            Issue.record("CI=true, but: \(reason)")
            throw CancellationError()
        }
    }

    static func run(_ arguments: [String], in directory: URL) throws -> CommandResult {
        try CommandProcess(
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", RNNSweepBinary.url.path] + arguments, in: directory,
            executable: URL(fileURLWithPath: "/usr/bin/setpriv")
        ).wait()
    }
}
