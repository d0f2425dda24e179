import Foundation
import GRDB
import RNNSweep
import Testing

extension EndToEnd {
    /// Issue 25, items 2, 3 and 6: the runs folder and the lock, attacked with real processes and files.
    /// - 2: links planted in the sweep's folder are never followed (the lock, a checkpoint folder, an events file,
    ///   `run.log`); the files they point to stay as they were.
    /// - 3: deleting `.lock` does not let a second coordinator in: the sweep is held in the database too.
    /// - 6: a runs folder made unwritable mid-sweep stops the sweep with the trials resumable.
    @Suite struct RunsFolderTests {
        /// Long enough that a trial is still training while the test acts on the folder, with one worker.
        let long = TinySweep(name: "night", samples: 6000, epochs: 40)
        let short = TinySweep(name: "night", epochs: 2)

        /// What a planted link points to: a copy of a file that must never change.
        static let precious = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin\n"

        // MARK: - 2. No followed link

        @Test func aLockThatIsALinkIsRefusedAndItsTargetKept() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", short.yaml)
            let target = try workspace.write("passwd.copy", Self.precious)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(short.name)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let lock = folder.appendingPathComponent(".lock")
            try FileManager.default.createSymbolicLink(atPath: lock.path, withDestinationPath: target)

            let result = try workspace.run(["run", file])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains(lock.path) && result.stderr.contains("symbolic link"), "\(result)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.precious)
            #expect(workspace.sweepDatabase(short.name).trials() == nil, "nothing is registered or trained")

            // A hard link to the file is refused too: writing the pid through it would change the file.
            try FileManager.default.removeItem(at: lock)
            try FileManager.default.linkItem(atPath: target, toPath: lock.path)
            let hard = try workspace.run(["run", file])
            #expect(hard.status != 0, "\(hard)")
            #expect(hard.stderr.contains(lock.path) && hard.stderr.contains("hard links"), "\(hard)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.precious)
        }

        @Test func aCheckpointFolderThatIsALinkIsRefusedBeforeAnythingIsTrained() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", short.yaml)
            // The trial ids, from a first run, which is then thrown away.
            let first = try workspace.run(["run", file])
            #expect(first.status == 0, "\(first)")
            let ids = try #require(workspace.sweepDatabase(short.name).trials()).map(\.id)
            for name in try workspace.contents() where name.hasPrefix("r.") {
                try FileManager.default.removeItem(at: workspace.directory.appendingPathComponent(name))
            }
            let elsewhere = workspace.directory.appendingPathComponent("elsewhere", isDirectory: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(short.name)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let link = folder.appendingPathComponent(ids[2])
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)

