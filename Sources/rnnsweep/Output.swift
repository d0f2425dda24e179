import CProcessControl
import Foundation
import RNNCore
import Synchronization

/// Where the CLI's output goes, and the rule that a failed write is an error: `report S > /dev/full` or
/// `--output /etc` end with a one-line message and a non-zero exit, never with exit 0 and nothing written.
enum Output {
    /// The errno of the first failed write to standard output by ``FileHandleWriter`` (0: none).
    static let standardOutputError = Atomic<Int32>(0)

    /// Swift's `print` for standard output, but unbuffered and through ``FileHandleWriter``, so that a failed write
    /// is known with its errno (C's buffered stdout reports only "an error happened", at exit).
    static func print(_ text: String, terminator: String = "\n") {
        FileHandleWriter.write(text + terminator, fd: 1)
    }

    /// Flushes C's stdout (ArgumentParser's help goes there); the reason when standard output lost anything.
    static func standardOutputFailure() -> String? {
        let flushed = rnnsweep_flush_standard_output()
        if flushed != 0 { return String(cString: strerror(flushed)) }
        let code = standardOutputError.load(ordering: .relaxed)
        return code == 0 ? nil : String(cString: strerror(code))
    }

    /// Writes `text` to the file at `path` in one step (``AtomicFile``), creating its folder.
    static func save(_ text: String, to path: String) throws(OutputError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputError(path: path, reason: "it is a folder")
        }
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: path, reason: "cannot create its folder \(folder.path): \(Self.reason(error))")
        }
        do {
            try AtomicFile.write(Array(text.utf8), to: path, durable: false)
        } catch {
            throw OutputError(path: path, reason: error.reason)
        }
    }

    /// The system's words for a Foundation file error (its POSIX cause), never the error's raw dictionary.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}

/// A file the CLI was asked to write could not be written.
struct OutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
