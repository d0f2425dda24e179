import Foundation

/// Where a `data_dir` written relative to something points: an experiment file's `data_dir` is relative to the
/// file's folder, a command line's to the current folder. One rule for both, and for matching a path an older
/// rnnsweep stored as written.
public enum DataPath {
    /// `path` made absolute against `folder` (standardised: `.` and `..` removed); an absolute path, a `~` path (the
    /// loader expands it) and an empty one are returned as they are.
    public static func resolve(_ path: String, against folder: URL) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~") else { return path }
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }

    /// `path` as the loaders open it, against `folder` when relative: `~` expanded, standardised.
    public static func absolute(_ path: String, against folder: URL) -> String {
        let expanded = FileBytes.expand(path)
        return expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded).standardizedFileURL.path : resolve(expanded, against: folder)
    }

    /// The current folder, against which a command line's paths resolve.
    public static var currentFolder: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
}
