import Foundation

/// The data file or folder a report's caption names (`data jv.npz`, `data JapaneseVowels`), so a pasted table says
/// which files it measured and not only the loader (`dataset npz`).
enum ReportDataFile {
    /// The last path component of the `data_dir` every trial shares; nil when the trials read generated or
    /// built-in data (no `data_dir`) or different paths (a column shows them then).
    static func name(_ trials: [ReportTrial]) -> String? {
        let paths = Set(trials.map { $0.params["data_dir"]?.stringValue })
        guard paths.count == 1, let path = paths.first ?? nil, !path.isEmpty else { return nil }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let name = URL(fileURLWithPath: trimmed).lastPathComponent
        return name.isEmpty ? trimmed : name
    }
}
