import Foundation

/// What `Trainer` does when asked to resume from a checkpoint it cannot use: one that is corrupt, unreadable, or
/// written by a different configuration.
public enum UnusableCheckpointPolicy: Sendable, Equatable {
    /// Stop with a `TrainingError.checkpoint` naming the file (`rnnsweep train --resume`: the user decides).
    case fail
    /// Rename the file to `checkpoint.corrupt-<UTC time>.safetensors` beside it, kept for inspection, and start
    /// from epoch 0; the `started` event says so (sweeps: a retry would otherwise hit the same file forever). A
    /// sweep's trial folder also accepts a checkpoint keyed, before data fingerprints, by a path the data has since
    /// left: the sweep matched the trial with its data before handing it the folder (`TrialAdoption`).
    case moveAside
}

extension Checkpoint {
    /// Renames the unusable checkpoint in `directory` to `checkpoint.corrupt-<yyyyMMdd'T'HHmmss'Z'>.safetensors`
    /// (with `-2`, `-3`, … if that name is taken) and returns the new file's URL.
    static func moveAside(in directory: URL, at date: Date = Date()) throws(TrainingError) -> URL {
        let source = url(in: directory)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: date)
        var attempt = 1
        while true {
            let suffix = attempt == 1 ? "" : "-\(attempt)"
            let target = directory.appendingPathComponent("checkpoint.corrupt-\(stamp)\(suffix).safetensors")
            // One worker owns a trial's directory, so nothing else creates this name between the check and rename.
            if FileManager.default.fileExists(atPath: target.path), attempt < 1000 {
                attempt += 1
                continue
            }
            guard rename(source.path, target.path) == 0 else {
                throw .checkpoint(
                    path: source.path,
                    reason: "is unusable and could not be moved aside to \(target.lastPathComponent): "
                        + String(cString: strerror(errno)))
            }
            return target
        }
    }
}
