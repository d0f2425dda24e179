import Foundation
import RNNTraining

/// `rnnsweep export`: one trial's model taken out of a sweep into a folder another program can use —
/// `model.safetensors` (the weights, in Keras's order, with the parameters and network in the metadata so that
/// `predict` and `evaluate` read it as they read a checkpoint), `parameters.json` (the trial, its parameters, test
/// metrics, data fingerprint and class names, the rnnsweep version), `model.py` (``KerasModelScript``) and, for a
/// text model, `vocabulary.json`. The folder is written beside the target under a temporary name and renamed into
/// place, so it appears whole or not at all.
public enum TrialExport {
    public static let parametersFileName = "parameters.json"
    public static let scriptFileName = "model.py"

    /// What was exported.
    public struct Result: Sendable {
        public var trial: TrialRow
        public var sweep: String
        /// How the network reads (`LSTM`, `Bidirectional(GRU)`, `MLP`).
        public var label: String
        public var directory: URL
        /// The files written, sorted.
        public var files: [String]
        /// Why the model may not be what the user expects (not finished), or nil.
        public var warning: String?
        /// The metric `--best` ranks by: the task's headline metric.
        public var primaryMetric: Metric { ExportSelection.task(of: trial).primaryMetric }
    }

    /// Exports the trial `selection` picks from sweep `sweep` of the database at `database` into `output`, which
    /// must be missing or empty unless `force`. `version` is the rnnsweep writing it.
    public static func run(
        store: MetricsStore, database: URL, sweep: String, selection: ExportSelection, output: URL, force: Bool,
        version: String
    ) throws(ExportError) -> Result {
        let sweeps: [SweepRow]
        let sweepRow: SweepRow
        let rows: [TrialRow]
        let versions: [String: DataVersion]
        do {
            sweeps = try store.sweeps()
            guard let row = sweeps.first(where: { $0.name == sweep }) else {
                throw ExportError.unknownSweep(sweep, available: sweeps.map(\.name))
            }
            sweepRow = row
            rows = try store.trials(sweep: row.id)
            versions = try store.dataVersions()
        } catch let error as ExportError {
            throw error
        } catch {
            throw .store("\(error)")
        }
        try checkOutput(output, force: force)
        let (trial, warning) = try selection.choose(from: rows, sweep: sweep)
        let checkpoint = try findCheckpoint(of: trial.id, sweep: sweepRow, others: sweeps, database: database)
        let model: TrainedModel
        do { model = try TrainedModel.load(file: checkpoint) } catch { throw .model(error) }
        try checkBelongs(model, to: trial, path: checkpoint.path)
        let weights: [SafeTensors.Tensor]
        let script: String
        let label = type(of: model.architecture).label(options: model.parameters.values)
        let input = ModelInputDescription.describe(model.parameters, shape: model.architecture.shape)
        do {
            weights = try model.orderedWeights()
            script = try KerasModelScript.source(
                architecture: model.architecture, model: try model.makeModel(maxBatch: 1),
                about: [
                    "Keras 3 model of rnnsweep trial \(trial.id) (#\(trial.ordinal), \(label)) of sweep "
                        + "\(sweep), exported by rnnsweep \(version).", "",
                    "Input: \(input).",
                ].map(docstringSafe))
        } catch { throw .model(error) }
        var metadata = [
            "format": TrainedModel.exportFormat, "parameters": model.parameters.canonicalJSON,
            "data_fingerprint": model.dataFingerprint ?? "", "trial": trial.id, "sweep": sweep,
            "rnnsweep_version": version,
        ]
        metadata["model"] = model.metadata["model"]
        metadata["epoch"] = model.metadata["epoch"]
        var files: [(String, Data)] = [
            (TrainedModel.exportFileName, SafeTensors.encode(weights, metadata: metadata)),
            (
                parametersFileName,
                parametersJSON(
                    trial: trial, sweep: sweep, model: model, label: label, input: input, version: version,
                    classNames: model.dataFingerprint.flatMap { versions[$0]?.classNames })
            ),
            (scriptFileName, Data(script.utf8)),
        ]
        if model.vocabulary != nil {
            let source = model.file.deletingLastPathComponent().appendingPathComponent(Checkpoint.vocabularyFileName)
            do { files.append((Checkpoint.vocabularyFileName, try Data(contentsOf: source))) } catch {
                throw .write(path: source.path, reason: "cannot be read: \(error.localizedDescription)")
            }
        }
        try write(files, to: output, force: force)
        return Result(
            trial: trial, sweep: sweep, label: label, directory: output, files: files.map(\.0).sorted(),
            warning: warning)
    }

