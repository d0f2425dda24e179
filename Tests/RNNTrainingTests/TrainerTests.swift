import Foundation
import RNNData
import Testing

@testable import RNNTraining

@Suite("Trainer, checkpoints and resume")
struct TrainerTests {
    static func config(_ overrides: [String: ParameterValue]) throws -> TrainingConfig {
        var base: [String: ParameterValue] = [
            "dataset": .string("sum-sign"), "samples": .int(600), "sequence_length": .int(10), "units": .int(8),
            "batch_size": .int(32), "optimizer": .string("adam"), "dropout": .double(0.2),
            "recurrent_dropout": .double(0.1), "cell": .string("gru"), "validation_split": .double(0.2),
        ]
        base.merge(overrides) { $1 }
        return try TrainingConfig(overrides: base)
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnnsweep-trainer-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Stopping after epoch 2 and resuming to epoch 4 gives the same weights and metrics, bit for bit, as 4 epochs in
    /// one go (weights, Adam slots, dropout and shuffle RNG streams all come back from the checkpoint).
    @Test func resumeIsBitIdentical() throws {
        try Self.expectResumeIsBitIdentical(
            full: Self.config(["epochs": .int(4)]), firstHalf: Self.config(["epochs": .int(2)]))
    }

    /// The book's MLP shape (2 hidden layers, dropout 0.45: a fresh mask per element every batch, from the dropout
    /// stream the checkpoint carries), resumed the same way; its checkpoint names the weights as Keras does.
    @Test func mlpResumeIsBitIdentical() throws {
        func mlp(_ epochs: Int) throws -> TrainingConfig {
            try TrainingConfig(overrides: [
                "network": .string("mlp"), "layers": .int(2), "units": .int(16), "dropout": .double(0.45),
                "dataset": .string("sum-sign"), "samples": .int(600), "sequence_length": .int(10),
                "batch_size": .int(32), "optimizer": .string("adam"), "validation_split": .double(0.2),
                "epochs": .int(epochs),
            ])
        }
        let dir = try Self.expectResumeIsBitIdentical(full: mlp(4), firstHalf: mlp(2))
        let decoded = try SafeTensors.decode(Data(contentsOf: Checkpoint.url(in: dir)))
        let names = decoded.tensors.map(\.name).filter { !$0.hasPrefix("optimizer/") }
        #expect(
            names == ["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"])
        #expect(decoded.tensors.first?.shape == [10, 16])
    }

    /// Trains `full` in one go and `firstHalf` then `full` resumed; returns the resumed run's checkpoint directory.
    @discardableResult
    static func expectResumeIsBitIdentical(full: TrainingConfig, firstHalf: TrainingConfig) throws -> URL {
        let data = try DatasetLoader.load(full.dataset)
        let dirA = Self.temporaryDirectory()
        let dirB = Self.temporaryDirectory()
        let uninterrupted = try Trainer(config: full, data: data, checkpointDirectory: dirA).run()

        _ = try Trainer(config: firstHalf, data: data, checkpointDirectory: dirB).run()
        let resumedTrainer = try Trainer(config: full, data: data, checkpointDirectory: dirB, resume: true)
        #expect(resumedTrainer.completedEpochs == 2)
        var events: [TrainingEvent] = []
        let resumed = try resumedTrainer.run { events.append($0) }

        #expect(resumed.weights.map(\.bitPattern) == uninterrupted.weights.map(\.bitPattern))
        // Every metric of every epoch, bit for bit (only the seconds differ).
        #expect(resumed.history.map(\.train) == uninterrupted.history.map(\.train))
        #expect(resumed.history.map(\.validation) == uninterrupted.history.map(\.validation))
        #expect(resumed.test == uninterrupted.test)
        // Only epochs 3 and 4 were trained again.
        let trainedEpochs = events.compactMap { if case .epoch(let m) = $0 { m.epoch } else { nil } }
        #expect(trainedEpochs == [3, 4])
        if case .started(let s) = events.first {
            #expect(s.resumedFromEpoch == 2)
        } else {
            Issue.record("no started event")
        }
        return dirB
    }

    @Test func differentSeedsDiffer() throws {
        let a = try Self.config(["epochs": .int(1), "seed": .int(1)])
        let b = try Self.config(["epochs": .int(1), "seed": .int(2)])
        let data = try DatasetLoader.load(a.dataset)
        #expect(try Trainer(config: a, data: data).run().weights != Trainer(config: b, data: data).run().weights)
    }

