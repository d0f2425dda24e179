import Foundation
import Spawn

/// The build tool behind `GitCommitStampPlugin`: writes a Swift file that names the git commit the package is built
/// from, so `rnnsweep --version` and every trial's provenance can say it.
///
/// Usage: `GitCommitStamp PACKAGE_DIRECTORY OUTPUT_FILE`. The commit is known only when PACKAGE_DIRECTORY is the top
/// level of a git work tree with at least one commit and `git` runs; otherwise (a source tarball, a copy inside
/// another repository, no git) the file says "unknown". The output is rewritten only when its text changes, so a
/// re-run that finds the same commit and state recompiles nothing.
@main
enum GitCommitStamp {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: GitCommitStamp PACKAGE_DIRECTORY OUTPUT_FILE\n".utf8))
            exit(2)
        }
        let package = URL(fileURLWithPath: arguments[1]).resolvingSymlinksInPath()
        let output = URL(fileURLWithPath: arguments[2])
        let text = source(for: stamp(of: package))
        if (try? String(contentsOf: output, encoding: .utf8)) == text { return }
        do {
            try Data(text.utf8).write(to: output, options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("GitCommitStamp: cannot write \(output.path): \(error)\n".utf8))
            exit(1)
        }
    }

    /// The short commit hash and whether tracked files differ from it; nil when the package is not a git checkout.
    static func stamp(of package: URL) -> (hash: String, dirty: Bool)? {
        // A package copied into some other repository must not report that repository's commit.
        guard let top = git(["rev-parse", "--show-toplevel"], in: package),
            URL(fileURLWithPath: top).resolvingSymlinksInPath().path == package.path,
            let hash = git(["rev-parse", "--short", "HEAD"], in: package), !hash.isEmpty
        else { return nil }
        // A status that cannot be read cannot prove the tree clean.
        let changes = git(["status", "--porcelain", "--untracked-files=no"], in: package)
        return (hash, changes.map { !$0.isEmpty } ?? true)
    }

    /// Runs `git -C directory ARGUMENTS` and returns its trimmed output, or nil when it cannot run or fails.
    static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = ChildProcess(
            executableURL: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["git", "-C", directory.path] + arguments)
        var environment = ProcessInfo.processInfo.environment
        // `git status` must not refresh the index: the plugin watches the index file, and a rewrite would make the
        // next build run the stamp again. Variables a git hook may have set would point git elsewhere than -C.
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"] { environment[name] = nil }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = .pipe(pipe)
        process.standardError = .nullDevice
        process.standardInput = .nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The generated file. Computed properties, so a new commit changes only function bodies, and the compiler
    /// recompiles this file alone instead of everything that uses it.
    static func source(for stamp: (hash: String, dirty: Bool)?) -> String {
        let hash = stamp.map { "\"\($0.hash)\"" } ?? "nil"
        return """
            // Generated at build time by GitCommitStamp (Plugins/GitCommitStampPlugin); not in git.

            /// The git commit this binary was built from.
            enum GitCommit {
                /// The short hash of HEAD; nil outside a git checkout (a source tarball).
                static var hash: String? { \(hash) }
                /// Whether tracked files differed from that commit when the build last ran the stamp.
                static var dirty: Bool { \(stamp?.dirty ?? false) }
            }

            """
    }
}
