import RNNTraining

/// How busy a run kept its local workers: the seconds their trials spent in training and evaluation steps (each
/// epoch's seconds, validation included, and each test pass) against the workers' wall time, every lane counted from
/// the run's start to its end. What is not a step is overhead: process start-up, data loading, model building,
/// checkpoints, the coordinator's bookkeeping, and a lane waiting for work.
public struct WorkerBusyTime: Sendable, Equatable {
    /// Step seconds per lane (worker 1 first).
    public private(set) var stepSeconds: [Double] = []
    /// The run's wall time: from its first launch to its end.
    public var wallSeconds = 0.0

    public init() {}

    /// Counts `event`'s steps, if it reports any, on `lane`.
    mutating func add(_ event: TrainingEvent, lane: Int) {
        let seconds: Double
        switch event {
        case .epoch(let m): seconds = m.seconds
        case .finished(let f): seconds = f.testPassSeconds ?? 0
        default: return
        }
        if stepSeconds.count <= lane { stepSeconds += Array(repeating: 0, count: lane + 1 - stepSeconds.count) }
        stepSeconds[lane] += seconds
    }

    /// Sizes the tally to `workers` lanes (a lane that ran nothing is idle all along).
    mutating func lanes(_ workers: Int) {
        if stepSeconds.count < workers { stepSeconds += Array(repeating: 0, count: workers - stepSeconds.count) }
    }

    /// The share of the workers' wall time spent in steps (0…1), per lane.
    public var laneFractions: [Double] {
        guard wallSeconds > 0 else { return [] }
        return stepSeconds.map { min(1, $0 / wallSeconds) }
    }

    /// The share of all workers' wall time spent in steps (0…1); nil when the run trained nothing.
    public var fraction: Double? {
        guard wallSeconds > 0, !stepSeconds.isEmpty, stepSeconds.contains(where: { $0 > 0 }) else { return nil }
        return min(1, stepSeconds.reduce(0, +) / (Double(stepSeconds.count) * wallSeconds))
    }

    /// `workers busy 91 % of their time (training and evaluation steps; worker 1 93 %, worker 2 89 %)`, or nil.
    public var line: String? {
        guard let fraction else { return nil }
        var text = "workers busy \(Self.percent(fraction)) of their time (training and evaluation steps"
        if stepSeconds.count > 1 {
            text +=
                "; "
                + laneFractions.enumerated().map { "worker \($0.offset + 1) \(Self.percent($0.element))" }
                .joined(separator: ", ")
        }
        return text + ")"
    }

    static func percent(_ fraction: Double) -> String { "\(Int((100 * fraction).rounded())) %" }
}