    @Test func checkpointOfAnotherConfigurationIsRefused() throws {
        let dir = Self.temporaryDirectory()
        let a = try Self.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(a.dataset)
        _ = try Trainer(config: a, data: data, checkpointDirectory: dir).run()
        let b = try Self.config(["epochs": .int(1), "units": .int(9)])
        do {
            _ = try Trainer(config: b, data: data, checkpointDirectory: dir, resume: true)
            Issue.record("expected a checkpoint error")
        } catch {
            #expect(error.description.contains("different configuration"))
            #expect(error.description.contains(Checkpoint.fileName))
        }
    }

    @Test func corruptCheckpointIsReportedNotCrashed() throws {
        let dir = Self.temporaryDirectory()
        try Data("not a checkpoint".utf8).write(to: Checkpoint.url(in: dir))
        let a = try Self.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(a.dataset)
        #expect(throws: TrainingError.self) {
            try Trainer(config: a, data: data, checkpointDirectory: dir, resume: true)
        }
    }

    @Test func divergenceStopsWithEpochAndBatch() throws {
        let c = try Self.config([
            "cell": .string("simple_rnn"), "activation": .string("relu"), "units": .int(64),
            "optimizer": .string("sgd"),
            "learning_rate": .double(10), "dropout": .double(0), "recurrent_dropout": .double(0), "epochs": .int(3),
        ])
        let data = try DatasetLoader.load(c.dataset)
        do {
            _ = try Trainer(config: c, data: data).run()
            Issue.record("expected divergence")
        } catch {
            guard case .diverged(let epoch, let batch, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(epoch == 1)
            #expect(batch >= 1)
            #expect(error.description.contains("epoch 1, batch \(batch)"))
        }
    }

    @Test func eventsRoundTripAsJSONLinesKeepingNonFiniteValues() throws {
        let events: [TrainingEvent] = [
            .epoch(
                EpochMetrics(epoch: 2, loss: .nan, accuracy: 0.5, valLoss: .infinity, valAccuracy: nil, seconds: 1.5)),
            .finished(.init(testLoss: 0.25, testAccuracy: 0.875, seconds: 3)),
            .error(.init(kind: "diverged", message: "x", epoch: 1, batch: 2)),
        ]
        for event in events {
            let line = event.jsonLine
            #expect(!line.contains("\n"))
            let back = try TrainingEvent(jsonLine: line)
            if case .epoch(let m) = back {
                #expect(m.loss.isNaN)
                #expect(m.validation?[.loss] == .infinity)
                #expect(m.validation?[.accuracy] == nil)
            } else {
                #expect(back == event)
            }
        }
        #expect(events[0].jsonLine.contains("\"loss\":\"NaN\""))
    }

    /// Real data (Debian's dataset-fashion-mnist, installed by `make test`): GRU-32 on the first 3000 images, 4 epochs
    /// of Adam (lr 0.01), must reach ≥ 70 % test accuracy on the 10,000 test images (measured 74.70 %; chance is 10 %).
    @Test func learnsFashionMNISTSubset() throws {
        let c = try TrainingConfig(overrides: [
            "dataset": .string("fashion-mnist"), "limit": .int(3000), "cell": .string("gru"), "units": .int(32),
            "optimizer": .string("adam"), "epochs": .int(4), "learning_rate": .double(0.01),
        ])
        let data = try DatasetLoader.load(c.dataset)
        let result = try Trainer(config: c, data: data).run()
        let accuracy = try #require(result.test[.accuracy])
        #expect(accuracy >= 0.70, "test accuracy \(accuracy)")
        #expect(result.history.count == 4)
    }

    /// The book's MLP on the same data (through the trainer, so with its floating-point mode): the first 3000
    /// images, 4 epochs of Adam (lr 0.003), must reach ≥ 72 % test accuracy (measured 79.72 %; chance is 10 %).
    @Test func mlpLearnsFashionMNISTSubset() throws {
        let c = try TrainingConfig(overrides: [
            "dataset": .string("fashion-mnist"), "limit": .int(3000), "network": .string("mlp"), "layers": .int(2),
            "units": .int(64), "dropout": .double(0.2), "optimizer": .string("adam"), "learning_rate": .double(0.003),
            "epochs": .int(4),
        ])
        let data = try DatasetLoader.load(c.dataset)
        let result = try Trainer(config: c, data: data).run()
        let accuracy = try #require(result.test[.accuracy])
        #expect(accuracy >= 0.72, "test accuracy \(accuracy)")
    }
}
