import Foundation
import RNNCore
import RNNTraining

/// The sweep's registered trials grouped by their configuration without `epochs`: where ``TrialPreparation`` looks
/// for a shorter run of the same configuration that a new trial can continue from.
///
/// Each row's stored parameters are decoded once, when the run begins, and a lookup reads only the rows of the
/// trial's own configuration. Decoding every row of the sweep for every trial started made a run of N trials decode
/// N² parameter sets: at 1,000 tiny trials that was half of the coordinator's CPU time, at 10,000 it would have been
/// hours (`Benchmarks/scale.sh`).
struct ShorterRunIndex: Sendable {
    /// A registered row and the epochs its parameters ask for.
    struct Entry: Sendable {
        var row: TrialRow
        var epochs: Int
    }

    private let byConfiguration: [[String: ParameterValue]: [Entry]]
    /// How many rows' parameters were decoded: one per row whose parameters decode, whatever the lookups.
    let decodedRows: Int

    /// Groups `rows` (every trial the sweep has registered); rows whose parameters do not decode are left out, as
    /// the search has always skipped them.
    init(rows: [TrialRow]) {
        var groups: [[String: ParameterValue]: [Entry]] = [:]
        var decoded = 0
        let decoder = JSONDecoder()
        for row in rows {
            guard let parameters = try? decoder.decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8))
            else { continue }
            decoded += 1
            groups[Self.configuration(parameters), default: []].append(
                Entry(row: row, epochs: parameters.int("epochs")))
        }
        byConfiguration = groups
        decodedRows = decoded
    }

    /// A trial's identity values without `epochs`: two trials with the same one compute the same epochs as far as
    /// the shorter one goes.
    static func configuration(_ parameters: TrainingParameters) -> [String: ParameterValue] {
        var values = parameters.identityValues
        values["epochs"] = nil
        return values
    }

    /// The registered rows of `trial`'s configuration (its own row among them), in the order the rows were given:
    /// all that a lookup reads.
    func rows(like trial: TrialSpec) -> [Entry] {
        byConfiguration[Self.configuration(trial.parameters)] ?? []
    }

    /// The registered rows of `trial`'s configuration with fewer epochs than it, other than its own row, in the
    /// order the rows were given.
    func shorter(than trial: TrialSpec) -> [Entry] {
        let epochs = trial.parameters.int("epochs")
        return rows(like: trial).filter { $0.row.id != trial.id && $0.epochs < epochs }
    }
}
