/// Keras 3's `EarlyStopping` callback (`keras/src/callbacks/early_stopping.py`, 3.15) as a pure rule: fed the
/// monitored metric after each epoch, it says whether training stops and which epoch's weights are the best. The
/// trainer keeps the weights; the rule only says when to copy them and when to put them back.
///
/// Keras's semantics, kept exactly (the golden test compares with the real callback):
/// - an epoch improves when `current + min_delta < best` (a loss or error) or `current - min_delta > best`
///   (accuracy), compared in float32 as Keras's ops do; the first monitored epoch always improves, so a NaN there becomes the best and nothing improves on
///   it afterwards (every comparison with NaN is false);
/// - `wait` counts epochs since the last improvement; training stops at an epoch that does not improve once
///   `wait ≥ patience`, but never at the first epoch;
/// - with `restore_best`, the weights of the first monitored epoch are kept even if it does not improve, and
///   Keras 3 restores the best weights at the end of training whether or not it stopped early;
/// - a missing metric (no validation data) or an epoch before `start_from_epoch` is not monitored at all.
///
/// Epochs here are 1-based, as rnnsweep records them; Keras's are 0-based.
public struct PatienceRule: Sendable, Hashable {
    /// The validation metric monitored (`val_loss` by default).
    public var metric: MetricKey
    /// Epochs without improvement before training stops (≥ 1).
    public var patience: Int
    /// The smallest change that counts as an improvement (≥ 0; its sign follows the metric's direction).
    public var minDelta: Double
    /// Whether the best epoch's weights are restored at the end of training.
    public var restoreBest: Bool
    /// Epochs (Keras's `start_from_epoch`) before monitoring starts.
    public var startFromEpoch: Int

    public init(metric: MetricKey, patience: Int, minDelta: Double, restoreBest: Bool, startFromEpoch: Int = 0) {
        self.metric = metric
        self.patience = patience
        self.minDelta = abs(minDelta)
        self.restoreBest = restoreBest
        self.startFromEpoch = startFromEpoch
    }

    /// What the rule remembers between epochs: part of a checkpoint, so that a resumed run decides as an
    /// uninterrupted one.
    public struct State: Sendable, Hashable, Codable {
        /// Epochs since the last improvement (Keras `wait`).
        public var wait = 0
        /// The best value so far (Keras `best`); nil before the first monitored epoch.
        public var best: Double?
        /// The epoch of `best`, or of the first monitored epoch's weights (Keras `best_epoch` + 1); 0 before any.
        public var bestEpoch = 0
        /// The epoch training stopped at (Keras `stopped_epoch` + 1); 0 while it goes on.
        public var stoppedEpoch = 0
        /// Whether weights were kept (Keras `best_weights is not None`).
        public var keptWeights = false

        public init() {}

        enum CodingKeys: String, CodingKey {
            case wait, best
            case bestEpoch = "best_epoch"
            case stoppedEpoch = "stopped_epoch"
            case keptWeights = "kept_weights"
        }

        /// Whether the rule stopped training.
        public var stopped: Bool { stoppedEpoch > 0 }
    }

    /// What to do after one epoch.
    public struct Step: Sendable, Equatable {
        /// Copy this epoch's weights as the best ones (only with `restoreBest`).
        public var keepWeights: Bool
        /// Stop training after this epoch.
        public var stop: Bool
    }

    /// Feeds the metric of `epoch` (1-based; nil when it was not measured) and updates `state`, as Keras's
    /// `on_epoch_end`.
    public func observe(_ current: Double?, epoch: Int, state: inout State) -> Step {
        var step = Step(keepWeights: false, stop: false)
        guard let current, epoch - 1 >= startFromEpoch else { return step }
        if restoreBest && !state.keptWeights {
            state.keptWeights = true
            state.bestEpoch = epoch
            step.keepWeights = true
        }
        state.wait += 1
        if improves(current, on: state.best) {
            state.best = current
            state.bestEpoch = epoch
            if restoreBest { step.keepWeights = true }
            state.wait = 0
            return step
        }
        if state.wait >= patience && epoch > 1 {
            state.stoppedEpoch = epoch
            step.stop = true
        }
        return step
    }

    /// Whether the kept weights replace the last epoch's at the end of training (Keras 3's `on_train_end`: whenever
    /// weights were kept, stopped early or not).
    public func restores(_ state: State) -> Bool { restoreBest && state.keptWeights }

    /// Keras's `_is_improvement`: `monitor_op(current - min_delta, best)` with `min_delta` negated for a metric that
    /// is better smaller. The difference is taken in double precision (Python floats), and `ops.less`/`ops.greater`
    /// then compare in float32 (Keras's `floatx`), so values closer than float32 can tell apart do not improve.
    func improves(_ current: Double, on best: Double?) -> Bool {
        guard let best else { return true }
        return metric.metric.higherIsBetter
            ? Float(current - minDelta) > Float(best) : Float(current + minDelta) < Float(best)
    }
}
