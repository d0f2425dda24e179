import RNNData

/// Why a training run stopped. Each description is a message for the user, naming what to fix.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    case configuration(String)
    case data(DataError)
    /// The loss became NaN or infinite (Keras's TerminateOnNaN); the last good checkpoint is kept.
    case diverged(epoch: Int, batch: Int, loss: Double)
    case checkpoint(path: String, reason: String)
    /// The checkpoint could not be written for want of space (ENOSPC, EDQUOT).
    case diskFull(path: String, reason: String)
    /// The checkpoint's folder cannot be written (EACCES, EPERM, EROFS: permissions, an immutable or read-only
    /// folder); `path` is the folder.
    case unwritable(path: String, reason: String)
    /// The data files no longer have the contents the trial was planned with (they were regenerated mid-sweep).
    case dataChanged(planned: String, now: String?, sources: [String])

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .data(let error): error.description
        case .diverged(let epoch, let batch, let loss):
            "training diverged: the loss became \(loss.isNaN ? "NaN" : String(loss)) at epoch \(epoch), batch \(batch); "
                + "try a lower learning_rate or clipnorm"
        case .checkpoint(let path, let reason): "checkpoint \(path): \(reason)"
        case .diskFull(let path, let reason): "checkpoint \(path) could not be written: \(reason)"
        case .unwritable(let path, let reason): "the checkpoint folder \(path) cannot be written: \(reason)"
        case .dataChanged(let planned, let now, let sources):
            "the data changed since the sweep was planned: \(sources.joined(separator: ", ")) now "
                + "\(now.map { "has fingerprint \(DataFingerprint.short($0))" } ?? "is no file data"), the trial was "
                + "planned with \(DataFingerprint.short(planned)); run the sweep again to plan trials for the new data"
        }
    }

    /// The `error` event a worker streams for this failure.
    public var event: TrainingEvent {
        if case .diverged(let epoch, let batch, _) = self {
            return .error(.init(kind: kind, message: description, epoch: epoch, batch: batch))
        }
        return .error(.init(kind: kind, message: description))
    }

    /// The event `kind` workers report.
    public var kind: TrainingEvent.Failure.Kind {
        switch self {
        case .configuration: .configuration
        case .data: .data
        case .diverged: .diverged
        case .checkpoint: .checkpoint
        case .diskFull: .diskFull
        case .unwritable: .unwritable
        case .dataChanged: .data
        }
    }
}
