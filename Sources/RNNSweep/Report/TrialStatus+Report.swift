/// How a report marks a trial status. Every renderer derives its marks from these two exhaustive switches, so
/// a new status fails to compile until it has a severity and a tone, and then appears in
/// status texts, CSS classes and the HTML legend without further edits.
extension TrialStatus {
    /// Rank for listing and tie-breaking: higher is more serious; `completed` is 0.
    public var reportSeverity: Int {
        switch self {
        case .completed: return 0
        case .stopped: return 1
        case .pending: return 2
        case .paused: return 3
        case .running: return 4
        case .interrupted: return 5
        case .diverged: return 6
        case .failed: return 7
        }
    }

    /// The colour family of the status's mark.
    public var reportTone: ReportTone {
        switch self {
        case .completed: return .ok
        case .pending, .running, .paused: return .inProgress
        case .stopped: return .pruned
        case .interrupted: return .warning
        case .diverged, .failed: return .error
        }
    }

    /// The non-completed statuses, most serious first.
    static var problemsBySeverity: [TrialStatus] {
        allCases.filter { !$0.isGood }.sorted { $0.reportSeverity > $1.reportSeverity }
    }
}

/// The colour families of status marks (one CSS class each: `tone-error`, …).
public enum ReportTone: String, Sendable, CaseIterable {
    case ok, inProgress = "in-progress", pruned, warning, error
}
