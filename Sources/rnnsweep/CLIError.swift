import ArgumentParser
import RNNCore
import RNNSweep

/// Turns a library error into a clean one-line message and a non-zero exit (never a stack trace).
enum CLIError {
    /// For invalid options or files: `error: …` on stderr and exit status 2 (usage error), nothing else happens.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as any CustomStringConvertible & Error {
            throw fail(error.description, code: 2)
        }
    }

    /// For failures at run time (missing data, a diverged run): `error: …` on stderr and exit status 1, no usage text.
    static func runtime<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as any CustomStringConvertible & Error {
            throw fail(error.description)
        }
    }

    static func fail(_ message: String, code: Int32 = 1) -> ExitCode {
        // Messages quote user text (names, paths, values): never raw control characters on the terminal.
        printError("error: " + TerminalText.escaped(message))
        return ExitCode(code)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    var stream = StandardError()
    print(message, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.write(string, fd: 2)
    }
}

enum FileHandleWriter {
    /// Writes `string` to `fd`; false when the write failed (errno says why).
    @discardableResult
    static func write(_ string: String, fd: Int32) -> Bool {
        var s = string
        let written = s.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        if !written, fd == 1 {
            _ = Output.standardOutputError.compareExchange(expected: 0, desired: errno, ordering: .relaxed)
        }
        return written
    }
}
