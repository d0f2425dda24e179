import Foundation
import RNNTraining

extension PlanEstimate {
    /// Epochs recorded by ``measureCoordinator(metrics:validation:)``, committed `coordinatorBatch` at a time
    /// (a worker's short epochs arrive a few at a time: ``WorkerEventBatch``), and trials it ends and starts.
    static let coordinatorEpochs = 200
    static let coordinatorBatch = 20
    static let coordinatorTrials = 10

    /// Seconds of the coordinator's own work for each epoch a worker reports, and for each trial, measured here
    /// through its own code in a temporary database.
    /// - An epoch: the event line decoded, its row committed by the ``SweepRecorder`` (a transaction per batch of
    ///   events, as the loop commits per wake-up), and its log line formatted. On a machine whose cores the workers
    ///   fill, this CPU is taken from them, so each epoch costs it too.
    /// - A trial: its `finished` event and its end committed, and the next trial's start, each durably: the part of
    ///   a worker's wait between two trials that can be timed here. It is a lower bound: in a run the coordinator's
    ///   thread must also wake on two busy cores (0.8–2.1 ms in all between two trials of a small-data sweep,
    ///   against 0.1 ms measured here).
    /// - The set-up: the database created and the trials registered, which a run does before anything else.
    /// Nil when the temporary database cannot be made (the estimate then goes without them).
    static func measureCoordinator(metrics: [Metric], validation: Bool) -> (
        epoch: Double, trial: Double, setup: Double
    )? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-calibration-\(ProcessInfo.processInfo.processIdentifier)-coordinator")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let clock = ContinuousClock()
            let setupStart = clock.now
            let store = try MetricsStore.create(at: folder.appendingPathComponent("calibration.sqlite")) { _ in }
            let sweep = try store.registerSweep(
                name: "calibration", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: [])
            try store.registerTrials(
                sweep: sweep,
                trials: (0...coordinatorTrials).map {
                    NewTrial(id: Self.trialID($0), ordinal: $0 + 1, gridPoint: 1, seed: $0 + 1, paramsJSON: "{}")
                })
            let recorder = SweepRecorder(store: store, sweepID: sweep, waiting: { _ in })
            let setup = (clock.now - setupStart).seconds
            try recorder.started(trial: Self.trialID(0), pid: nil)
            let reporter = SweepReporter(terminal: false) { _ in }
            let lines = (1...coordinatorEpochs).map {
                sampleEpoch($0, metrics: metrics, validation: validation).jsonLine
            }
            let start = clock.now
            for (index, line) in lines.enumerated() {
                guard case .epoch(let epoch) = try TrainingEvent(jsonLine: line) else { return nil }
                recorder.deferEpoch(epoch, trial: Self.trialID(0), cursor: nil)
                reporter.epoch(lane: 0, metrics: epoch, epochs: coordinatorEpochs)
                if (index + 1) % coordinatorBatch == 0 {
                    try recorder.flush()
                    reporter.flushEpochLines()
                }
            }
            try recorder.flush()
            let epoch = (clock.now - start).seconds / Double(coordinatorEpochs)
            let test = Dictionary(uniqueKeysWithValues: metrics.map { ($0, 0.123_456_789) })
            let trialsStart = clock.now
            for index in 0..<coordinatorTrials {
                let finished = TrainingEvent.finished(.init(test: test, seconds: 1, testPassSeconds: 0.001))
                _ = try recorder.record(.event(finished), trial: Self.trialID(index), cursor: nil)
                try recorder.ended(trial: Self.trialID(index), .completed, cursor: nil)
                try recorder.started(trial: Self.trialID(index + 1), pid: nil)
            }
            return (epoch, (clock.now - trialsStart).seconds / Double(coordinatorTrials), setup)
        } catch {
            return nil
        }
    }

    /// The id of calibration trial `index` in the temporary database.
    private static func trialID(_ index: Int) -> String { "calibration-\(index)" }
}
