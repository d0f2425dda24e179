import Foundation
import RNNTraining

extension ExpandedSweep {
    /// The plan as one JSON document, for tools that run the same trials elsewhere (the Keras reference sweep):
    ///
    ///     {"name": …, "description": …, "varying_keys": [...],
    ///      "trials": [{"ordinal": 1, "id": …, "grid_point": 1, "seed": 1, "data_fingerprint": …, "params": {…}}, …]}
    ///
    /// `params` is each trial's resolved parameters exactly as the database stores them (`canonicalJSON`: keys
    /// sorted, shortest round-trip numbers), embedded as JSON, so a reader needs no copy of the parameter schema.
    /// `varying_keys` are the columns of `planTable()`. `data_fingerprint` (data read from files, once ``SweepData``
    /// checked it) is what the id hashes in place of `data_dir`. `memory_bytes`, with `memory`, is the trial's
    /// ``MemoryEstimate``. One trial per line, for diffs.
    public func planJSON(name: String, description: String, memory: SweepMemory? = nil) -> String {
        func string(_ text: String) -> String { ParameterValue.string(text).jsonLiteral }
        let trialLines = trials.map { trial in
            "    {\"ordinal\":\(trial.ordinal),\"id\":\(string(trial.id)),\"grid_point\":\(trial.gridPoint),"
                + "\"seed\":\(trial.seed),"
                + (trial.dataFingerprint.map { "\"data_fingerprint\":\(string($0))," } ?? "")
                + (memory?.estimates[trial.ordinal].map { "\"memory_bytes\":" + String(format: "%.0f", $0.bytes) + "," }
                    ?? "")
                + "\"params\":\(trial.parameters.canonicalJSON)}"
        }
        return "{\n  \"name\": \(string(name)),\n  \"description\": \(string(description)),\n"
            + "  \"varying_keys\": [\(varyingKeys.map(string).joined(separator: ","))],\n"
            + "  \"trials\": [\n" + trialLines.joined(separator: ",\n") + "\n  ]\n}"
    }
}
