import Foundation
import RNNData
import RNNTraining

/// How a run's trials find the rows a sweep already has, so that nothing registered is ever re-keyed.
///
/// A trial's id hashes its data's fingerprint in place of the data's path (``TrainingParameters/identity(data:)``).
/// A row matches a planned trial when it has the trial's id; or, failing that, when its parameters are the trial's
/// but for `data_dir` and
/// - it recorded the same data fingerprint (a row matched this way before, whose id is still its first one), or
/// - it recorded none — a row registered before fingerprints existed — and its `data_dir` names the trial's data
///   location: the same path, a relative path that resolves to it from the experiment file's folder or the current
///   folder, or both none (the default location). Such a row is taken to have read the data as it is now; the run
///   records the fingerprint on it, and from then on a change of the files' contents gives new trials.
/// The matched row keeps its id (its results and its checkpoint folder stay its own); the planned trial takes it.
public enum TrialAdoption {
    /// The ids a run into `database` would give `trials` of the sweep `sweepName` (for `plan`): adopted from its
    /// rows when the database has the sweep, unchanged otherwise. Reads only.
    public static func adopt(_ trials: [TrialSpec], database: URL, sweepName: String, experimentPath: String)
        -> [TrialSpec]
    {
        guard FileManager.default.fileExists(atPath: database.path),
            let store = try? MetricsStore.openExisting(at: database),
            let sweep = try? store.sweep(named: sweepName), let rows = try? store.trials(sweep: sweep.id)
        else { return trials }
        return adopt(trials, rows: rows, experimentFolder: folder(ofExperiment: experimentPath))
    }

    /// The folder of the experiment file, against which its relative `data_dir`s resolve.
    static func folder(ofExperiment path: String) -> URL? {
        path.isEmpty ? nil : URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    static func adopt(_ trials: [TrialSpec], rows: [TrialRow], experimentFolder: URL?) -> [TrialSpec] {
        let ids = Set(rows.map(\.id))
        var taken = Set(trials.map(\.id)).intersection(ids)
        let candidates = rows.filter { !taken.contains($0.id) }.compactMap { row -> (TrialRow, TrainingParameters)? in
            guard let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8))
            else { return nil }
            return (row, parameters)
        }
        guard !candidates.isEmpty else { return trials }
        // Each candidate's location-free identity once, not once per planned trial.
        let keys = candidates.map(\.1.locationFreeIdentityValues)
        return trials.map { trial in
            guard let fingerprint = trial.dataFingerprint, !ids.contains(trial.id) else { return trial }
            let key = trial.parameters.locationFreeIdentityValues
            let planned = trial.parameters.value("data_dir")?.stringValue
            guard
                let index = candidates.indices.first(where: { i in
                    let (row, parameters) = candidates[i]
                    return !taken.contains(row.id) && keys[i] == key
                        && (row.dataFingerprint == fingerprint
                            || (row.dataFingerprint == nil
                                && sameLocation(parameters.value("data_dir")?.stringValue, planned, experimentFolder)))
                })
            else { return trial }
            taken.insert(candidates[index].0.id)
            var adopted = trial
            adopted.id = candidates[index].0.id
            return adopted
        }
    }

    /// Whether a stored `data_dir` (as an older rnnsweep stored it: as written) names the planned one.
    static func sameLocation(_ stored: String?, _ planned: String?, _ folder: URL?) -> Bool {
        guard let stored, let planned else { return stored == nil && planned == nil }
        let target = DataPath.absolute(planned, against: DataPath.currentFolder)
        return [folder, DataPath.currentFolder].compactMap { $0 }.contains {
            DataPath.absolute(stored, against: $0) == target
        }
    }
}
