import Foundation

/// How many trials one Slurm array task runs, one after another (`trials_per_task`, `--trials-per-task`).
///
/// A throttled array task waits for the controller's next scheduling pass before it starts: on an idle one-node
/// cluster a slot stayed idle 1.9–2.3 s between two tasks (Results/slurm-task-overhead-2026-12-07.md), against
/// trials of a fraction of a second on small data. A task that runs several trials pays that once.
public enum TrialsPerTask: Sendable, Hashable, Codable, CustomStringConvertible {
    /// About ``autoTaskSeconds`` of work per task by the cost model's estimate, and never fewer tasks than
    /// `max_parallel` slots; one trial per task without `max_parallel` (every task may start at once, and packing
    /// would take parallelism the coordinator cannot see) or without an estimate.
    case auto
    case fixed(Int)

    /// The work an automatic task aims at: the hand-over between tasks (2–3 s idle, more on a busy controller)
    /// stays about 5 % of it.
    static let autoTaskSeconds = 60.0

    /// `auto` or a whole number ≥ 1; nil for anything else.
    public init?(text: String) {
        if text == "auto" {
            self = .auto
        } else if let n = Int(text), n >= 1 {
            self = .fixed(n)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let n): "\(n)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self), n >= 1 {
            self = .fixed(n)
        } else if let text = try? container.decode(String.self), let value = TrialsPerTask(text: text) {
            self = value
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "trials_per_task: expected auto or an integer ≥ 1")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .auto: try container.encode("auto")
        case .fixed(let n): try container.encode(n)
        }
    }

    /// Trials per task for one submission of `estimates.count` trials (each trial's estimated seconds, nil when the
    /// cost model has none), with `slots` tasks allowed at once (`max_parallel`) and `timeLimit` seconds per task.
    func resolved(estimates: [Double?], slots: Int?, timeLimit: Int?) -> Int {
        let count = estimates.count
        guard count > 1 else { return 1 }
        switch self {
        case .fixed(let n):
            return min(n, count)
        case .auto:
            let known = estimates.compactMap { $0 }.filter { $0 > 0 }.sorted()
            guard let slots, known.count == count else { return 1 }
            let typical = known[known.count / 2]
            var k = Int(Self.autoTaskSeconds / typical)
            // A task that would reach its time limit stops there; the trials it did not reach are submitted again.
            if let timeLimit { k = min(k, Int(Double(timeLimit) / 2 / typical)) }
            // Every slot keeps a task while there are trials for it.
            k = min(k, (count + slots - 1) / slots)
            return max(1, k)
        }
    }
}
