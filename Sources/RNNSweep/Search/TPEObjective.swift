import RNNTraining

/// The metric a model-based search learns from: the early-stopping rule's when there is one (the value its rungs
/// rank on), else the validation value of the task's headline metric (`val_accuracy`, `val_mae` for regression),
/// the metric the report's leaderboard ranks such a sweep by (``SearchObjective``). Never a training or test value:
/// the sampler must not learn from what it is judged on.
enum TPEObjective {
    static func metric(halving: SuccessiveHalving?, trials: [TrialSpec]) -> MetricKey {
        if let halving { return halving.metric }
        let task = trials.first.flatMap { Task(rawValue: $0.parameters.string("task")) } ?? .classification
        return MetricKey(.validation, task.primaryMetric)
    }

    /// Why the trials give TPE nothing to learn from (a trial without a validation split), nil when they do.
    static func problem(trials: [TrialSpec]) -> String? {
        guard let trial = trials.first(where: { $0.parameters.double("validation_split") <= 0 }) else { return nil }
        let metric = metric(halving: nil, trials: [trial])
        return "search: method: tpe learns from \(metric.recordName), which needs validation_split > 0, and trial "
            + "#\(trial.ordinal) has none; set e.g. validation_split: 0.1 at the top level"
    }
}
