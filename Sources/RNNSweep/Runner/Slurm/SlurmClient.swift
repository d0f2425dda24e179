import Foundation

/// The Slurm commands the launcher needs, run as processes on the submit host (no library, no daemon connection of
/// our own: what works for the user in a shell works here).
struct SlurmClient {
    /// One task as `squeue` shows it.
    struct QueuedTask: Equatable {
        var state: String
        var reason: String?
        var node: String?
    }

    /// Runs `tool arguments…`; returns stdout, or throws with stderr.
    func run(_ tool: String, _ arguments: [String]) throws(SlurmError) -> String {
        guard let path = Self.find(tool) else { throw .notInstalled(tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw .commandFailed(command: tool, status: -1, output: "\(error)") }
        // Both pipes drained before waiting: a chatty command must not block on a full pipe.
        let errorData = ErrorCollector(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = errorData.text().trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            throw .commandFailed(
                command: ([tool] + arguments).joined(separator: " "), status: process.terminationStatus, output: stderr)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `scontrol show config`'s MaxArraySize: array indices must stay below it.
    func maxArraySize() throws(SlurmError) -> Int {
        let config = try run("scontrol", ["show", "config"])
        for line in config.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            if let value = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                return value
            }
        }
        return 1001  // Slurm's default
    }

    /// Submits `script` as an array of `count` tasks (indices 0…count−1); returns the job id.
    func submitArray(script: URL, count: Int, throttle: Int?, name: String, output: String, settings: SlurmSettings)
        throws(SlurmError) -> String
    {
        var arguments = [
            "--parsable", "--job-name=\(name)", "--array=0-\(count - 1)" + (throttle.map { "%\($0)" } ?? ""),
            "--output=\(output)", "--open-mode=append", "--cpus-per-task=\(settings.cpusPerTask)", "--requeue",
        ]
        if let partition = settings.partition { arguments.append("--partition=\(partition)") }
        if let time = settings.time { arguments.append("--time=\(time)") }
        if let warning = settings.warningSeconds { arguments.append("--signal=B:USR1@\(warning)") }
        if let mem = settings.mem { arguments.append("--mem=\(mem)") }
        arguments += settings.sbatchArgs
        arguments.append(script.path)
        let text = try run("sbatch", arguments)
        // `--parsable` prints `jobid` or `jobid;cluster`.
        let id = text.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .commandFailed(command: "sbatch", status: 0, output: "unexpected reply '\(text)'")
        }
        return id
    }

    /// The queued and running tasks of the given array jobs, keyed `jobid_index`. A job that has left the queue
    /// entirely is simply absent.
    func queue(jobs: [String]) throws(SlurmError) -> [String: QueuedTask] {
        guard !jobs.isEmpty else { return [:] }
        let text: String
        do {
            text = try run("squeue", ["-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%i|%T|%r|%N"])
        } catch .commandFailed(_, _, let output) where output.contains("Invalid job id") {
            // squeue refuses a list whose jobs have all left the queue.
            return [:]
        }
        var tasks: [String: QueuedTask] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { continue }
            tasks[fields[0]] = QueuedTask(
                state: fields[1], reason: fields[2] == "None" || fields[2].isEmpty ? nil : fields[2],
                node: fields[3].isEmpty ? nil : fields[3])
        }
        return tasks
    }

    /// The id of the job named `name` that is still in the queue, if any.
    func job(named name: String) throws(SlurmError) -> String? {
        let text = try run("squeue", ["-h", "--name=\(name)", "-o", "%F"])
        return text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Cancels one array task (SIGTERM to its processes, then SIGKILL after the cluster's KillWait), or with
    /// `force` kills it at once.
    func cancel(_ task: String, force: Bool) throws(SlurmError) {
        _ = try run("scancel", (force ? ["--signal=KILL", "--full"] : []) + [task])
    }

    static func find(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths + ["/usr/bin", "/usr/local/bin"] {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// Reads a pipe to end-of-file on its own thread.
private final class ErrorCollector: @unchecked Sendable {
    private let done = NSCondition()
    private var data = Data()
    private var finished = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let all = handle.readDataToEndOfFile()
            done.lock()
            data = all
            finished = true
            done.broadcast()
            done.unlock()
        }
    }

    func text() -> String {
        done.lock()
        defer { done.unlock() }
        while !finished { done.wait() }
        return String(decoding: data, as: UTF8.self)
    }
}
