/// Why `merge` refused to write anything.
public enum DatabaseMergeError: Error, Equatable, CustomStringConvertible {
    /// Two databases hold different experiments under one sweep name: merging them would mix two data sets in rows
    /// a report cannot tell apart.
    case differentExperiment(sweep: String, target: String, source: String, difference: ExperimentDifference)
    /// `--rename` names a sweep, but more than one sweep (or none) differs.
    case renameAmbiguous(new: String, differing: [String])
    /// `--rename` names a sweep that exists already with another experiment.
    case renameTaken(new: String, path: String)

    public var description: String {
        switch self {
        case .differentExperiment(let sweep, let target, let source, let difference):
            return "sweep \(sweep) in \(source) is a different experiment from sweep \(sweep) in \(target) "
                + "(\(difference)); nothing was merged. Merge it under another name with --rename NEW, or leave it "
                + "out"
        case .renameAmbiguous(let new, let differing):
            return differing.isEmpty
                ? "--rename \(new): no sweep differs from the target's of the same name; nothing to rename"
                : "--rename \(new) renames one sweep, but \(differing.count) differ (\(differing.joined(separator: ", "))); "
                    + "merge their databases one at a time"
        case .renameTaken(let new, let path):
            return "--rename \(new): \(path) already has a sweep \(new) of another experiment; choose another name"
        }
    }
}
