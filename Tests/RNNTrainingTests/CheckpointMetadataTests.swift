import Foundation
import RNNData
import Testing

@testable import RNNTraining

/// The metadata a checkpoint holds is the same whether it is encoded at once or, as the writer does after every
/// epoch, from the epochs it encoded before.
@Suite("Checkpoint metadata, encoded once per run")
struct CheckpointMetadataTests {
    static func metadata() throws -> CheckpointMetadata {
        let config = try TrainerTests.config(["patience": .int(3)])
        let architecture = try config.model(shape: DatasetLoader.load(config.dataset).inputShape)
        return CheckpointMetadata(
            architecture: architecture, optimizer: .adam, parameters: config.parameters, dataFingerprint: "abc")
    }

    static func epoch(_ n: Int, loss: Double, validation: Double? = nil) -> EpochMetrics {
        EpochMetrics(epoch: n, loss: loss, accuracy: 0.5, valLoss: validation, valAccuracy: validation, seconds: 0.01)
    }

    static func state(_ history: [EpochMetrics]) -> TrainingState {
        TrainingState(
            epoch: history.count, history: history, dropoutRNG: .init(seed: 1), shuffleRNG: .init(seed: 2),
            optimizerIterations: 7 * history.count)
    }

    /// The history as one `JSONEncoder` call encodes it: what checkpoints held before the cache.
    static func whole(_ history: [EpochMetrics]) throws -> String {
        String(decoding: try CheckpointMetadata.encoder.encode(history), as: UTF8.self)
    }

    @Test func anIncrementalHistoryIsTheWholeOnesBytes() throws {
        let metadata = try Self.metadata()
        var history: [EpochMetrics] = []
        for n in 1...12 {
            // Non-finite values too: they are written as strings.
            let loss: Double = n == 5 ? .nan : n == 6 ? .infinity : 1 / Double(n)
            history.append(Self.epoch(n, loss: loss, validation: n % 2 == 0 ? 0.25 * Double(n) : nil))
            let values = metadata.values(for: Self.state(history))
            #expect(values["history"] == (try Self.whole(history)))
            #expect(values["epoch"] == "\(n)")
            #expect(values["optimizer_iterations"] == "\(7 * n)")
        }
    }

    /// A history that is not the continuation of the last one (a run resumed from an older checkpoint, another
    /// trial's) is encoded from where it differs.
    @Test func aHistoryThatChangesIsEncodedAgainFromTheChange() throws {
        let metadata = try Self.metadata()
        let first = (1...6).map { Self.epoch($0, loss: Double($0)) }
        _ = metadata.values(for: Self.state(first))
        var other = Array(first[..<3])
        other += (4...8).map { Self.epoch($0, loss: -Double($0)) }
        #expect(metadata.values(for: Self.state(other))["history"] == (try Self.whole(other)))
        let shorter = Array(other[..<2])
        #expect(metadata.values(for: Self.state(shorter))["history"] == (try Self.whole(shorter)))
        #expect(metadata.values(for: Self.state([]))["history"] == "[]")
    }

    /// What a checkpoint file holds decodes as the state and parameters it was written from.
    @Test func theFileDecodesToWhatWasWritten() throws {
        let config = try TrainerTests.config(["patience": .int(3)])
        let directory = TrainerTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try DatasetLoader.load(config.dataset)
        let result = try Trainer(config: config, data: data, checkpointDirectory: directory).run()
        let decoded = try SafeTensors.decode(Data(contentsOf: Checkpoint.url(in: directory)))
        let history = try JSONDecoder().decode([EpochMetrics].self, from: Data(decoded.metadata["history"]!.utf8))
        #expect(history == result.history)
        #expect(decoded.metadata["parameters"] == config.parameters.canonicalJSON)
        #expect(decoded.metadata["patience"] != nil)
    }
}
