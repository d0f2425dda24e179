import ArgumentParser

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
        printError("error: \(message)")
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
    static func write(_ string: String, fd: Int32) {
        var s = string
        s.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
    private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#elseif canImport(Darwin)
    import Darwin
    private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif
