/// How a `search:` block chooses its configurations.
public enum SearchMethod: Sendable, Hashable {
    /// Every sample drawn blindly from the distributions before the run (``SearchSpace/draw()``).
    case random
    /// A tree-structured Parzen estimator (``TPESampler``): the first `startup` samples are random search's first
    /// `startup` samples (same seed, same values, so TPE's start is comparable with random search); then `batch`
    /// proposals per generation, each made from the results of the earlier generations only.
    case tpe(batch: Int, startup: Int)

    /// Optuna's `n_startup_trials`.
    public static let defaultStartup = 10
    public static let defaultBatch = 1

    /// The key written in the file.
    public var name: String {
        switch self {
        case .random: "random"
        case .tpe: "tpe"
        }
    }

    /// How many of `samples` are known before the run: all for random search, the start-up samples for TPE.
    public func samplesBeforeRun(of samples: Int) -> Int {
        switch self {
        case .random: samples
        case .tpe(_, let startup): min(startup, samples)
        }
    }

    /// The line `plan` prints about the method (nil for random search, whose plan shows every trial).
    public func planSummary(samples: Int) -> String? {
        switch self {
        case .random: return nil
        case .tpe(let batch, let startup):
            let known = min(startup, samples)
            let rest = samples - known
            return "search: tpe, \(samples) configurations: the \(known) random start-up samples planned above"
                + (rest > 0
                    ? "; \(rest) more proposed while the sweep runs, \(batch) per generation from the results "
                        + "of the earlier generations" : "")
        }
    }
}
