import Foundation
import RNNData
import RNNEngine

/// A trained model read back for inference: a trial's checkpoint (`checkpoint.safetensors`, whose last epoch's
/// weights are the final model) or an export's `model.safetensors`. Both carry the run's parameters and the
/// network (its `ModelArchitecture` as JSON) in their metadata, so the model is rebuilt exactly as it was trained,
/// whatever data it is then given.
public struct TrainedModel: Sendable {
    /// The file an export writes its weights to.
    public static let exportFileName = "model.safetensors"
    /// The `format` metadata of an export's weights (a checkpoint's is `Checkpoint.format`).
    public static let exportFormat = "rnnsweep-export-1"

    /// The file the weights were read from.
    public var file: URL
    public var parameters: TrainingParameters
    /// The network as built for the trial's data: its steps, features, outputs and vocabulary.
    public var architecture: any ModelArchitecture
    /// The model's weights (no optimizer slots), in the file's order.
    public var weights: [SafeTensors.Tensor]
    /// The fingerprint of the data the model was trained on; nil for generated data.
    public var dataFingerprint: String?
    /// Epochs trained, when the file records it.
    public var epochs: Int?
    /// Whether the file is a checkpoint (rather than an export).
    public var isCheckpoint: Bool
    /// A text model's vocabulary (`vocabulary.json` beside the file): the token of each id.
    public var vocabulary: [String]?
    /// The file's metadata, as written.
    public var metadata: [String: String]

    /// The model file `path` names: the file itself, or in a folder its checkpoint, else its export.
    public static func locate(_ path: String) throws(InferenceError) -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .notFound(path: path, tried: [path])
        }
        guard isDirectory.boolValue else { return url }
        let candidates = [Checkpoint.url(in: url), url.appendingPathComponent(exportFileName)]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw .notFound(path: path, tried: candidates.map(\.path))
        }
        return found
    }

    /// Reads the model at `path` (a file, or a folder with a checkpoint or an export).
    public static func load(_ path: String) throws(InferenceError) -> TrainedModel {
        try load(file: try locate(path))
    }

    /// Reads a checkpoint or an export's weights file.
    public static func load(file: URL) throws(InferenceError) -> TrainedModel {
        func fail(_ reason: String) -> InferenceError { .unreadable(path: file.path, reason: reason) }
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw fail("unreadable: \(error.localizedDescription)") }
        let decoded: (tensors: [SafeTensors.Tensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(data) } catch { throw fail("corrupt: \(error.reason)") }
        let meta = decoded.metadata
        let isCheckpoint = meta["format"] == Checkpoint.format
        guard isCheckpoint || meta["format"] == exportFormat else {
            throw fail("not an rnnsweep checkpoint or export (format \(meta["format"] ?? "missing"))")
        }
        guard let parametersText = meta["parameters"],
            let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(parametersText.utf8))
        else { throw fail("its metadata has no readable 'parameters'") }
        guard let modelText = meta["model"],
            let architecture = decodeArchitecture(parameters.network, json: Data(modelText.utf8))
        else { throw fail("its metadata has no readable 'model' of network \(parameters.network.kind)") }
        let vocabularyURL = file.deletingLastPathComponent().appendingPathComponent(Checkpoint.vocabularyFileName)
        var vocabulary: [String]? = nil
        if let bytes = try? Data(contentsOf: vocabularyURL) {
            guard let tokens = try? JSONDecoder().decode([String].self, from: bytes),
                Array(tokens.prefix(2)) == ["", "[UNK]"]
            else {
                throw .unreadable(
                    path: vocabularyURL.path,
                    reason: "not a vocabulary: a JSON array of tokens starting with \"\" (padding) and \"[UNK]\"")
            }
            vocabulary = tokens
        }
        return TrainedModel(
            file: file, parameters: parameters, architecture: architecture,
            weights: decoded.tensors.filter { !$0.name.hasPrefix("optimizer/") },
            dataFingerprint: meta["data_fingerprint"].flatMap { $0.isEmpty ? nil : $0 },
            epochs: meta["epoch"].flatMap { Int($0) }, isCheckpoint: isCheckpoint, vocabulary: vocabulary,
            metadata: meta)
    }

    /// The network kind's configuration from its JSON (every registered kind is `Codable`).
    private static func decodeArchitecture(_ kind: any ModelArchitecture.Type, json: Data) -> (any ModelArchitecture)? {
        guard let decodable = kind as? any Decodable.Type else { return nil }
        return (try? JSONDecoder().decode(decodable, from: json)) as? any ModelArchitecture
    }

    /// Why this is not a finished model (a checkpoint of a paused, stopped or interrupted trial), or nil.
    public var unfinishedNote: String? {
        let planned = parameters.int("epochs")
        guard let epochs, epochs < planned else { return nil }
        return "\(file.path) holds the model after epoch \(epochs) of \(planned), not a finished one"
    }

    /// The trial's mini-batch size: evaluation runs in batches of it, as the trainer's test did, so that the sums
    /// are the recorded ones to the bit.
    public var batchSize: Int { parameters.int("batch_size") }

    /// Builds the network for batches of up to `maxBatch` and loads the weights into it, each by name and shape.
    public func makeModel(maxBatch: Int) throws(InferenceError) -> any SequenceModel {
        let model: any SequenceModel
        do { model = try architecture.makeModel(maxBatch: maxBatch, seed: 0) } catch {
            throw .unreadable(path: file.path, reason: "its network cannot be built: \(error.description)")
        }
        let byName = Dictionary(weights.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let store = model.parameters
        for spec in store.specs {
            guard let tensor = byName[spec.name], tensor.shape == spec.shape else {
                throw .unreadable(
                    path: file.path, reason: "tensor '\(spec.name)' \(spec.shape) is missing or has another shape")
            }
            tensor.values.withUnsafeBufferPointer {
                (store.values + spec.offset).update(from: $0.baseAddress!, count: spec.count)
            }
        }
        return model
    }

    /// The model's weights in the network's order (Keras's `trainable_weights`), checked against it.
    public func orderedWeights() throws(InferenceError) -> [SafeTensors.Tensor] {
        let model = try makeModel(maxBatch: 1)
        let store = model.parameters
        return store.specs.map { SafeTensors.Tensor(name: $0.name, shape: $0.shape, values: store.values(of: $0)) }
    }
}
