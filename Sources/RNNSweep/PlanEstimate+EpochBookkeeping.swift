import Foundation
import RNNTraining

extension PlanEstimate {
    /// Rounds of ``measureEpochBookkeeping(metrics:validation:floats:)``: their median is the figure.
    static let bookkeepingRounds = 200

    /// Seconds each epoch of a trial costs beyond its timed steps, measured here on what a real epoch does around
    /// them: the worker encodes its `epoch` event (the task's `metrics`, for validation too when there is a
    /// validation set) and the coordinator decodes it, and the epoch's checkpoint copies the weights and the
    /// optimizer's slots (`floats` of them). The coordinator's decoding counts because on a machine whose cores the
    /// workers fill, its CPU is taken from them. Cheap: a few hundred microseconds in all.
    static func measureEpochBookkeeping(metrics: [Metric], validation: Bool, floats: Int) -> Double {
        let weights = [Float](repeating: 0.5, count: max(floats, 1))
        var snapshot = [Float](repeating: 0, count: weights.count)
        let clock = ContinuousClock()
        var times: [Double] = []
        var decoded = 0
        for round in 0..<bookkeepingRounds {
            let start = clock.now
            let event = sampleEpoch(round + 1, metrics: metrics, validation: validation)
            if case .epoch = try? TrainingEvent(jsonLine: event.jsonLine) { decoded += 1 }
            snapshot.withUnsafeMutableBufferPointer { copy in
                weights.withUnsafeBufferPointer { copy.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
            times.append((clock.now - start).seconds)
        }
        // An event that did not come back whole would make the figure meaningless: none then.
        return decoded == bookkeepingRounds && snapshot[0] == weights[0] ? median(times) : 0
    }

    /// An `epoch` event as a worker sends it for a task with `metrics` (full-precision values, as real ones are), for
    /// the calibration to encode, decode and record.
    static func sampleEpoch(_ epoch: Int, metrics: [Metric], validation: Bool) -> TrainingEvent {
        let values = Dictionary(
            uniqueKeysWithValues: metrics.enumerated().map { ($0.element, 0.123_456_789 + Double($0.offset) / 7) })
        return .epoch(
            EpochMetrics(epoch: epoch, train: values, validation: validation ? values : nil, seconds: 0.000_123_456))
    }
}
