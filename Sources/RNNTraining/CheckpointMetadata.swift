import Foundation
import RNNEngine

/// The metadata of one run's checkpoints, encoded as the checkpoint file holds it. What stays the same for the whole
/// run (parameters, model, compatibility key) is encoded once, and the metric history one epoch at a time: a
/// checkpoint goes out after every epoch, and encoding the whole history again each time cost more than a small
/// model's epoch (and grew with the square of the epochs).
///
/// Used by one write at a time (the checkpoint writer has at most one in flight); the lock makes that a rule
/// rather than an assumption.
final class CheckpointMetadata: @unchecked Sendable {
    private let lock = NSLock()
    private let fixed: [String: String]
    private let patience: Bool
    /// The epochs encoded so far, and their JSON, for a history that only grows.
    private var encodedEpochs: [EpochMetrics] = []
    private var encodedParts: [String] = []

    init(
        architecture: any ModelArchitecture, optimizer kind: OptimizerConfig.Kind, parameters: TrainingParameters,
        dataFingerprint: String?
    ) {
        fixed = [
            "format": Checkpoint.format,
            "parameters": parameters.canonicalJSON,
            "compatibility": Checkpoint.compatibilityKey(parameters, data: dataFingerprint),
            // Its own field too, so that a resume on other data can say so.
            "data_fingerprint": dataFingerprint ?? "",
            "model": String(decoding: try! Self.encoder.encode(architecture), as: UTF8.self),
            "optimizer": kind.rawValue,
        ]
        patience = parameters.patienceRule != nil
    }

    /// How the metadata's JSON values are written (sorted keys; non-finite numbers as strings).
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// The metadata of a checkpoint of `state`.
    func values(for state: TrainingState) -> [String: String] {
        var metadata = fixed
        metadata["epoch"] = String(state.epoch)
        metadata["optimizer_iterations"] = String(state.optimizerIterations)
        metadata["rng_dropout"] = state.dropoutRNG.state.map(String.init).joined(separator: ",")
        metadata["rng_shuffle"] = state.shuffleRNG.state.map(String.init).joined(separator: ",")
        metadata["history"] = history(state.history)
        // Only with patience, so that a checkpoint of a run without it is as before.
        if patience {
            metadata["patience"] = String(decoding: try! Self.encoder.encode(state.patience), as: UTF8.self)
        }
        return metadata
    }

    /// `history` as JSON, the same bytes as encoding the array at once: the epochs encoded before are reused while
    /// they are still the history's first ones.
    private func history(_ history: [EpochMetrics]) -> String {
        lock.lock()
        defer { lock.unlock() }
        var kept = 0
        while kept < min(encodedEpochs.count, history.count) && encodedEpochs[kept] == history[kept] { kept += 1 }
        encodedEpochs.removeSubrange(kept...)
        encodedParts.removeSubrange(kept...)
        let encoder = Self.encoder
        for epoch in history[kept...] {
            encodedEpochs.append(epoch)
            encodedParts.append(String(decoding: try! encoder.encode(epoch), as: UTF8.self))
        }
        return "[" + encodedParts.joined(separator: ",") + "]"
    }
}