            let result = try workspace.run(["run", file])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains(link.path) && result.stderr.contains("symbolic link"), "\(result)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
            #expect(
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent(ids[0]).path),
                "no trial was trained")
        }

        @Test func aCheckpointFolderLinkedMidSweepFailsItsTrialAlone() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let run = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(long.name)
            _ = waitFor("the first trial to train") { database.trials()?.first { $0.status == .running } }
            let elsewhere = workspace.directory.appendingPathComponent("elsewhere", isDirectory: true)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(long.name)", isDirectory: true)
            for trial in try #require(database.trials()) where trial.status == .pending {
                try FileManager.default.createSymbolicLink(
                    at: folder.appendingPathComponent(trial.id), withDestinationURL: elsewhere)
            }
            // Those still pending now were certainly started after their link was planted.
            let linked = Set(try #require(database.trials()).filter { $0.status == .pending }.map(\.id))
            try #require(!linked.isEmpty, "one worker, four trials: the last ones wait")

            let result = run.wait()
            #expect(result.status != 0, "\(result)")
            let trials = try #require(database.trials())
            for trial in trials where linked.contains(trial.id) {
                #expect(trial.status == .failed, "\(trial.id)")
                #expect(trial.error?.contains("symbolic link") == true, "\(trial.error ?? "")")
            }
            #expect(trials.contains { $0.status == .completed }, "the other trials are unaffected")
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        }

        @Test func anEventsFileThatIsALinkIsNotWritten() throws {
            let workspace = try SweepWorkspace()
            let target = try workspace.write("passwd.copy", Self.precious)
            let events = workspace.directory.appendingPathComponent("task-0.events")
            try FileManager.default.createSymbolicLink(atPath: events.path, withDestinationPath: target)
            let request = try workspace.write("task-0.json", "{}")

            let result = try rnnsweep(
                ["worker", "--request", request, "--events", events.path], in: workspace.directory)
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("symbolic link"), "\(result)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.precious)
        }

        @Test func aRunLogThatIsALinkIsNotWritten() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", short.yaml)
            let target = try workspace.write("passwd.copy", Self.precious)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(short.name)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("run.log").path, withDestinationPath: target)

            let result = try workspace.run(["run", file, "--detach"])
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("run.log is a symbolic link"), "\(result)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == Self.precious)
        }

        // MARK: - 3. Mutual exclusion without the lock file

        @Test func deletingTheLockDoesNotLetASecondRunIn() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let first = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(long.name)
            let started = waitFor("the first run to train") { database.trials()?.first { $0.status == .running } }
            try FileManager.default.removeItem(
                at: workspace.directory.appendingPathComponent("r.runs/\(long.name)/.lock"))

            let second = try workspace.run(["run", file, "--workers", "1"])
            #expect(second.status != 0, "\(second)")
            #expect(second.stderr.contains("already running"), "\(second)")
            #expect(second.stderr.contains("coordinator pid \(first.pid)"), "\(second)")
            // `sync` follows the same rule (it goes through the same setup).
            let sync = try workspace.run(["sync", long.name])
            #expect(sync.status != 0, "\(sync)")
            #expect(sync.stderr.contains("coordinator pid \(first.pid)"), "\(sync)")
            let status = try workspace.run(["status", long.name])
            #expect(status.stdout.contains("coordinator: running (pid \(first.pid))"), "\(status)")

            let result = first.wait()
            #expect(started != nil)
            #expect(result.status == 0, "\(result)")
            for trial in try #require(database.trials()) {
                #expect(trial.status == .completed, "\(trial.id)")
                #expect(trial.attempts == 1, "\(trial.id) was started by the second run")
            }
        }

        @Test func aKilledCoordinatorIsTakenOverWithANote() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let first = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(long.name)
            _ = waitFor("the first run to train") { database.trials()?.first { $0.status == .running } }
            first.send(SIGKILL)
            _ = first.wait()
            #expect(try database.open()?.sweepOwner(long.name)?.pid == first.pid, "a killed coordinator's row stays")

            let again = try workspace.run(["run", file, "--workers", "2"])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("took the sweep over from coordinator pid \(first.pid)"), "\(again)")
            #expect(try database.open()?.sweepOwner(long.name) == nil, "a coordinator that ends lets go of the sweep")
            for trial in try #require(database.trials()) { #expect(trial.status == .completed, "\(trial.id)") }
        }

        @Test func aCoordinatorOnAnotherHostIsRefusedUntilItsHeartbeatIsStale() throws {
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", short.yaml)
            #expect(try workspace.run(["run", file]).status == 0)
            let queue = try DatabaseQueue(path: workspace.database.path)
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sweep_owners (sweep, host, boot_id, pid, process_start)
                        VALUES (?, 'node-elsewhere', 'another-boot', 4242, 1)
                        """, arguments: [short.name])
            }
            let refused = try workspace.run(["run", file])
            #expect(refused.status != 0, "\(refused)")
            #expect(refused.stderr.contains("from host node-elsewhere (coordinator pid 4242"), "\(refused)")

            // Silent for longer than the documented staleness: dead, taken over.
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE sweep_owners SET heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')")
            }
            try queue.close()
            let taken = try workspace.run(["run", file])
            #expect(taken.status == 0, "\(taken)")
            #expect(
                taken.stdout.contains("took the sweep over from coordinator pid 4242 on node-elsewhere"), "\(taken)")
        }

        // MARK: - 6. An unwritable runs folder

        @Test(.enabled(if: UnprivilegedUser.enabled, UnprivilegedUser.skipComment))
        func anUnwritableRunsFolderStopsTheSweepWithTheTrialsResumable() throws {
            guard UnprivilegedUser.requireAvailable() else { return }
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let binary = try UnprivilegedUser.prepare(workspace.directory)
            let arguments = ["run", file, "--workers", "2", "--db", workspace.database.path]
            let run = try UnprivilegedUser.start(binary, arguments, in: workspace.directory)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(long.name)", isDirectory: true)
            _ = waitFor("a first checkpoint") {
                try? FileManager.default.subpathsOfDirectory(atPath: folder.path).first {
                    $0.hasSuffix("checkpoint.safetensors")
                }
            }
            // Read-only, recursively, mid-sweep (as chmod -R a-w).
            Self.setWritable(folder, false)

            let result = run.wait()
            Self.setWritable(folder, true)
            #expect(result.status != 0, "\(result)")
            // The error line goes where the run's report goes (stdout), as for a full disk.
            let printed = result.stdout + result.stderr
            #expect(printed.contains("error: the checkpoint folder \(folder.path)/"), "\(result)")
            #expect(printed.contains("cannot be written: Permission denied"), "the folder and why: \(result)")
            #expect(result.stdout.contains("stopping the sweep"), "\(result)")
            let database = workspace.sweepDatabase(long.name)
            let trials = try #require(database.trials())
            #expect(trials.allSatisfy { $0.status != .failed }, "\(trials.map { ($0.id, $0.status, $0.error) })")
            #expect(trials.contains { $0.status == .interrupted })
            #expect(trials.contains { $0.status == .pending }, "the queue was not burnt")

            UnprivilegedUser.giveAway(workspace.directory)
            let again = try UnprivilegedUser.start(binary, arguments, in: workspace.directory).wait()
            #expect(again.status == 0, "\(again)")
            for trial in try #require(database.trials()) { #expect(trial.status == .completed, "\(trial.id)") }
        }

        @Test(.enabled(if: FolderFreeze.immutableUnavailableReason == nil || FolderFreeze.isCI))
        func anImmutableRunsFolderStopsTheSweepBeforeTheNextTrial() throws {
            guard FolderFreeze.require(FolderFreeze.immutableUnavailableReason) else { return }
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let run = try workspace.start(["run", file, "--workers", "1"])
            let database = workspace.sweepDatabase(long.name)
            let folder = workspace.directory.appendingPathComponent("r.runs/\(long.name)", isDirectory: true)
            let first = waitFor("the first trial to train") { database.trials()?.first { $0.status == .running } }
            _ = waitFor("its first checkpoint, in its own folder") {
                first.flatMap { trial in
                    FileManager.default.fileExists(
                        atPath: folder.appendingPathComponent("\(trial.id)/checkpoint.safetensors").path) ? true : nil
                }
            }
            // Immutable (as the hostile night did): no new trial folder; the first trial's own folder stays writable.
            let frozen = try FolderFreeze.setImmutable(folder, true)
            defer { _ = try? FolderFreeze.setImmutable(folder, false) }
            try #require(frozen.status == 0, "\(frozen)")

            let result = run.wait()
            _ = try FolderFreeze.setImmutable(folder, false)
            #expect(result.status != 0, "\(result)")
            #expect(result.stdout.contains("error: the checkpoint folder \(folder.path)/"), "\(result)")
            #expect(result.stdout.contains("cannot be written: Operation not permitted"), "\(result)")
            let trials = try #require(database.trials())
            #expect(trials.allSatisfy { $0.status != .failed }, "\(trials.map { ($0.id, $0.status, $0.error) })")
            #expect(trials.first { $0.id == first?.id }?.status == .completed, "its folder was still writable")
            #expect(trials.filter { $0.status == .interrupted }.count == 1, "the trial that could not start")
            #expect(trials.contains { $0.status == .pending }, "the queue was not burnt")

            let again = try workspace.run(["run", file, "--workers", "2"])
            #expect(again.status == 0, "\(again)")
            for trial in try #require(database.trials()) { #expect(trial.status == .completed, "\(trial.id)") }
        }

        @Test(.enabled(if: FolderFreeze.bindUnavailableReason == nil || FolderFreeze.isCI))
        func aReadOnlyMountedRunsFolderStopsTheSweepWithTheTrialsResumable() throws {
            guard FolderFreeze.require(FolderFreeze.bindUnavailableReason) else { return }
            let workspace = try SweepWorkspace()
            let file = try workspace.write("s.yaml", long.yaml)
            let run = try workspace.start(["run", file, "--workers", "2"])
            let folder = workspace.directory.appendingPathComponent("r.runs/\(long.name)", isDirectory: true)
            _ = waitFor("a first checkpoint") {
                try? FileManager.default.subpathsOfDirectory(atPath: folder.path).first {
                    $0.hasSuffix("checkpoint.safetensors")
                }
            }
            let mounted = try FolderFreeze.mountReadOnly(folder)
            defer { _ = try? FolderFreeze.unmount(folder) }
            try #require(mounted.status == 0, "\(mounted)")

            let result = run.wait()
            _ = try FolderFreeze.unmount(folder)
            #expect(result.status != 0, "\(result)")
            #expect(result.stdout.contains("error: the checkpoint folder \(folder.path)/"), "\(result)")
            #expect(result.stdout.contains("cannot be written: Read-only file system"), "\(result)")
            let database = workspace.sweepDatabase(long.name)
            let trials = try #require(database.trials())
            #expect(trials.allSatisfy { $0.status != .failed }, "\(trials.map { ($0.id, $0.status, $0.error) })")
            #expect(trials.contains { $0.status == .pending }, "the queue was not burnt")

            let again = try workspace.run(["run", file, "--workers", "2"])
            #expect(again.status == 0, "\(again)")
            for trial in try #require(database.trials()) { #expect(trial.status == .completed, "\(trial.id)") }
        }

        /// chmod of `folder` and everything in it: u+w (and the permissions a folder needs), or a-w.
        static func setWritable(_ folder: URL, _ writable: Bool) {
            let paths =
                [folder.path]
                + (FileManager.default.subpaths(atPath: folder.path) ?? []).map {
                    folder.appendingPathComponent($0).path
                }
            for path in paths {
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { continue }
                let mode = info.st_mode & 0o7777
                _ = chmod(path, writable ? mode | 0o200 : mode & ~0o222)
            }
        }
    }
}
