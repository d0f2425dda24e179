import Foundation
import RNNTraining

/// Trials a scheduler added while a sweep ran. They are rows of the sweep, not of its file's expansion: each is
/// registered with a note that says so, and a later run of the sweep takes them in with the file's trials (they are
/// neither superseded nor added again, and keep their ordinals).
enum AddedTrials {
    /// The start of the note every added trial is registered with.
    static let notePrefix = "added by the scheduler while the sweep ran: "

    static func note(reason: String) -> String { notePrefix + reason }

    static func isAdded(_ row: TrialRow) -> Bool {
        (row.notes ?? "").split(separator: "\n").contains { $0.hasPrefix(notePrefix) }
    }

    /// The added trials among `rows` that `planned` does not have, in ordinal order, as they were registered.
    static func specs(in rows: [TrialRow], besides planned: [TrialSpec]) throws(SweepRunError) -> [TrialSpec] {
        let ids = Set(planned.map(\.id))
        var specs: [TrialSpec] = []
        for row in rows.sorted(by: { $0.ordinal < $1.ordinal }) where isAdded(row) && !ids.contains(row.id) {
            guard let parameters = try? JSONDecoder().decode(TrainingParameters.self, from: Data(row.paramsJSON.utf8))
            else { throw .store("added trial \(row.id) has parameters this rnnsweep cannot read") }
            var spec = TrialSpec(ordinal: row.ordinal, parameters: parameters, gridPoint: row.gridPoint)
            spec.dataFingerprint = row.dataFingerprint
            spec.id = row.id
            specs.append(spec)
        }
        return specs
    }
}
