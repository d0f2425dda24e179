/// Why `rnnsweep run` could not start or finish. Descriptions are messages for the user.
public enum SweepRunError: Error, CustomStringConvertible {
    case alreadyRunning(sweep: String, pid: String)
    case lockUnavailable(path: String, reason: String)
    case store(String)
    /// A trial could not be started or submitted (the message says why).
    case launch(String)
    /// The sweep's data could not be read or checked: nothing was registered.
    case data(String)
    /// Trials need more memory than the machine (or `--memory`) has: nothing was registered (``SweepMemory``).
    case memory(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let sweep, let pid):
            "sweep '\(sweep)' is already running on this database (coordinator pid \(pid)); "
                + "wait for it, or stop it with Ctrl-C / kill \(pid) — it resumes where it stopped"
        case .lockUnavailable(let path, let reason): "cannot create the sweep lock \(path): \(reason)"
        case .store(let message): "database: \(message)"
        case .launch(let message): message
        case .data(let message): message
        case .memory(let message): message
        }
    }
}
