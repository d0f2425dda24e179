/// Which rnnsweep a binary is: its version and, when the build knew it, the git commit of its source.
///
/// The executable fills it (the version constant and the commit its build stamped) and hands it to the trainer, so
/// the libraries never depend on a file that changes with every commit.
public struct BuildIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The release version, e.g. `0.6.0`.
    public var version: String
    /// The short git hash of the source; nil when the build was not made in a git checkout (a source tarball).
    public var commit: String?
    /// Whether tracked files differed from `commit` when it was built (always false without a commit).
    public var dirty: Bool

    public init(version: String, commit: String?, dirty: Bool) {
        self.version = version
        self.commit = commit
        self.dirty = commit != nil && dirty
    }

    /// `rnnsweep 0.6.0 (commit 1a2b3c4)`, `rnnsweep 0.6.0 (commit 1a2b3c4, dirty)` or
    /// `rnnsweep 0.6.0 (commit unknown)`: what `--version` prints and reports show.
    public var description: String {
        guard let commit else { return "rnnsweep \(version) (commit unknown)" }
        return "rnnsweep \(version) (commit \(commit)\(dirty ? ", dirty" : ""))"
    }

    enum CodingKeys: String, CodingKey {
        case version = "rnnsweep_version"
        case commit = "rnnsweep_commit"
        case dirty = "rnnsweep_dirty"
    }
}
