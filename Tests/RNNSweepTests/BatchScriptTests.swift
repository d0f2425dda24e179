import Foundation
import Spawn
import Testing

@testable import RNNSweep

/// The Slurm batch script without Slurm: its text run by a real bash with a stand-in worker, signalled as Slurm
/// signals a task (every process of it), and the `exited` records it leaves, read as the launcher reads them.
@Suite("Slurm batch script")
struct BatchScriptTests {
    @Test func whatEndsATrialForGood() {
        func exit(_ status: Int32?, limit: Bool = false) -> BatchScriptExit {
            BatchScriptExit(restart: 0, status: status, timeLimit: limit)
        }
        #expect(exit(0).endsTrial(cancelRequested: false))
        #expect(exit(1).endsTrial(cancelRequested: false))
        #expect(exit(137).endsTrial(cancelRequested: false), "a crash, an out-of-memory kill: the trial's own end")
        #expect(!exit(143).endsTrial(cancelRequested: false), "Slurm's SIGTERM: the task ends, a requeue runs it")
        #expect(!exit(nil).endsTrial(cancelRequested: false))
        #expect(exit(143).endsTrial(cancelRequested: true), "the coordinator's stop")
        #expect(exit(143, limit: true).endsTrial(cancelRequested: false))
        #expect(exit(nil, limit: true).endsTrial(cancelRequested: false))
    }

    @Test func linesAndExitFilesAreRead() throws {
        let line = try #require(
            BatchScriptLine.parse(#"{"event":"exited","restart":1,"status":137,"time_limit":false}"#))
        #expect(line == .exited(BatchScriptExit(restart: 1, status: 137, timeLimit: false)))
        let unknown = try #require(
            BatchScriptLine.parse(#"{"event":"exited","restart":0,"status":null,"time_limit":true}"#))
        #expect(unknown == .exited(BatchScriptExit(restart: 0, status: nil, timeLimit: true)))

        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "2 137 false\n".write(to: folder.appendingPathComponent("task-0.exit"), atomically: true, encoding: .utf8)
        try "0 null true\n".write(to: folder.appendingPathComponent("task-1.exit"), atomically: true, encoding: .utf8)
        #expect(
            SlurmBatchScript.exitRecord(folder: folder.path, place: 0)
                == BatchScriptExit(restart: 2, status: 137, timeLimit: false))
        #expect(
            SlurmBatchScript.exitRecord(folder: folder.path, place: 1)
                == BatchScriptExit(restart: 0, status: nil, timeLimit: true))
        #expect(SlurmBatchScript.exitRecord(folder: folder.path, place: 2) == nil)
    }

    /// Slurm's SIGTERM to a task (all its processes) while its first of two trials runs: the worker gets it with the
    /// default action (the shell ignores it, and resets it for the worker: an ignored signal is inherited), the shell
    /// records the worker's status, and starts no other trial.
    @Test func slurmsSigtermEndsTheWorkerAndTheTaskStartsNoOtherTrial() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The stand-in worker notes its ignored signals, says it runs, and waits to be signalled.
        let worker = folder.appendingPathComponent("worker")
        try """
        #!/bin/sh
        events="$5"
        grep SigIgn /proc/$$/status >"$events.sigign"
        echo running >"$events.running"
        exec sleep 60
        """.write(to: worker, atomically: true, encoding: .utf8)
        chmod(worker.path, 0o755)
        let shell = try startTask(folder: folder, worker: worker, trials: 2)
        let running = folder.appendingPathComponent("task-0.events.running")
        let deadline = Date(timeIntervalSinceNow: 60)
        while !FileManager.default.fileExists(atPath: running.path) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(FileManager.default.fileExists(atPath: running.path))
        // As Slurm signals a task: its processes (ChildProcess gives the shell a process group of its own).
        kill(-shell.processIdentifier, SIGTERM)
        #expect(shell.waitUntilExit(timeout: 60))
        if shell.isRunning {
            kill(-shell.processIdentifier, SIGKILL)
            shell.waitUntilExit()
        }

        let ignored = try String(contentsOf: folder.appendingPathComponent("task-0.events.sigign"), encoding: .utf8)
        let mask = UInt64(
            ignored.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16)
        #expect(mask.map { $0 & (1 << (UInt64(SIGTERM) - 1)) == 0 } == true, "the worker ignores SIGTERM: \(ignored)")
        #expect(
            SlurmBatchScript.exitRecord(folder: folder.path, place: 0)
                == BatchScriptExit(restart: 0, status: 143, timeLimit: false))
        let events = try String(contentsOf: folder.appendingPathComponent("task-0.events"), encoding: .utf8)
        #expect(events.contains(#""status":143,"time_limit":false}"#), "\(events)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("task-1.events").path))
        #expect(shell.terminationReason == .exit && shell.terminationStatus == 143)
    }

    /// A restarted task (a requeue) runs again the trials Slurm's ending stopped, and only them: the script's
    /// `ended_before` and ``BatchScriptExit/endsTrial(cancelRequested:)`` agree on every record.
    @Test func aRestartRunsAgainOnlyWhatSlurmsEndingStopped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let worker = folder.appendingPathComponent("worker")
        try "#!/bin/sh\nexit 0\n".write(to: worker, atomically: true, encoding: .utf8)
        chmod(worker.path, 0o755)
        // Each trial's record from the first start: status, time limit.
        let records = ["137 false", "143 false", "0 false", "1 false", "143 true", "null true", "null false"]
        for (place, record) in records.enumerated() {
            try "0 \(record)\n".write(
                to: folder.appendingPathComponent("task-\(place).exit"), atomically: true, encoding: .utf8)
        }
        let shell = try startTask(folder: folder, worker: worker, trials: records.count, restart: 1)
        shell.waitUntilExit()
        for place in records.indices {
            let exit = try #require(SlurmBatchScript.exitRecord(folder: folder.path, place: place))
            let ranAgain = exit.restart == 1
            let first = records[place].split(separator: " ")
            let before = BatchScriptExit(restart: 0, status: Int32(String(first[0])), timeLimit: first[1] == "true")
            #expect(ranAgain == !before.endsTrial(cancelRequested: false), "\(records[place]): ran again \(ranAgain)")
        }
        #expect(
            (0..<records.count).filter { SlurmBatchScript.exitRecord(folder: folder.path, place: $0)?.restart == 1 }
                == [1, 6])
    }

    /// Starts the batch script of one task running `trials` trials with `worker` for `rnnsweep`, in bash, as
    /// slurmstepd starts it: array task 0, restart `restart`, SIGTERM unblocked (a test's thread may block it, and a
    /// child inherits the mask), in a process group of its own.
    private func startTask(folder: URL, worker: URL, trials: Int, restart: Int = 0) throws -> ChildProcess {
        let script = folder.appendingPathComponent("batch.sh")
        try SlurmBatchScript.text(folder: folder, executable: worker, sweep: "s", count: trials, tasks: 1)
            .write(to: script, atomically: true, encoding: .utf8)
        let shell = ChildProcess(executableURL: URL(fileURLWithPath: "/bin/bash"), arguments: [script.path])
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_ARRAY_TASK_ID"] = "0"
        environment["SLURM_ARRAY_JOB_ID"] = "7"
        environment["SLURM_RESTART_COUNT"] = String(restart)
        shell.environment = environment
        shell.standardInput = .nullDevice
        var unblock = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try shell.run()
        return shell
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("batch-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
