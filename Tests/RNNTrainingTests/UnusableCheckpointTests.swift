import Foundation
import RNNData
import Testing

@testable import RNNTraining

/// A checkpoint that cannot be resumed: `.fail` stops with an error naming it, `.moveAside` keeps it under a new
/// name and starts over (what sweep workers do, so a retry does not hit the same file forever).
@Suite("Unusable checkpoints")
struct UnusableCheckpointTests {
    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    func files(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func failNamesTheFile() throws {
        let dir = TrainerTests.temporaryDirectory()
        let bytes = Self.randomBytes(4096)
        try bytes.write(to: Checkpoint.url(in: dir))
        let config = try TrainerTests.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(config.dataset)
        do {
            _ = try Trainer(config: config, data: data, checkpointDirectory: dir, resume: true)
            Issue.record("expected a checkpoint error")
        } catch {
            guard case .checkpoint(let path, let reason) = error else {
                Issue.record("expected .checkpoint, got \(error)")
                return
            }
            #expect(path == Checkpoint.url(in: dir).path)
            #expect(reason.hasPrefix("corrupt: "))
            #expect(error.description.contains(Checkpoint.url(in: dir).path))
        }
        // Nothing was moved or changed.
        #expect(try files(in: dir) == [Checkpoint.fileName])
        #expect(try Data(contentsOf: Checkpoint.url(in: dir)) == bytes)
    }

    @Test func moveAsideKeepsTheFileAndStartsAtEpochZero() throws {
        let dir = TrainerTests.temporaryDirectory()
        let bytes = Self.randomBytes(4096)
        try bytes.write(to: Checkpoint.url(in: dir))
        let config = try TrainerTests.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(config.dataset)
        let trainer = try Trainer(
            config: config, data: data, checkpointDirectory: dir, resume: true, unusableCheckpoint: .moveAside)
        #expect(trainer.completedEpochs == 0)
        let kept = try files(in: dir)
        #expect(kept.count == 1)
        let name = try #require(kept.first)
        #expect(name.range(of: #"^checkpoint\.corrupt-\d{8}T\d{6}Z\.safetensors$"#, options: .regularExpression) != nil)
        #expect(try Data(contentsOf: dir.appendingPathComponent(name)) == bytes)

        var events: [TrainingEvent] = []
        let result = try trainer.run { events.append($0) }
        guard case .started(let started) = events.first else {
            Issue.record("no started event")
            return
        }
        #expect(started.resumedFromEpoch == 0)
        let note = try #require(started.discardedCheckpoint)
        #expect(note.hasPrefix("moved \(Checkpoint.fileName) aside to \(name): corrupt: "))
        #expect(trainer.discardedCheckpointNote == note)
        #expect(events.first?.jsonLine.contains(#""discarded_checkpoint":"moved checkpoint.safetensors aside"#) == true)
        // Trained from scratch: the same weights as a run that never saw the bad file; a new checkpoint beside it.
        let fresh = try Trainer(config: config, data: data).run()
        #expect(result.weights.map(\.bitPattern) == fresh.weights.map(\.bitPattern))
        #expect(try files(in: dir) == [Checkpoint.fileName, name].sorted())
    }

    @Test func moveAsideAlsoDiscardsACheckpointOfAnotherConfiguration() throws {
        let dir = TrainerTests.temporaryDirectory()
        let a = try TrainerTests.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(a.dataset)
        _ = try Trainer(config: a, data: data, checkpointDirectory: dir).run()
        let b = try TrainerTests.config(["epochs": .int(1), "units": .int(9)])
        let trainer = try Trainer(
            config: b, data: data, checkpointDirectory: dir, resume: true, unusableCheckpoint: .moveAside)
        #expect(trainer.completedEpochs == 0)
        #expect(trainer.discardedCheckpointNote?.contains("different configuration") == true)
    }

    @Test func aStartedEventWithoutTheNoteOmitsTheKey() throws {
        let config = try TrainerTests.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(config.dataset)
        var events: [TrainingEvent] = []
        _ = try Trainer(config: config, data: data, unusableCheckpoint: .moveAside).run { events.append($0) }
        #expect(events.first?.jsonLine.contains("discarded_checkpoint") == false)
        #expect(events.first?.jsonLine.contains("\"event\":\"started\"") == true)
    }

    @Test func secondMoveInTheSameSecondGetsASuffix() throws {
        let dir = TrainerTests.temporaryDirectory()
        let date = Date(timeIntervalSince1970: 1_796_175_000)  // 2026-12-02T01:30:00Z
        try Data([1]).write(to: Checkpoint.url(in: dir))
        let first = try Checkpoint.moveAside(in: dir, at: date)
        try Data([2]).write(to: Checkpoint.url(in: dir))
        let second = try Checkpoint.moveAside(in: dir, at: date)
        #expect(first.lastPathComponent == "checkpoint.corrupt-20261202T013000Z.safetensors")
        #expect(second.lastPathComponent == "checkpoint.corrupt-20261202T013000Z-2.safetensors")
        #expect(try Data(contentsOf: first) == Data([1]) && Data(contentsOf: second) == Data([2]))
    }

    @Test func aFailedLoadLeavesTheModelUntouched() throws {
        // A checkpoint with the right format but one tensor missing: no weight may be overwritten before the check.
        let dir = TrainerTests.temporaryDirectory()
        let config = try TrainerTests.config(["epochs": .int(1)])
        let data = try DatasetLoader.load(config.dataset)
        _ = try Trainer(config: config, data: data, checkpointDirectory: dir).run()
        let decoded = try SafeTensors.decode(Data(contentsOf: Checkpoint.url(in: dir)))
        let damaged = SafeTensors.encode(Array(decoded.tensors.dropLast()), metadata: decoded.metadata)
        try damaged.write(to: Checkpoint.url(in: dir))
        let trainer = try Trainer(config: config, data: data)
        let before = trainer.model.parameters.valueArray
        #expect(throws: TrainingError.self) {
            try Checkpoint.load(
                from: dir, into: trainer.model, optimizer: trainer.optimizer, parameters: config.parameters)
        }
        #expect(trainer.model.parameters.valueArray.map(\.bitPattern) == before.map(\.bitPattern))
    }
}
