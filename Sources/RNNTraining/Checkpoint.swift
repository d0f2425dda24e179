import Foundation
import RNNEngine

/// What besides the weights a run needs to continue exactly where it stopped.
public struct TrainingState: Sendable, Equatable {
    /// Epochs completed.
    public var epoch: Int
    public var history: [EpochMetrics]
    public var dropoutRNG: RandomSource
    public var shuffleRNG: RandomSource
    public var optimizerIterations: Int
    /// The patience rule's counters (empty without patience).
    public var patience = PatienceRule.State()
    /// The weights patience kept (restore_best), flat in the model's parameter order; nil when none are kept.
    public var bestWeights: [Float]?
}

/// A training checkpoint: one safetensors file, `checkpoint.safetensors`, written after every `checkpoint_every`
/// epochs (by a ``CheckpointWriter``, in the background).
///
/// Tensors: the weights under their Keras-like names (`simple_rnn/kernel`, …, `dense/bias`), then the optimizer's
/// slots as `optimizer/<slot>/<weight name>`. Metadata: the run's parameters, epoch, RNG states, optimizer step and
/// metric history. Written to a temporary file, fsync'ed, then renamed over the old one, so a crash at any moment
/// leaves either the previous checkpoint or the new one, never a torn file.
public enum Checkpoint {
    public static let fileName = "checkpoint.safetensors"
    static let format = "rnnsweep-checkpoint-1"

    /// The prefix of the tensors of patience's kept weights.
    static let bestPrefix = "best/"

    public static func url(in directory: URL) -> URL { directory.appendingPathComponent(fileName) }

    /// Parameters that must match for a checkpoint to be resumed: those of the trial's identity but `epochs` (a
    /// run may be extended), so a checkpoint stays valid exactly as long as its trial id does — with the data's
    /// fingerprint in place of its path when there is one. A checkpoint written before fingerprints (keyed by the
    /// path, `data` nil here) is still accepted (`load`).
    static func compatibilityKey(_ p: TrainingParameters, data fingerprint: String? = nil) -> String {
        key(p.identityValues(data: fingerprint))
    }

    /// The key of identity values: every one but `epochs`, sorted, as `name=json`.
    private static func key(_ values: [String: ParameterValue]) -> String {
        values.keys.sorted().filter { $0 != "epochs" }.map { "\($0)=\(values[$0]!.jsonLiteral)" }
            .joined(separator: ",")
    }

    /// The key without the data's location: a checkpoint written before fingerprints was keyed by where its data
    /// lived; a sweep's worker accepts it wherever the data lives now (`acceptingMovedData`), as the sweep matched
    /// the trial's row with its data (`TrialAdoption`) before giving it the checkpoint folder.
    private static func locationFreeKey(_ p: TrainingParameters) -> String { key(p.locationFreeIdentityValues) }

    public static func save(
        model: any SequenceModel, architecture: any ModelArchitecture, optimizer: any Optimizer, state: TrainingState,
        parameters: TrainingParameters, dataFingerprint: String? = nil, to directory: URL
    ) throws(TrainingError) {
        let metadata = CheckpointMetadata(
            architecture: architecture, optimizer: optimizer.config.kind, parameters: parameters,
            dataFingerprint: dataFingerprint)
        let data = encode(
            specs: model.parameters.specs, weights: model.parameters.values,
            slots: optimizer.slots.map { ($0.name, UnsafePointer($0.buffer.pointer)) }, state: state,
            metadata: metadata)
        try write(data, to: url(in: directory))
    }

    /// The checkpoint file's bytes: the weights and optimizer slots read from the given blocks (the live model's, or
    /// a ``CheckpointSnapshot``'s copy of them), laid out by `specs`, with `state` and the run's metadata.
    static func encode(
        specs: [TensorSlot], weights: UnsafePointer<Float>, slots: [(name: String, values: UnsafePointer<Float>)],
        state: TrainingState, metadata: CheckpointMetadata
    ) -> Data {
        func values(_ block: UnsafePointer<Float>, _ spec: TensorSlot) -> [Float] {
            Array(UnsafeBufferPointer(start: block + spec.offset, count: spec.count))
        }
        var tensors = specs.map { SafeTensors.Tensor(name: $0.name, shape: $0.shape, values: values(weights, $0)) }
        for slot in slots {
            for spec in specs {
                tensors.append(
                    SafeTensors.Tensor(
                        name: "optimizer/\(slot.name)/\(spec.name)", shape: spec.shape,
                        values: values(slot.values, spec)))
            }
        }
        // Patience's kept weights, so that a resumed run restores the same epoch (`best/<weight name>`).
        if let best = state.bestWeights {
            for spec in specs {
                tensors.append(
                    SafeTensors.Tensor(
                        name: "\(bestPrefix)\(spec.name)", shape: spec.shape,
                        values: Array(best[spec.offset..<spec.offset + spec.count])))
            }
        }
        return SafeTensors.encode(tensors, metadata: metadata.values(for: state))
    }

