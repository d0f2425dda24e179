import Foundation
import Testing

/// A real one-node Slurm cluster on loopback (`Scripts/slurm-loopback.sh`), started for the suite this trait is
/// applied to and stopped after it. Its `SLURM_CONF` is set in this process's environment, so every `rnnsweep` the
/// tests start (and the sbatch/squeue it runs) talks to it.
///
/// Where the machine cannot run it (not root, packages missing) the suite is skipped with the reason — except under
/// `CI=true`, where that is a failure: CI installs the packages and runs as root.
struct SlurmCluster: SuiteTrait, TestScoping {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/slurm-loopback.sh")

    /// Why this machine cannot run the cluster, or nil when it can.
    static let unavailableReason: String? = {
        let result = try? shell([script.path, "check"])
        guard let result else { return "cannot run \(script.path)" }
        return result.status == 0 ? nil : result.stdout + result.stderr
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Skip, unless under CI (there a missing cluster fails the suite in `provideScope`).
    static var enabled: Bool { unavailableReason == nil || isCI }

    static var skipComment: Comment {
        Comment(rawValue: "the Slurm executor tests need a loopback Slurm cluster: \(unavailableReason ?? "")")
    }

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        if let reason = Self.unavailableReason {
            Issue.record("CI=true, but the loopback Slurm cluster cannot run here: \(reason)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-slurm-\(UUID().uuidString)", isDirectory: true)
        let started = try Self.shell([Self.script.path, "start", directory.path])
        guard started.status == 0 else {
            Issue.record("the loopback Slurm cluster did not start: \(started.stdout)\(started.stderr)")
            return
        }
        setenv("SLURM_CONF", directory.appendingPathComponent("slurm.conf").path, 1)
        defer {
            _ = try? Self.shell(["scancel", "--user=\(NSUserName())"])
            _ = try? Self.shell([Self.script.path, "stop", directory.path])
            unsetenv("SLURM_CONF")
            try? FileManager.default.removeItem(at: directory)
        }
        try await function()
    }

    /// Runs a command to completion (PATH lookup through /usr/bin/env).
    @discardableResult
    static func shell(_ arguments: [String]) throws -> CommandResult {
        try CommandProcess(
            arguments, in: FileManager.default.temporaryDirectory, executable: URL(fileURLWithPath: "/usr/bin/env")
        ).wait()
    }
}
