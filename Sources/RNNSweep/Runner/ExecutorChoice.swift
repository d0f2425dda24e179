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
