import Foundation
import RNNTraining

extension PlanEstimate {
    /// Epochs recorded by ``measureCoordinatorEpoch(metrics:validation:)``, committed `coordinatorBatch` at a time
    /// (a worker's short epochs arrive a few at a time: ``WorkerEventBatch``).
    static let coordinatorEpochs = 200
    static let coordinatorBatch = 20

    /// Seconds of the coordinator's own work for each epoch a worker reports, measured here through its own code in a
    /// temporary database: the event line decoded, its row committed by the ``SweepRecorder`` (a transaction per
    /// batch of events, as the loop commits per wake-up), and its log line formatted. On a machine whose cores the
    /// workers fill, this CPU is taken from them, so each epoch costs it too. Nil when the temporary database cannot
    /// be made (the estimate then goes without it).
    static func measureCoordinatorEpoch(metrics: [Metric], validation: Bool) -> Double? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-calibration-\(ProcessInfo.processInfo.processIdentifier)-coordinator")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try MetricsStore.create(at: folder.appendingPathComponent("calibration.sqlite")) { _ in }
            let sweep = try store.registerSweep(
                name: "calibration", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: [])
            try store.registerTrials(
                sweep: sweep, trials: [NewTrial(id: "calibration", ordinal: 1, gridPoint: 1, seed: 1, paramsJSON: "{}")]
            )
            let recorder = SweepRecorder(store: store, sweepID: sweep, waiting: { _ in })
            try recorder.started(trial: "calibration", pid: nil)
            let reporter = SweepReporter(terminal: false) { _ in }
            let lines = (1...coordinatorEpochs).map {
                sampleEpoch($0, metrics: metrics, validation: validation).jsonLine
            }
            let clock = ContinuousClock()
            let start = clock.now
            for (index, line) in lines.enumerated() {
                guard case .epoch(let epoch) = try TrainingEvent(jsonLine: line) else { return nil }
                recorder.deferEpoch(epoch, trial: "calibration", cursor: nil)
                reporter.epoch(lane: 0, metrics: epoch, epochs: coordinatorEpochs)
                if (index + 1) % coordinatorBatch == 0 {
                    try recorder.flush()
                    reporter.flushEpochLines()
                }
            }
            try recorder.flush()
            return (clock.now - start).seconds / Double(coordinatorEpochs)
        } catch {
            return nil
        }
    }
}
