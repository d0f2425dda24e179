import Foundation
import Spawn
import Testing

/// Debian's headless Chromium, for the tests that open HTML reports in a real browser
/// (`/work/shared/notes/headless-chromium.md` has the flags). `make test` installs it.
enum Chromium {
    /// The browser binary, or nil when it is not installed.
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether the browser tests run: with chromium, or on CI (`CI=true`), where a missing chromium must fail
    /// the run instead of skipping it silently.
    static var testsEnabled: Bool { path != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The reason shown when the browser tests are skipped.
    static let skipReason: Comment =
        "chromium is not installed: the HTML report's browser tests are skipped (apt-get install chromium)"

    /// The binary, or a test failure that names the fix (used inside enabled tests, so only on CI without it).
    static func require() throws -> String {
        try #require(path, "CI=true and chromium is missing: install it (the Makefile's set-up does)")
    }

    /// The DOM of `url` after its scripts ran (`--dump-dom`), read from standard output.
    static func dumpDOM(_ url: URL, fragment: String? = nil) throws -> String {
        var target = url.absoluteString
        if let fragment { target += "#" + fragment }
        return try run(["--virtual-time-budget=2000", "--dump-dom", target])
    }

    /// A PNG screenshot of `url` at 1280 × `height` CSS pixels, written to `output`.
    static func screenshot(_ url: URL, to output: URL, height: Int = 1800) throws {
        _ = try run(["--window-size=1280,\(height)", "--screenshot=\(output.path)", url.absoluteString])
    }

    /// What the page wrote to its console (`console.error`, uncaught exceptions, …) while loading and running its
    /// scripts: the `CONSOLE` lines of Chromium's log.
    static func consoleMessages(_ url: URL) throws -> [String] {
        let log = try run(
            ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom", url.absoluteString],
            readingStandardError: true)
        return log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }

    /// Runs one headless browser with a fresh profile and returns its standard output (stderr carries only
    /// harmless D-Bus/GPU noise), or with `readingStandardError` its log on stderr instead. Killed after 90 s so that
    /// a hung browser fails the test instead of the suite.
    private static func run(_ arguments: [String], readingStandardError: Bool = false) throws -> String {
        let binary = try require()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = ChildProcess(executableURL: URL(fileURLWithPath: binary))
        // --no-sandbox: the tests run as root; no network: the page must need none.
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        let out = Pipe()
        process.standardOutput = readingStandardError ? .nullDevice : .pipe(out)
        process.standardError = readingStandardError ? .pipe(out) : .nullDevice
        process.standardInput = .nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { [process] in process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        try #require(process.terminationStatus == 0, "chromium \(arguments) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
