import RNNTraining

/// Why `export` wrote nothing. Each description names the sweep, trial, file or folder, and what to do.
public enum ExportError: Error, CustomStringConvertible, Sendable {
    case unknownSweep(String, available: [String])
    case unknownTrial(String, sweep: String)
    /// The trial has no finished model, and none that may be exported with a warning.
    case notFinished(trial: String, status: TrialStatus)
    case noCompletedTrial(sweep: String)
    case missingCheckpoint(trial: String, path: String)
    /// The checkpoint found is not this trial's (other parameters or data).
    case otherCheckpoint(trial: String, path: String, reason: String)
    case outputNotEmpty(String)
    case write(path: String, reason: String)
    case store(String)
    case model(InferenceError)

    public var description: String {
        switch self {
        case .unknownSweep(let name, let available):
            "no sweep named '\(name)' in the database"
                + (available.isEmpty ? "" : " (it has \(available.joined(separator: ", ")))")
        case .unknownTrial(let id, let sweep):
            "sweep '\(sweep)' has no trial '\(id)' (`rnnsweep status \(sweep)` lists them)"
        case .notFinished(let trial, let status):
            status == .pending
                ? "trial \(trial) is pending: it never ran, so there is no model to export"
                : "trial \(trial) is \(status), not completed; only a completed trial, or a stopped, paused or "
                    + "interrupted one named with --trial, can be exported"
        case .noCompletedTrial(let sweep):
            "sweep '\(sweep)' has no completed trial with a test result to pick the best of; name one with --trial"
        case .missingCheckpoint(let trial, let path):
            "trial \(trial) has no checkpoint at \(path) (deleted, or the database was moved without its "
                + "<name>.runs folder)"
        case .otherCheckpoint(let trial, let path, let reason):
            "\(path) is not trial \(trial)'s model: \(reason)"
        case .outputNotEmpty(let path):
            "\(path) exists and is not empty; choose another --output or pass --force to replace it"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        case .store(let message): message
        case .model(let error): error.description
        }
    }
}
