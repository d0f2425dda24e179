import RNNCore
import RNNTraining

/// One side of where a trial ran, as a report key: `--rows host`, `--where cpu=…`, and the columns CSV and JSON add
/// when a sweep mixes them. Parameters of the same name would win (none exists; a test keeps it so).
///
/// A trial resumed with other result bits has one value per part, joined by ` → ` (``TrialRow/provenanceChain``);
/// a trial whose start was not recorded (an older rnnsweep) reads `not recorded`, one that never ran `not run`.
public enum MachineAspect: String, CaseIterable, Sendable {
    /// The CPU's model and the kernels' instruction set: ``Provenance/cpuKind``.
    case cpu
    /// rnnsweep's version and commit and the matrix backend's version: ``Provenance/software``.
    case build
    /// Compute threads.
    case threads
    /// The host name; never a reason to warn (the same CPU kind gives the same bits on any host).
    case host

    /// The keys, for validating `--rows` and `--where`.
    public static var keys: Set<String> { Set(allCases.map(\.rawValue)) }

    /// Text for a part of a trial that no provenance describes.
    static let notRecorded = SweepProvenance.notRecorded
    static let notRun = "not run"

    /// The Markdown header.
    var title: String {
        switch self {
        case .cpu: "CPU"
        case .build: "Build"
        case .threads: "Threads"
        case .host: "Host"
        }
    }

    /// What several different values are called in a warning: `2 CPU kinds`.
    func counted(_ n: Int) -> String {
        switch self {
        case .cpu: n == 1 ? "1 CPU kind" : "\(n) CPU kinds"
        case .build: n == 1 ? "1 version" : "\(n) versions"
        case .threads: n == 1 ? "1 thread count" : "\(n) thread counts"
        case .host: n == 1 ? "1 host" : "\(n) hosts"
        }
    }

    /// A label as prose: thread counts get their unit (`1 thread`, `1 → 2 threads`), others read as they are.
    func prose(_ label: String) -> String {
        guard self == .threads else { return label }
        return label == "1" ? "1 thread" : "\(label) threads"
    }

    /// This aspect of one recorded part.
    func value(_ p: Provenance) -> String {
        switch self {
        case .cpu: p.cpuKind
        case .build: p.software
        case .threads: String(p.threads)
        case .host: p.host
        }
    }

    /// The values of the parts of `trial`, consecutive repeats merged (a resume on another host with the same bits
    /// is not a part; so `host` names where the first epoch ran, and where a resume with other bits ran).
    func parts(_ trial: TrialRow) -> [String] {
        if trial.provenance == nil, trial.resumedOn.isEmpty {
            return [trial.hasResults ? Self.notRecorded : Self.notRun]
        }
        var parts: [String] = []
        for part in trial.provenanceChain {
            let text = part.map(value) ?? Self.notRecorded
            if parts.last != text { parts.append(text) }
        }
        return parts
    }

    /// The trial's value as a report cell: one part as is (threads as a number), several joined by ` → `.
    func reportValue(_ trial: TrialRow) -> ParameterValue {
        let parts = parts(trial)
        if parts.count == 1, self == .threads, let n = Int(parts[0]) { return .int(n) }
        return .string(parts.joined(separator: " → "))
    }
}
