/// Why `rnnsweep run` could not start or finish. Descriptions are messages for the user.
public enum SweepRunError: Error, CustomStringConvertible {
    case alreadyRunning(sweep: String, pid: String)
    /// A coordinator on another machine holds the sweep (``SweepOwnership``) and was heard from `silentFor` s ago.
    case runningElsewhere(sweep: String, host: String, pid: Int32, silentFor: Double)
    case lockUnavailable(path: String, reason: String)
    /// A folder of the sweep that rnnsweep would write into is a link (or not a folder): nothing was trained.
    case unsafeFolder(path: String, reason: String)
    case store(String)
    /// A folder of the sweep cannot be written (EACCES, EPERM, EROFS): the sweep stops, like on a full disk.
    case unwritableFolder(path: String, reason: String)
    /// A trial could not be started or submitted (the message says why).
    case launch(String)
    /// The sweep's data could not be read or checked: nothing was registered.
    case data(String)
    /// Trials need more memory than the machine (or `--memory`) has: nothing was registered (``SweepMemory``).
    case memory(String)
    /// A `warm_start:` sweep could not be read (``WarmStart``): nothing was registered.
    case warmStart(WarmStartError)

    public var description: String {
        switch self {
        case .alreadyRunning(let sweep, let pid):
            "sweep '\(sweep)' is already running on this database (coordinator pid \(pid)); "
                + "wait for it, or stop it with Ctrl-C / kill \(pid) — it resumes where it stopped"
        case .runningElsewhere(let sweep, let host, let pid, let silent):
            "sweep '\(sweep)' is already running on this database from host \(host) (coordinator pid \(pid), last "
                + "heard from \(Int(silent.rounded())) s ago); wait for it, or stop it there — a coordinator not "
                + "heard from for \(Int(SweepOwnership.staleAfter)) s is taken over"
        case .lockUnavailable(let path, let reason): "cannot use the sweep lock \(path): \(reason)"
        case .unsafeFolder(let path, let reason): "the sweep's folder \(path) \(reason)"
        case .unwritableFolder(let path, let reason): "the sweep's folder \(path) cannot be written: \(reason)"
        case .store(let message): "database: \(message)"
        case .launch(let message): message
        case .data(let message): message
        case .memory(let message): message
        case .warmStart(let error): error.description
        }
    }
}
