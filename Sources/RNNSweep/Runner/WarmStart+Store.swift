import Foundation
import RNNTraining

extension WarmStart {
    /// The warm start of `experiment`'s sweep from the database at `database`, read-only, or nil when the file
    /// asks for none. `trials` are this sweep's, with their data checked. When the database already has this sweep
    /// with the same `warm_start:` list, the trials its first run stored are the only ones taken (a resumed run
    /// sees the same observations, whatever the named sweeps gained since).
    public static func load(database: URL, experiment: Experiment, trials: [TrialSpec]) throws(WarmStartError)
        -> WarmStart?
    {
        guard let space = experiment.search, !space.warmStart.isEmpty else { return nil }
        guard FileManager.default.fileExists(atPath: database.path) else {
            let first = space.warmStart[0]
            throw .unknownSweep(
                name: first.name, file: experiment.path, position: first.position, database: database.path, known: [])
        }
        do {
            let store = try MetricsStore.openExisting(at: database, readOnly: true)
            let sweeps = try store.sweeps()
            var sources: [Source] = []
            for named in space.warmStart {
                guard let row = sweeps.first(where: { $0.name == named.name }) else {
                    throw WarmStartError.unknownSweep(
                        name: named.name, file: experiment.path, position: named.position, database: database.path,
                        known: sweeps.map(\.name).filter { $0 != experiment.name }.sorted())
                }
                sources.append(
                    Source(
                        name: row.name, rows: try store.trials(sweep: row.id),
                        epochs: try store.epochsByTrial(sweep: row.id),
                        experimentFolder: TrialAdoption.folder(ofExperiment: row.experimentPath ?? "")))
            }
            let stored = sweeps.first { $0.name == experiment.name }.flatMap {
                Stored(experimentJSON: $0.experimentJSON)
            }
            let only = stored.flatMap { $0.sweeps == space.warmStart.map(\.name) ? Set($0.trials) : nil }
            return match(
                sources: sources, trials: trials, space: space, metric: objective(experiment, trials: trials),
                only: only)
        } catch let error as WarmStartError {
            throw error
        } catch {
            throw .store("\(error)")
        }
    }

    /// The warm start a sweep's stored definition records (``Experiment/resolvedContent(warmStartTrials:)``).
    struct Stored {
        var sweeps: [String]
        var trials: [String]

        init?(experimentJSON: String) {
            struct Content: Decodable {
                struct Search: Decodable {
                    var warm_start: [String]?
                    var warm_start_trials: [String]?
                }
                var search: Search?
            }
            guard let content = try? JSONDecoder().decode(Content.self, from: Data(experimentJSON.utf8)),
                let sweeps = content.search?.warm_start, let trials = content.search?.warm_start_trials
            else { return nil }
            (self.sweeps, self.trials) = (sweeps, trials)
        }
    }
}
