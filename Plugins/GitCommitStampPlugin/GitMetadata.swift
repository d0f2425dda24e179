import Foundation

/// The files of a git checkout whose change can move HEAD or the dirty flag, found by reading `.git` the way git
/// does (no git process runs while the build is planned).
///
/// `.git` is a directory, or (a linked work tree, a submodule) a file `gitdir: PATH`; a linked work tree's refs
/// live in the common directory named by its `commondir` file. HEAD is `ref: refs/heads/NAME`, resolved through the
/// loose ref file or `packed-refs`, or a detached hash. Only files that exist are returned; outside a checkout there
/// are none.
enum GitMetadata {
    static func watchedFiles(package: URL) -> [URL] {
        guard let gitDirectory = gitDirectory(package: package) else { return [] }
        let common = commonDirectory(gitDirectory)
        var files = [
            gitDirectory.appendingPathComponent("HEAD"), gitDirectory.appendingPathComponent("index"),
            common.appendingPathComponent("packed-refs"),
        ]
        if let head = try? String(contentsOf: files[0], encoding: .utf8),
            head.hasPrefix("ref: ")
        {
            let ref = head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)
            files.append(common.appendingPathComponent(ref))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    private static func gitDirectory(package: URL) -> URL? {
        let dotGit = package.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") else {
            return nil
        }
        return resolve(text.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines), against: package)
    }

    private static func commonDirectory(_ gitDirectory: URL) -> URL {
        let file = gitDirectory.appendingPathComponent("commondir")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return gitDirectory }
        return resolve(text.trimmingCharacters(in: .whitespacesAndNewlines), against: gitDirectory)
    }

    private static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/")
            ? URL(fileURLWithPath: path) : base.appendingPathComponent(path).standardizedFileURL
    }
}
