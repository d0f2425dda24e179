/// The report metrics of one trial at the selected epoch.
import RNNTraining

struct TrialMetrics {
    /// The epoch the training/validation metrics come from, nil when the trial recorded none.
    let selected: EpochMetrics?
    let trial: ReportTrial

    init(_ trial: ReportTrial, epoch choice: ReportOptions.EpochChoice) {
        self.trial = trial
        switch choice {
        case .last:
            selected = trial.epochs.max { $0.epoch < $1.epoch }
        case .best:
            selected = TrialMetrics.best(trial.epochs)
        }
    }

    /// The epoch with the highest finite val_accuracy, or accuracy when no epoch has one; earliest on ties.
    static func best(_ epochs: [EpochMetrics]) -> EpochMetrics? {
        let ordered = epochs.sorted { $0.epoch < $1.epoch }
        let usesValidation = ordered.contains { $0.valAccuracy?.isFinite == true }
        var best: (record: EpochMetrics, score: Double)?
        for record in ordered {
            guard let score = usesValidation ? record.valAccuracy : record.accuracy, score.isFinite else { continue }
            if best == nil || score > best!.score { best = (record, score) }
        }
        return best?.record ?? ordered.last
    }

    func value(_ metric: ReportMetric) -> Double? {
        switch metric {
        case .trainAccuracy: return selected?.accuracy
        case .trainLoss: return selected?.loss
        case .valAccuracy: return selected?.valAccuracy
        case .valLoss: return selected?.valLoss
        case .testAccuracy: return trial.row.testAccuracy
        case .testLoss: return trial.row.testLoss
        case .seconds: return trial.row.seconds
        case .epochs: return (trial.row.lastEpoch ?? trial.epochs.last?.epoch).map(Double.init)
        case .bestEpoch: return selected.map { Double($0.epoch) }
        }
    }
}
