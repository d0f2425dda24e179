import Foundation

/// A process named so that it cannot be confused with another: host, boot, pid and the pid's start time. A pid alone
/// is recycled (a coordinator killed long ago may share its pid with a live shell today); the start time of a pid
/// changes when it is, and the boot id when the machine restarts.
public struct ProcessIdentity: Sendable, Equatable {
    public var host: String
    public var bootID: String
    public var pid: Int32
    /// Clock ticks since boot at which the process started (`/proc/<pid>/stat`, field 22).
    public var processStart: UInt64

    /// This process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(host: hostName, bootID: bootID, pid: pid, processStart: startTime(of: pid) ?? 0)
    }

    /// `gethostname(2)`.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// This boot's id (`/proc/sys/kernel/random/boot_id`); empty where the kernel does not give one.
    public static var bootID: String {
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The start time of process `pid` in clock ticks since boot, nil when there is no such process. Field 22 of
    /// `/proc/<pid>/stat`, counted after the `(comm)` field, which may itself hold spaces and parentheses.
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After `(comm)`: field 3 (state) is the first; field 22 is the 20th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// True when this identity's process is running on this machine now. Answers only for this host and boot:
    /// another machine's processes cannot be seen from here.
    var isRunningHere: Bool {
        guard host == Self.hostName, bootID == Self.bootID else { return false }
        guard let start = Self.startTime(of: pid) else { return false }
        // A zombie has exited; its row awaits only its parent.
        return start == processStart && !Self.isZombie(pid)
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return false }
        return text[text.index(after: close)...].split(separator: " ").first == "Z"
    }
}
