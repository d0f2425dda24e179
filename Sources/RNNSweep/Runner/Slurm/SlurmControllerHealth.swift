import Foundation

/// When the Slurm controller last answered a command of the coordinator, and since when it has not. The coordinator
/// keeps it in `<run directory>/slurm/controller.json`, written when the state changes (not at every poll), so that
/// `status` — another process — can say "controller not answering since …" even while its own `squeue` times out.
struct SlurmControllerHealth: Codable, Equatable {
    /// The last command that got an answer (possibly a refusal: a refusal is an answer).
    var lastAnswered: Date?
    /// The first command that got none, in the current run of silence; nil while the controller answers.
    var notAnsweringSince: Date?
    /// What that silence looked like: `squeue … did not answer within 20 s (killed; command_timeout)`.
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case lastAnswered = "last_answered"
        case notAnsweringSince = "not_answering_since"
        case lastError = "last_error"
    }

    static func url(runDirectory: URL) -> URL {
        runDirectory.appendingPathComponent("slurm", isDirectory: true).appendingPathComponent("controller.json")
    }

    /// What the last coordinator of the sweep in `runDirectory` recorded, if anything.
    static func read(runDirectory: URL) -> SlurmControllerHealth? {
        guard let data = FileManager.default.contents(atPath: url(runDirectory: runDirectory).path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(SlurmControllerHealth.self, from: data)
    }

    /// Replaces the file in one rename (a reader never sees half of it). Best effort: the record only feeds
    /// `status`, and a sweep must not stop because it could not be written.
    func write(runDirectory: URL) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let target = Self.url(runDirectory: runDirectory)
        guard let data = try? encoder.encode(self) else { return }
        try? FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: target, options: .atomic)
    }

    /// `controller not answering since 2026-12-07T11:52:03Z (last answered 11:51:40Z): …`, nil while it answers.
    var statusLine: String? {
        guard let since = notAnsweringSince else { return nil }
        var text = "controller not answering since \(Self.stamp(since))"
        if let lastAnswered { text += " (last answered \(Self.stamp(lastAnswered)))" }
        if let lastError { text += ": \(lastError)" }
        return text
    }

    static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
