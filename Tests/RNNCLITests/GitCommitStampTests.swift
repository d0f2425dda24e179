import Foundation
import Testing

/// The build tool that stamps the commit into `rnnsweep` (`Sources/GitCommitStamp`, run by `GitCommitStampPlugin`),
/// run on throwaway repositories: the commit and dirty flag of a checkout, "unknown" outside one, and no writes that
/// would make the next build run it again or recompile.
@Suite struct GitCommitStampTests {
    static let tool = RNNSweepBinary.url.deletingLastPathComponent().appendingPathComponent("GitCommitStamp")

    /// Removed with the test.
    let workspace: SweepWorkspace
    var directory: URL { workspace.directory }

    init() throws {
        workspace = try SweepWorkspace()
    }

    /// Runs the tool on `package` and returns the file it wrote.
    func stamp(_ package: URL, output: URL? = nil) throws -> String {
        let output = output ?? directory.appendingPathComponent("GitCommit.swift")
        let result = try CommandProcess([package.path, output.path], in: directory, executable: Self.tool).wait()
        try #require(result.status == 0, "\(result)")
        return try String(contentsOf: output, encoding: .utf8)
    }

    /// A repository with one committed file.
    func repository() throws -> URL? {
        let repo = directory.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        guard GitCheckout.git(["init", "-q"], in: repo) != nil else { return nil }
        try Data("one\n".utf8).write(to: repo.appendingPathComponent("a.txt"))
        try commit(repo)
        return repo.resolvingSymlinksInPath()
    }

    func commit(_ repo: URL) throws {
        try #require(GitCheckout.git(["add", "-A"], in: repo) != nil)
        try #require(
            GitCheckout.git(
                ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "c"], in: repo)
                != nil)
    }

    @Test func outsideACheckoutTheCommitIsUnknown() throws {
        let text = try stamp(directory)
        #expect(text.contains("static var hash: String? { nil }") && text.contains("static var dirty: Bool { false }"))
    }

    @Test func aCheckoutGivesItsCommitAndWhetherItIsDirty() throws {
        guard let repo = try repository() else { return }  // no git here: nothing to compare with
        let head = try #require(GitCheckout.git(["rev-parse", "--short", "HEAD"], in: repo))
        var text = try stamp(repo)
        #expect(text.contains("static var hash: String? { \"\(head)\" }") && text.contains("dirty: Bool { false }"))
        try Data("two\n".utf8).write(to: repo.appendingPathComponent("a.txt"))
        #expect(try stamp(repo).contains("dirty: Bool { true }"), "an unstaged edit")
        _ = GitCheckout.git(["add", "a.txt"], in: repo)
        #expect(try stamp(repo).contains("dirty: Bool { true }"), "a staged edit")
        try commit(repo)
        let next = try #require(GitCheckout.git(["rev-parse", "--short", "HEAD"], in: repo))
        text = try stamp(repo)
        #expect(next != head && text.contains("{ \"\(next)\" }") && text.contains("dirty: Bool { false }"))
        // Untracked files are not part of the build's source.
        try Data("x".utf8).write(to: repo.appendingPathComponent("untracked.txt"))
        #expect(try stamp(repo).contains("dirty: Bool { false }"))
    }

    @Test func aFolderInsideAnotherRepositoryIsNoCheckout() throws {
        guard let repo = try repository() else { return }
        let inner = repo.appendingPathComponent("vendored/rnnsweep")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        #expect(try stamp(inner).contains("static var hash: String? { nil }"), "not the enclosing repository's commit")
    }

    /// An unchanged stamp leaves its file alone (nothing recompiles), and git status leaves the index alone (the
    /// plugin watches it: a rewrite would run the stamp again on every build).
    @Test func itWritesNothingWhenNothingChanged() throws {
        guard let repo = try repository() else { return }
        let output = directory.appendingPathComponent("GitCommit.swift")
        _ = try stamp(repo, output: output)
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        let index = repo.appendingPathComponent(".git/index")
        for file in [output, index] {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: file.path)
        }
        // A touched but unchanged file makes `git status` want to refresh the index.
        try FileManager.default.setAttributes(
            [.modificationDate: Date()], ofItemAtPath: repo.appendingPathComponent("a.txt").path)
        _ = try stamp(repo, output: output)
        for file in [output, index] {
            let modified = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
            #expect(modified == past, "\(file.lastPathComponent) was rewritten")
        }
    }
}
