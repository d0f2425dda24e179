import Foundation
import Testing

/// Runs `rnnsweep` as `nobody` (util-linux `setpriv`, in Debian's base system), for cases where root would not see
/// the failure: root ignores file permissions. Needs root to switch users; where the tests do not run as root the
/// cases are skipped with a visible reason, except under `CI=true`, where CI runs them as root and a skip is a
/// failure (as ``SlurmCluster`` does).
enum UnprivilegedUser {
    static let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
    static let user = "nobody"
    static let group = "nogroup"

    /// Why this machine cannot run a process as `nobody`, or nil when it can.
    static let unavailableReason: String? = {
        if getuid() != 0 { return "switching to the user \(user) needs root (these tests run as uid \(getuid()))" }
        if !FileManager.default.isExecutableFile(atPath: setpriv.path) { return "\(setpriv.path) is missing" }
        if getpwnam(user) == nil || getgrnam(group) == nil { return "no user \(user) or group \(group)" }
        return nil
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether the tests that need it run: here, or under CI (where ``requireAvailable()`` then fails them).
    static var enabled: Bool { unavailableReason == nil || isCI }

    static var skipComment: Comment {
        Comment(rawValue: "needs a non-root user: \(unavailableReason ?? "")")
    }

    /// Records an issue (under CI) and returns false when the user cannot be switched to.
    static func requireAvailable(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let reason = unavailableReason else { return true }
        Issue.record("CI=true, but rnnsweep cannot run as \(user): \(reason)", sourceLocation: sourceLocation)
        return false
    }

    /// Copies the binary into `directory` and gives the folder to `nobody` (``giveAway(_:)``): the build folder may
    /// not be reachable by `nobody` (a checkout in /root). Returns the copy.
    static func prepare(_ directory: URL) throws -> URL {
        let binary = directory.appendingPathComponent("rnnsweep-bin")
        try FileManager.default.copyItem(at: RNNSweepBinary.url, to: binary)
        giveAway(directory)
        return binary
    }

    /// Makes `nobody` the owner of `directory` and everything in it; again after the test (root) has read the
    /// database, whose `-wal` and `-shm` files a root reader may have created.
    static func giveAway(_ directory: URL) {
        let owner = getpwnam(user)!.pointee.pw_uid
        let ownerGroup = getgrnam(group)!.pointee.gr_gid
        let paths =
            [directory.path]
            + (FileManager.default.subpaths(atPath: directory.path) ?? []).map {
                directory.appendingPathComponent($0).path
            }
        for path in paths { _ = lchown(path, owner, ownerGroup) }
    }

    /// Starts `binary ARGUMENTS` as `nobody` in `directory`.
    static func start(_ binary: URL, _ arguments: [String], in directory: URL) throws -> CommandProcess {
        try CommandProcess(
            ["--reuid=\(user)", "--regid=\(group)", "--clear-groups", binary.path] + arguments, in: directory,
            executable: setpriv)
    }
}
