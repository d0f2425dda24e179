import RNNTraining

/// How early stopping by patience ended a completed trial: where it stopped it, the best epoch it saw, and whose
/// weights the test metrics measure. Recorded from the worker's `finished` event (`trials.patience_stopped_epoch`,
/// `best_epoch`, `restored_epoch`); empty for a trial without patience.
public struct PatienceEnding: Sendable, Hashable {
    /// The epoch patience stopped the trial at; nil when it ran all its epochs.
    public var stoppedEpoch: Int?
    /// The best epoch by patience's metric.
    public var bestEpoch: Int?
    /// The epoch whose weights restore_best put back for the test (possibly the last); nil without restore_best.
    public var restoredEpoch: Int?

    public init(stoppedEpoch: Int? = nil, bestEpoch: Int? = nil, restoredEpoch: Int? = nil) {
        self.stoppedEpoch = stoppedEpoch
        self.bestEpoch = bestEpoch
        self.restoredEpoch = restoredEpoch
    }

    /// What a worker's `finished` event says.
    init(_ finished: TrainingEvent.Finished) {
        self.init(
            stoppedEpoch: finished.stoppedEpoch, bestEpoch: finished.bestEpoch, restoredEpoch: finished.restoredEpoch)
    }

    /// "stopped by patience at epoch 7, best 4", with "(tested)" when the test measures the best epoch's weights;
    /// nil when patience did not stop the trial.
    public var text: String? {
        guard let stoppedEpoch else { return nil }
        var text = "stopped by patience at epoch \(stoppedEpoch)"
        if let bestEpoch { text += ", best \(bestEpoch)" + (restoredEpoch == bestEpoch ? " (tested)" : "") }
        return text
    }
}

extension PatienceEnding {
    /// The text of a report row's completed seeds: one seed's ``text``, or "stopped by patience in 2 of 3 seeds
    /// (epochs 5, 7)"; nil when patience stopped none of them.
    public static func summary(_ endings: [PatienceEnding]) -> String? {
        let stopped = endings.filter { $0.stoppedEpoch != nil }
        guard let first = stopped.first else { return nil }
        if endings.count == 1 { return first.text }
        let epochs = stopped.compactMap(\.stoppedEpoch).map(String.init).joined(separator: ", ")
        let noun = stopped.count == 1 ? "epoch" : "epochs"
        return "stopped by patience in \(stopped.count) of \(endings.count) seeds (\(noun) \(epochs))"
    }
}
