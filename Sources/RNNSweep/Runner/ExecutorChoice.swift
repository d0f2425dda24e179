import Foundation

/// Where a sweep's trials run.
public enum ExecutorChoice: Sendable, Hashable {
    /// Worker processes on this machine.
    case local
    /// Slurm array tasks, submitted and followed from this (submit) host.
    case slurm(SlurmSettings)

    /// The settings as stored with the sweep (for `sync`): `{"executor":"local"}` or the Slurm settings.
    public var json: String {
        struct Stored: Encodable {
            var executor: String
            var slurm: SlurmSettings?
        }
        let stored: Stored =
            switch self {
            case .local: Stored(executor: "local")
            case .slurm(let settings): Stored(executor: "slurm", slurm: settings)
            }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(stored), as: UTF8.self)
    }

    /// The settings stored by `json`, or nil for text that is not such a record.
    public init?(json: String) {
        struct Stored: Decodable {
            var executor: String
            var slurm: SlurmSettings?
        }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)) else { return nil }
        switch (stored.executor, stored.slurm) {
        case ("local", _): self = .local
        case ("slurm", let settings?): self = .slurm(settings)
        default: return nil
        }
    }

    public var isSlurm: Bool { if case .slurm = self { true } else { false } }
}

/// The registry of executors: the one place outside an executor's own files that names it. Everything the shared
/// views and the run need from an executor goes through these members.
extension ExecutorChoice {
    /// The executors' names, as `executor: kind:` and `--executor` take them.
    public static let kinds = ["local", "slurm"]

    /// Where an experiment file's `executor:` block says its trials run, with its settings as written (local without
    /// a block or a kind).
    public init(file block: ExecutorBlock?) {
        self = block?.kind == "slurm" ? .slurm(block?.slurm ?? SlurmSettings()) : .local
    }

    /// How the run's log and summary speak of this executor.
    public var presentation: any ExecutorPresentation {
        switch self {
        case .local: LocalPresentation()
        case .slurm: SlurmPresentation()
        }
    }

    /// The executors that can hold trials without a coordinator, each with its part in `status`, in this order.
    static var statusSources: [any ExecutorStatusSource.Type] { [SlurmStatus.self] }

    /// The memory one trial may use where it runs: this machine's locally; the executor's per-trial setting on a
    /// cluster (nil without one: the nodes' memory is not known here).
    var trialMemory: MemoryLimit? {
        switch self {
        case .local: MemoryLimit.machine()
        case .slurm(let settings): settings.trialMemory
        }
    }
}
