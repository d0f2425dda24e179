import Foundation
import RNNData
import Testing

@testable import RNNTraining

/// The trainer with patience on synthetic data: it stops, restores the best epoch's weights, tests them, and resumes
/// bit-identically from a checkpoint taken before it stopped.
@Suite("Trainer with patience")
struct PatienceTrainerTests {
    /// `min_delta: 10` is a change of the validation loss no epoch reaches, so only the first epoch improves: with
    /// patience p the run stops at epoch p + 1 with epoch 1 the best.
    static func config(epochs: Int, patience: Int = 2, restoreBest: Bool = true) throws -> TrainingConfig {
        try TrainerTests.config([
            "epochs": .int(epochs), "patience": .int(patience), "min_delta": .double(10),
            "restore_best": .bool(restoreBest),
        ])
    }

    static func finished(_ events: [TrainingEvent]) -> TrainingEvent.Finished? {
        events.lazy.compactMap { if case .finished(let f) = $0 { f } else { nil } }.first
    }

    @Test func stopsRestoresTheBestEpochAndTestsItsWeights() throws {
        let config = try Self.config(epochs: 6)
        let data = try DatasetLoader.load(config.dataset)
        var events: [TrainingEvent] = []
        let stopped = try Trainer(config: config, data: data).run { events.append($0) }
        #expect(stopped.history.map(\.epoch) == [1, 2, 3])
        let finished = try #require(Self.finished(events))
        #expect(finished.stoppedEpoch == 3)
        #expect(finished.bestEpoch == 1)
        #expect(finished.restoredEpoch == 1)

        // The same run to epoch 1 without patience: the weights patience restored, and the test metrics of an
        // evaluation of them.
        let epochOne = try Trainer(config: TrainerTests.config(["epochs": .int(1)]), data: data).run()
        #expect(stopped.weights.map(\.bitPattern) == epochOne.weights.map(\.bitPattern))
        #expect(stopped.test == epochOne.test)
        #expect(!stopped.test.isEmpty)
    }

    @Test func withoutRestoreBestTheLastEpochIsTested() throws {
        let config = try Self.config(epochs: 6, restoreBest: false)
        let data = try DatasetLoader.load(config.dataset)
        var events: [TrainingEvent] = []
        let stopped = try Trainer(config: config, data: data).run { events.append($0) }
        let finished = try #require(Self.finished(events))
        #expect(finished.stoppedEpoch == 3)
        #expect(finished.restoredEpoch == nil)
        let epochThree = try Trainer(config: TrainerTests.config(["epochs": .int(3)]), data: data).run()
        #expect(stopped.weights.map(\.bitPattern) == epochThree.weights.map(\.bitPattern))
        #expect(stopped.test == epochThree.test)
    }

    /// Interrupted after epoch 2 (its checkpoint holds the kept weights of epoch 1, the best value and the wait
    /// counter) and resumed: the same stop, the same restored weights and test metrics, bit for bit.
    @Test func resumeIsBitIdentical() throws {
        let config = try Self.config(epochs: 6)
        let data = try DatasetLoader.load(config.dataset)
        var uninterruptedEvents: [TrainingEvent] = []
        let uninterrupted = try Trainer(
            config: config, data: data, checkpointDirectory: TrainerTests.temporaryDirectory()
        )
        .run { uninterruptedEvents.append($0) }

        let dir = TrainerTests.temporaryDirectory()
        let paused = try Trainer(config: config, data: data, checkpointDirectory: dir).run(until: 2)
        #expect(paused.test.isEmpty)
        let resumedTrainer = try Trainer(config: config, data: data, checkpointDirectory: dir, resume: true)
        #expect(resumedTrainer.completedEpochs == 2)
        var events: [TrainingEvent] = []
        let resumed = try resumedTrainer.run { events.append($0) }

        #expect(resumed.weights.map(\.bitPattern) == uninterrupted.weights.map(\.bitPattern))
        #expect(resumed.history.map(\.validation) == uninterrupted.history.map(\.validation))
        #expect(resumed.test == uninterrupted.test)
        #expect(Self.finished(events) != nil)
        #expect(Self.finished(events)?.stoppedEpoch == Self.finished(uninterruptedEvents)?.stoppedEpoch)
        #expect(Self.finished(events)?.restoredEpoch == 1)
        let trainedEpochs = events.compactMap { if case .epoch(let m) = $0 { m.epoch } else { nil } }
        #expect(trainedEpochs == [3])

        // Resumed again after it stopped: nothing more is trained, and the same weights are tested.
        var again: [TrainingEvent] = []
        let rerun = try Trainer(config: config, data: data, checkpointDirectory: dir, resume: true).run {
            again.append($0)
        }
        #expect(rerun.weights.map(\.bitPattern) == uninterrupted.weights.map(\.bitPattern))
        #expect(rerun.test == uninterrupted.test)
        #expect(!again.contains { if case .epoch = $0 { true } else { false } })
    }

    /// The patience parameters are part of a trial's identity only when patience is on; with it off they cannot be
    /// set, so every existing trial id stays as it was.
    @Test func patienceOffLeavesIdentitiesAlone() throws {
        let plain = try TrainingParameters.resolve(["units": .int(8)])
        #expect(plain.identityValues["patience"] == nil)
        #expect(plain.identityValues["restore_best"] == nil)
        let on = try TrainingParameters.resolve(["units": .int(8), "patience": .int(3), "restore_best": .bool(true)])
        #expect(on.identity != plain.identity)
        #expect(on.identityValues["patience"] == .int(3))
        #expect(throws: ParameterError.self) {
            try TrainingParameters.resolve(["min_delta": .double(0.1)])
        }
        #expect(throws: ParameterError.self) {
            try TrainingParameters.resolve(["patience": .int(2), "patience_metric": .string("val_mae")])
        }
    }

    /// The events of an rnnsweep before patience still read; the new fields round-trip.
    @Test func finishedEventsReadWithAndWithoutPatienceFields() throws {
        let old = try TrainingEvent(jsonLine: #"{"event":"finished","seconds":2,"test_loss":0.5,"test_accuracy":0.75}"#)
        guard case .finished(let f) = old else { Issue.record("not finished"); return }
        #expect(f.stoppedEpoch == nil && f.bestEpoch == nil && f.restoredEpoch == nil)
        let new = TrainingEvent.finished(
            .init(test: [.loss: 0.5], seconds: 1, stoppedEpoch: 7, bestEpoch: 4, restoredEpoch: 4))
        #expect(try TrainingEvent(jsonLine: new.jsonLine) == new)
        #expect(new.jsonLine.contains(#""stopped_epoch":7"#))
    }
}
