import Foundation
import RNNData
import Testing

@testable import RNNTraining

/// Every input that trapped the safetensors decoder is kept in `Fixtures/fuzz/safetensors/` (`crash-*` found by
/// `Scripts/fuzz.sh safetensors`, `known-*` by reading the code; each traps the old code): `SafeTensors.decode` must
/// return or throw, and `Checkpoint.load` throw a `TrainingError.checkpoint` naming the file, as `FuzzSafeTensors`
/// feeds them.
@Suite("safetensors fuzz regressions")
struct SafeTensorsFuzzRegressionTests {
    @Test func everyFixtureIsATypedError() throws {
        let directory = try #require(
            Bundle.module.url(forResource: "fuzz/safetensors", withExtension: nil, subdirectory: "Fixtures"))
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        #expect(files.count >= 4)
        // The configuration of the fuzz target's seed checkpoints.
        let config = try TrainingConfig(overrides: [
            "dataset": .string("sum-sign"), "samples": .int(12), "sequence_length": .int(3), "cell": .string("gru"),
            "units": .int(2), "batch_size": .int(4), "epochs": .int(1), "optimizer": .string("adam"),
        ])
        let trainer = try Trainer(config: config, data: DatasetLoader.load(config.dataset))
        for file in files {
            let data = try Data(contentsOf: file)
            // Some inputs are well-formed safetensors that fail only as a checkpoint; none may trap.
            _ = try? SafeTensors.decode(data)
            let checkpointDirectory = TrainerTests.temporaryDirectory()
            try data.write(to: Checkpoint.url(in: checkpointDirectory))
            do {
                _ = try Checkpoint.load(
                    from: checkpointDirectory, into: trainer.model, optimizer: trainer.optimizer,
                    parameters: config.parameters)
                Issue.record("\(file.lastPathComponent) loaded as a checkpoint")
            } catch {
                guard case .checkpoint(let path, _) = error else {
                    Issue.record("\(file.lastPathComponent): \(error)")
                    continue
                }
                #expect(path == Checkpoint.url(in: checkpointDirectory).path)
            }
        }
    }
}
