import Foundation
import Spawn

/// `git` for the tests that check the commit a build names; nil results when git is missing or fails.
enum GitCheckout {
    /// The package's root directory (this file is `Tests/RNNCLITests/GitCheckout.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().resolvingSymlinksInPath()

    /// `git -C directory ARGUMENTS`, trimmed; nil when it cannot run or exits non-zero.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL = packageRoot) -> String? {
        let process = ChildProcess(
            executableURL: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["git", "-C", directory.path] + arguments)
        var environment = ProcessInfo.processInfo.environment
        for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] { environment[name] = nil }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = .pipe(pipe)
        process.standardError = .nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the package directory is the top of a git work tree (a clone, not a source tarball).
    static var packageIsCheckout: Bool {
        git(["rev-parse", "--show-toplevel"]).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
            == packageRoot
    }
}

/// Facts about this machine from `/proc/cpuinfo` and `gethostname`, read independently of rnnsweep's own code.
enum ThisMachine {
    static var host: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""

    /// The first `model name`, spaces collapsed.
    static var cpuModel: String? {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.split(separator: " ").joined(separator: " ") }
    }

    /// The kernels' instruction set the CPU's flags imply.
    static var kernels: String {
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return flags.split(separator: " ").contains("avx512f") ? "AVX-512" : "AVX2"
    }
}