    /// Writes a file of the checkpoint folder atomically and durably, creating the folder.
    static func write(_ data: Data, to target: URL) throws(TrainingError) {
        let folder = target.deletingLastPathComponent().path
        do {
            try NoFollow.directory(folder, allowingLink: true)
        } catch {
            if error.isUnwritable { throw .unwritable(path: folder, reason: error.reason) }
            if error.code == ENOSPC || error.code == EDQUOT { throw .diskFull(path: target.path, reason: error.reason) }
            throw .checkpoint(path: target.path, reason: "its folder could not be created: \(error.description)")
        }
        do {
            try AtomicFile.write(data, to: target.path, durable: true)
        } catch {
            // A full disk, or a folder that cannot be written, is the machine's condition, not the trial's: the
            // sweep stops and resumes it later.
            if error.code == ENOSPC || error.code == EDQUOT { throw .diskFull(path: target.path, reason: error.reason) }
            if NoFollow.Failure.unwritableCodes.contains(error.code) {
                throw .unwritable(path: folder, reason: error.reason)
            }
            throw .checkpoint(path: target.path, reason: "could not be written: \(error.reason)")
        }
    }

    /// The file beside a text model's checkpoint that maps its token ids back to tokens.
    public static let vocabularyFileName = "vocabulary.json"

