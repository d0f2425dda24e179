import Foundation

/// Reading whole files into byte arrays, with errors that name the file.
enum FileBytes {
    /// True when `path` exists and is a regular file (or a link to one).
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// True when `path` exists and is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The file's bytes, gunzipped when the file is gzip-compressed (detected by content, not by name).
    static func read(_ path: String, gunzip: Bool = true) throws(DataError) -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        return gunzip && Gzip.isGzip(bytes) ? try Gzip.decompress(bytes, path: path) : bytes
    }

    /// `path` with `~` expanded.
    static func expand(_ path: String) -> String {
        NSString(string: path).expandingTildeInPath
    }
}