    /// The trial's checkpoint: in the sweep's folder, or, for a trial another sweep completed and this one reused,
    /// in that sweep's. The error names where it should have been.
    private static func findCheckpoint(of trial: String, sweep: SweepRow, others: [SweepRow], database: URL)
        throws(ExportError) -> URL
    {
        let folders = [sweep] + others.filter { $0.name != sweep.name }
        let candidates = folders.map {
            Checkpoint.url(in: SweepSetup.runDirectory(database: database, row: $0).appendingPathComponent(trial))
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw .missingCheckpoint(trial: trial, path: candidates[0].path)
        }
        return found
    }

    /// Refuses a target that exists and is not an empty folder, unless `force`.
    private static func checkOutput(_ output: URL, force: Bool) throws(ExportError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        let empty =
            isDirectory.boolValue
            && (try? FileManager.default.contentsOfDirectory(atPath: output.path))?.isEmpty == true
        if !empty && !force { throw .outputNotEmpty(output.path) }
    }

    /// The checkpoint in the trial's folder must be of the trial's parameters (an edited sweep or a moved folder
    /// could leave another one there).
    private static func checkBelongs(_ model: TrainedModel, to trial: TrialRow, path: String) throws(ExportError) {
        guard let stored = try? JSONDecoder().decode(TrainingParameters.self, from: Data(trial.paramsJSON.utf8)) else {
            return
        }
        if stored.locationFreeIdentityValues != model.parameters.locationFreeIdentityValues {
            throw .otherCheckpoint(
                trial: trial.id, path: path, reason: "it was written for \(model.parameters.canonicalJSON)")
        }
        if let fingerprint = trial.dataFingerprint, let written = model.dataFingerprint, fingerprint != written {
            throw .otherCheckpoint(trial: trial.id, path: path, reason: "it was trained on other data")
        }
    }

    /// What `parameters.json` holds: keys sorted, numbers in their shortest exact form.
    struct Description: Encodable {
        var trial: String
        var sweep: String
        var ordinal: Int
        var status: String
        var network: String
        /// What the Keras model takes (``ModelInputDescription``).
        var model_input: String
        var parameters: [String: ParameterValue]
        var test: [String: Double]
        var epochs_trained: Int?
        var data_fingerprint: String?
        var class_names: [String]?
        var rnnsweep_version: String
    }

    private static func parametersJSON(
        trial: TrialRow, sweep: String, model: TrainedModel, label: String, input: String, version: String,
        classNames: [String]?
    ) -> Data {
        let description = Description(
            trial: trial.id, sweep: sweep, ordinal: trial.ordinal, status: trial.status.rawValue, network: label,
            model_input: input,
            parameters: model.parameters.values,
            test: Dictionary(uniqueKeysWithValues: trial.test.map { (MetricKey(.test, $0.key).recordName, $0.value) }),
            epochs_trained: model.epochs, data_fingerprint: model.dataFingerprint, class_names: classNames,
            rnnsweep_version: version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try! encoder.encode(description)) + Data("\n".utf8)  // strings, integers and numbers always encode
    }

    /// Writes `files` into a new folder beside `output`, then renames it into place (replacing an empty folder, or
    /// with `force` anything).
    private static func write(_ files: [(String, Data)], to output: URL, force: Bool) throws(ExportError) {
        let manager = FileManager.default
        let parent = output.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(output.lastPathComponent).export-\(getpid())")
        do {
            try? manager.removeItem(at: temporary)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            for (name, data) in files {
                try AtomicFile.write(data, to: temporary.appendingPathComponent(name).path, durable: true)
            }
        } catch {
            try? manager.removeItem(at: temporary)
            throw .write(path: temporary.path, reason: "\(error)")
        }
        if manager.fileExists(atPath: output.path) {
            // Checked empty (or forced) before anything was written; moved aside first so a failed rename loses
            // nothing.
            let aside = parent.appendingPathComponent(".\(output.lastPathComponent).replaced-\(getpid())")
            do { try manager.moveItem(at: output, to: aside) } catch {
                try? manager.removeItem(at: temporary)
                throw .write(path: output.path, reason: "cannot be replaced: \(error.localizedDescription)")
            }
            defer { try? manager.removeItem(at: aside) }
            guard rename(temporary.path, output.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? manager.moveItem(at: aside, to: output)
                try? manager.removeItem(at: temporary)
                throw .write(path: output.path, reason: reason)
            }
        } else {
            guard rename(temporary.path, output.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(at: temporary)
                throw .write(path: output.path, reason: reason)
            }
        }
    }

    /// Text for a Python docstring: no backslash escapes, no closing quotes.
    private static func docstringSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