    /// Writes `vocabulary.json` beside the checkpoint: the token of each id as a JSON array (index = id; 0 is
    /// padding, 1 `[UNK]`), which Keras's `TextVectorization(vocabulary=tokens[2:])` takes back. JSON, not one token
    /// per line: a character vocabulary has the newline as a token.
    public static func saveVocabulary(_ tokens: [String], in directory: URL) throws(TrainingError) {
        let target = directory.appendingPathComponent(vocabularyFileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        try write(try! encoder.encode(tokens), to: target)  // strings always encode
    }

    /// The parameters a checkpoint's metadata records, as written (nil when unreadable).
    static func decodeParameters(_ json: String) -> [String: ParameterValue]? {
        try? JSONDecoder().decode([String: ParameterValue].self, from: Data(json.utf8))
    }

    /// Loads the checkpoint in `directory` into `model` and `optimizer`; nil when there is none.
    ///
    /// Everything is checked before anything is written: when this throws, `model` and `optimizer` are as they were,
    /// so a caller may discard the file and start from scratch with them.
    public static func load(
        from directory: URL, into model: any SequenceModel, optimizer: any Optimizer, parameters: TrainingParameters,
        dataFingerprint: String? = nil, acceptingMovedData: Bool = false
    ) throws(TrainingError) -> TrainingState? {
        let path = url(in: directory)
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        func fail(_ reason: String) -> TrainingError { .checkpoint(path: path.path, reason: reason) }
        let store = model.parameters
        let slots = optimizer.slots
        // Tensor bytes of this model and optimizer, plus the largest header the format allows: a bigger file cannot
        // be this run's checkpoint, and is not read into memory.
        let tensorCopies = 1 + slots.count + (parameters.patienceRule?.restoreBest == true ? 1 : 0)
        let tensorBytes = store.specs.reduce(0) { $0 + $1.count } * tensorCopies * 4
        let sizeLimit = 8 + SafeTensors.maximumHeaderSize + tensorBytes
        let data: Data
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? Int ?? 0
            guard size <= sizeLimit else {
                throw fail("is \(size) bytes, more than a checkpoint of this model can be (\(sizeLimit)); corrupt")
            }
            // Also spares Data(contentsOf:) an empty file, for which Foundation (Swift 6.3.1) leaks a 4 KiB buffer.
            guard size > 0 else { throw fail("corrupt: the file is empty") }
            data = try Data(contentsOf: path)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw fail("unreadable: \(error.localizedDescription)")
        }
        let decoded: (tensors: [SafeTensors.Tensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(data) } catch { throw fail("corrupt: \(error.reason)") }
        let meta = decoded.metadata
        guard meta["format"] == format else {
            throw fail("not an rnnsweep checkpoint (format \(meta["format"] ?? "missing"))")
        }
        // What the model predicts and reads must never change under a resume: named, before the general check.
        if let written = meta["parameters"].flatMap(Self.decodeParameters) {
            for name in ["task", "input"] {
                let before = written[name] ?? ParameterSchema.spec(named: name)!.fixedDefault!
                let now = parameters.value(name) ?? ParameterSchema.spec(named: name)!.fixedDefault!
                if before != now {
                    throw fail(
                        "was written for \(name): \(before), but this run has \(name): \(now); a checkpoint cannot be "
                            + "resumed as another \(name == "task" ? "task" : "input kind") (use another checkpoint "
                            + "directory, or delete it to start over)")
                }
            }
        }
        let written = meta["compatibility"]
        let writtenData = meta["data_fingerprint"].flatMap { $0.isEmpty ? nil : $0 }
        // This trial on this data; or a checkpoint from before fingerprints, of the same data location, or (in a
        // sweep) of any location.
        let accepted =
            written == compatibilityKey(parameters, data: dataFingerprint) || written == compatibilityKey(parameters)
            || (acceptingMovedData && writtenData == nil
                && meta["parameters"].flatMap {
                    try? JSONDecoder().decode(TrainingParameters.self, from: Data($0.utf8))
                }.map(locationFreeKey) == locationFreeKey(parameters))
        guard accepted else {
            // The same configuration of other data (the files changed since): say so.
            if let dataFingerprint, let writtenData, writtenData != dataFingerprint,
                written == compatibilityKey(parameters, data: writtenData)
            {
                throw fail(
                    "was written for other data (the files' contents changed since); use another checkpoint "
                        + "directory, or delete it to start over")
            }
            throw fail(
                "was written by a different configuration (\(meta["parameters"] ?? "?")); "
                    + "use another checkpoint directory, or delete it to start over")
        }
        let byName = Dictionary(decoded.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Every tensor is looked up and checked first; the copies happen only once all of them are there.
        var copies: [(values: [Float], into: UnsafeMutablePointer<Float>, count: Int)] = []
        func plan(_ name: String, into pointer: UnsafeMutablePointer<Float>, spec: TensorSlot) throws(TrainingError) {
            guard let t = byName[name], t.shape == spec.shape, t.values.count == spec.count else {
                throw fail("tensor '\(name)' is missing or has the wrong shape")
            }
            copies.append((t.values, pointer, spec.count))
        }
        for spec in store.specs { try plan(spec.name, into: store.values + spec.offset, spec: spec) }
        for slot in slots {
            for spec in store.specs {
                try plan("optimizer/\(slot.name)/\(spec.name)", into: slot.buffer.pointer + spec.offset, spec: spec)
            }
        }
        func rng(_ key: String) throws(TrainingError) -> RandomSource {
            let words = (meta[key] ?? "").split(separator: ",", omittingEmptySubsequences: false).map { UInt64($0) }
            // An all-zero state would make the generator return zeros forever.
            guard words.count == 4, words.allSatisfy({ $0 != nil }), words.contains(where: { $0 != 0 }) else {
                throw fail("metadata '\(key)' is malformed")
            }
            var r = RandomSource(seed: 0)
            r.state = words.map { $0! }
            return r
        }
        guard let epoch = Int(meta["epoch"] ?? ""), epoch >= 0,
            let iterations = Int(meta["optimizer_iterations"] ?? ""),
            iterations >= 0, let historyText = meta["history"]
        else { throw fail("metadata is incomplete or has a negative epoch or step") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard let history = try? decoder.decode([EpochMetrics].self, from: Data(historyText.utf8)) else {
            throw fail("metadata 'history' is malformed")
        }
        guard history.count == epoch else {
            throw fail("metadata 'history' has \(history.count) epochs but 'epoch' is \(epoch)")
        }
        var state = TrainingState(
            epoch: epoch, history: history, dropoutRNG: try rng("rng_dropout"), shuffleRNG: try rng("rng_shuffle"),
            optimizerIterations: iterations)
        if let text = meta["patience"] {
            guard let patience = try? decoder.decode(PatienceRule.State.self, from: Data(text.utf8)) else {
                throw fail("metadata 'patience' is malformed")
            }
            state.patience = patience
        }
        if state.patience.keptWeights {
            var best = [Float](repeating: 0, count: store.count)
            for spec in store.specs {
                guard let t = byName[bestPrefix + spec.name], t.shape == spec.shape, t.values.count == spec.count
                else {
                    throw fail(
                        "tensor '\(bestPrefix + spec.name)' (patience's best weights) is missing or has the wrong shape"
                    )
                }
                best.replaceSubrange(spec.offset..<spec.offset + spec.count, with: t.values)
            }
            state.bestWeights = best
        }
        for copy in copies {
            copy.values.withUnsafeBufferPointer { copy.into.update(from: $0.baseAddress!, count: copy.count) }
        }
        optimizer.iterations = iterations
        return state
    }
}
