/// A quantity a report can show per row, with its machine name (CSV/JSON/`--metrics`/`--sort`) as raw value.
///
/// Training and validation metrics come from the selected epoch (``ReportOptions/EpochChoice``); test metrics
/// and seconds from the trial (test metrics are measured once, on the final model); `epochs` is the number of
/// epochs trained; `best_epoch` is the selected epoch itself (added automatically with `--epoch best`).
public enum ReportMetric: String, Sendable, Hashable, CaseIterable {
    case trainAccuracy = "train_accuracy"
    case testAccuracy = "test_accuracy"
    case trainLoss = "train_loss"
    case testLoss = "test_loss"
    case valAccuracy = "val_accuracy"
    case valLoss = "val_loss"
    case seconds
    case epochs
    case bestEpoch = "best_epoch"

    /// Parses a machine name; the error lists the valid ones.
    public static func parse(_ name: String) throws -> ReportMetric {
        guard let metric = ReportMetric(rawValue: name.lowercased()) else {
            throw ReportError.unknownMetric(name, valid: allCases.map(\.rawValue))
        }
        return metric
    }

    /// The Markdown header (accuracies in percent, as in the book's tables).
    public var title: String {
        switch self {
        case .trainAccuracy: return "Train Accuracy, %"
        case .testAccuracy: return "Test Accuracy, %"
        case .valAccuracy: return "Val Accuracy, %"
        case .trainLoss: return "Train Loss"
        case .testLoss: return "Test Loss"
        case .valLoss: return "Val Loss"
        case .seconds: return "Seconds"
        case .epochs: return "Epochs"
        case .bestEpoch: return "Best Epoch"
        }
    }

    /// The metric in running text: `test accuracy`, `train loss`.
    public var phrase: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// True when larger is better, false when smaller is, nil when neither (no bold, sorted descending).
    public var higherIsBetter: Bool? {
        switch self {
        case .trainAccuracy, .testAccuracy, .valAccuracy: return true
        case .trainLoss, .testLoss, .valLoss, .seconds: return false
        case .epochs, .bestEpoch: return nil
        }
    }

    /// Factor applied for display (fractions → percent).
    var displayScale: Double {
        switch self {
        case .trainAccuracy, .testAccuracy, .valAccuracy: return 100
        default: return 1
        }
    }

    /// Decimals shown in Markdown.
    var displayDecimals: Int {
        switch self {
        case .trainAccuracy, .testAccuracy, .valAccuracy: return 2
        case .trainLoss, .testLoss, .valLoss: return 4
        case .seconds: return 1
        case .epochs, .bestEpoch: return 1
        }
    }
}
