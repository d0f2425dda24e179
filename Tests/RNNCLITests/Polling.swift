import Foundation
import Testing

/// Upper bound for every wait on a condition. It only fails a test that would otherwise hang; no test depends on
/// how fast anything happens.
let conditionTimeout: Duration = .seconds(120)

/// Polls `condition` every 20 ms until it returns a value; records an issue and returns nil after
/// ``conditionTimeout``.
func waitFor<T>(
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> T?
) rethrows -> T? {
    let clock = ContinuousClock()
    let deadline = clock.now + conditionTimeout
    while clock.now < deadline {
        if let value = try condition() { return value }
        Thread.sleep(forTimeInterval: 0.02)
    }
    Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    return nil
}

/// Facts about live processes, from `/proc` and `kill(2)`.
enum ProcessProbe {
    /// The parent pid from `/proc/<pid>/stat`, nil when the process does not exist.
    static func parent(of pid: Int32) -> Int32? {
        statFields(pid).flatMap { $0.count > 1 ? Int32($0[1]) : nil }
    }

    /// True when `kill(pid, 0)` fails with ESRCH: the process is gone and reaped.
    static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// True when `signal` waits to be delivered to the process (`SigPnd`/`ShdPnd` of `/proc/<pid>/status`): sent
    /// to a stopped process, it is handled once the process continues.
    static func hasPending(_ pid: Int32, _ signal: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { line in
            guard line.hasPrefix("SigPnd:") || line.hasPrefix("ShdPnd:"),
                let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16)
            else { return false }
            return mask & (1 << UInt64(signal - 1)) != 0
        }
    }

    /// True when the process is stopped (state `T`, after SIGSTOP).
    static func isStopped(_ pid: Int32) -> Bool { statFields(pid)?.first == "T" }

    /// True when the process is gone or a zombie (dead, waiting for whoever inherited it to reap it).
    static func isDead(_ pid: Int32) -> Bool {
        if isGone(pid) { return true }
        return statFields(pid)?.first == "Z"
    }

    /// The fields after `(comm)` in `/proc/<pid>/stat`: state, ppid, …
    private static func statFields(_ pid: Int32) -> [String]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ").map(String.init)
    }
}
