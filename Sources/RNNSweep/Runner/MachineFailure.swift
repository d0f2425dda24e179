import RNNTraining

/// A trial's failure that is the machine's condition, not the trial's: a full disk, or a sweep folder that cannot
/// be written (permissions, an immutable folder, a read-only mount). Every other trial would fail the same way, so
/// the coordinator stops the sweep and leaves the trials resumable (`interrupted`), instead of burning the queue.
struct MachineFailure {
    /// What is wrong, for "stopping the sweep: …".
    let condition: String
    /// The run's error: what happened and what to do.
    let fatalError: String

    /// The failure a worker's `error` event of `kind` reports, or nil for a failure of the trial itself.
    init?(kind: TrainingEvent.Failure.Kind, message: String) {
        switch kind {
        case .diskFull:
            condition = "the disk is full"
            fatalError = "the disk is full (\(message)); free space, then run the sweep again"
        case .unwritable: self = .unwritable(message)
        default: return nil
        }
    }

    private init(condition: String, fatalError: String) {
        self.condition = condition
        self.fatalError = fatalError
    }

    /// A folder of the sweep cannot be written; `message` names it and the reason.
    static func unwritable(_ message: String) -> MachineFailure {
        MachineFailure(
            condition: "its folder cannot be written",
            fatalError:
                "\(message); make the folder writable again (its permissions or owner, `chattr -i`, a read-write "
                + "mount), then run the sweep again: the trials resume from their checkpoints")
    }
}
