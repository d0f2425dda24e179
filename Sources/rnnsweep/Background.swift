import ArgumentParser
import Foundation
import RNNCore
import RNNSweep

/// `run --detach` on the local executor: the same command again as a new session's leader (so a closed terminal or
/// an SSH hang-up does not reach it), its output appended to `run.log` in the sweep's folder.
enum Background {
    /// Set in the child's environment so that it runs instead of detaching again.
    static let childMarker = "RNNSWEEP_DETACHED"

    static func detach(sweep: String, database: URL) throws {
        let folder = try CLIError.runtime { try SweepFolders.runDirectory(database: database, sweep: sweep) }
        try CLIError.runtime { try NoFollow.directory(folder.path, allowingLink: true) }
        let log = folder.appendingPathComponent("run.log")
        // Checked here for a clear message; the child's open does not follow a link either (``NoFollow``).
        _ = try CLIError.runtime { close(try NoFollow.open(log.path, flags: O_WRONLY | O_CREAT | O_APPEND)) }
        let arguments = [Executable.url.path] + CommandLine.arguments.dropFirst().filter { $0 != "--detach" }
        var environment = ProcessInfo.processInfo.environment
        environment[childMarker] = "1"
        let pid = try CLIError.runtime { try spawn(arguments, environment: environment, output: log.path) }
        // Wait until the child holds the sweep's lock (or has died, e.g. because the sweep is already running).
        for _ in 0..<100 {
            if let holder = SweepFolders.lockHolder(folder: folder), holder == pid {
                Output.print("running in the background as pid \(pid) (a new session); log: \(log.path)")
                Output.print("`rnnsweep status \(sweep)` shows its progress; `kill \(pid)` stops it (it resumes later)")
                return
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                let tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
                throw CLIError.fail("the background coordinator exited at once; the end of \(log.path):\n\(tail)")
            }
            usleep(50_000)
        }
        Output.print("started in the background as pid \(pid); log: \(log.path)")
    }

    /// glibc's POSIX_SPAWN_SETSID (since 2.26), which its header exposes only under _GNU_SOURCE.
    private static let posixSpawnSetSID: Int16 = 0x80

    /// posix_spawn with a new session, stdin from /dev/null and stdout/stderr appended to `output`.
    private static func spawn(_ arguments: [String], environment: [String: String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // run.log is in the sweep's folder: never opened through a planted link (``NoFollow``).
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours may stay open in the child: an inherited pipe (the caller's stdout, say) would keep
        // the caller waiting for end-of-file until the background sweep ends.
        let inherited = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap {
            Int32($0)
        }
        for fd in inherited ?? [] where fd > 2 && fcntl(fd, F_GETFD) >= 0 && fcntl(fd, F_GETFD) & FD_CLOEXEC == 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, posixSpawnSetSID)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SweepRunError.launch("cannot start the background coordinator: \(String(cString: strerror(result)))")
        }
        return pid
    }
}
