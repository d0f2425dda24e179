import Foundation
import Testing

/// Makes a folder unwritable even for root, the two ways a hostile night did: `chattr +i` (immutable: EPERM) and a
/// read-only bind mount over it (EROFS). Both need root and a file system that supports them; where they are not
/// available the tests that need them are skipped with the reason, except under `CI=true` (a failure there, as for
/// ``SlurmCluster``).
enum FolderFreeze {
    /// Why `chattr +i` cannot be used on the temporary folder here, or nil when it can (tried on a probe folder).
    static let immutableUnavailableReason: String? = {
        if getuid() != 0 { return "chattr +i needs root" }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-chattr-\(UUID())")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else {
            return "cannot create \(probe.path)"
        }
        defer {
            _ = try? run(["chattr", "-i", probe.path])
            try? FileManager.default.removeItem(at: probe)
        }
        guard let set = try? run(["chattr", "+i", probe.path]), set.status == 0 else {
            return "chattr +i does not work in \(probe.deletingLastPathComponent().path) (missing, or the file system)"
        }
        return nil
    }()

    /// Why a read-only bind mount cannot be made here, or nil when it can (tried on a probe folder).
    static let bindUnavailableReason: String? = {
        if getuid() != 0 { return "mount --bind needs root" }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-bind-\(UUID())")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else {
            return "cannot create \(probe.path)"
        }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard let bound = try? run(["mount", "--bind", "-o", "ro", probe.path, probe.path]), bound.status == 0 else {
            return "mount --bind -o ro is not permitted here (a container without CAP_SYS_ADMIN?)"
        }
        _ = try? run(["umount", probe.path])
        return nil
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Records an issue (under CI) and returns false when `reason` says the feature is unavailable.
    static func require(_ reason: String?, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let reason else { return true }
        Issue.record("CI=true, but \(reason)", sourceLocation: sourceLocation)
        return false
    }

    /// `chattr ±i folder` (not recursive: the folders inside stay writable).
    static func setImmutable(_ folder: URL, _ on: Bool) throws -> CommandResult {
        try run(["chattr", on ? "+i" : "-i", folder.path])
    }

    /// Mounts `folder` read-only over itself; ``unmount(_:)`` undoes it.
    static func mountReadOnly(_ folder: URL) throws -> CommandResult {
        try run(["mount", "--bind", "-o", "ro", folder.path, folder.path])
    }

    static func unmount(_ folder: URL) throws -> CommandResult { try run(["umount", folder.path]) }

    private static func run(_ arguments: [String]) throws -> CommandResult {
        try CommandProcess(
            arguments, in: FileManager.default.temporaryDirectory, executable: URL(fileURLWithPath: "/usr/bin/env")
        ).wait()
    }
}
