import Foundation

/// How much memory one trial may need: `--memory` (`8G`, `512M`, `2T`, bytes), the executor's memory per trial, or
/// this machine's physical memory (`MemTotal` in /proc/meminfo). A trial whose ``MemoryEstimate`` exceeds it is not calibrated by `plan`, and
/// `run` refuses it.
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Double
    /// Where the figure comes from, for messages: `--memory 8G` or `this machine's memory`.
    public var source: String

    public init(bytes: Double, source: String) {
        self.bytes = bytes
        self.source = source
    }

    public var description: String { "\(MemoryEstimate.format(bytes)), \(source)" }

    /// `--memory VALUE`: a number with an optional K, M, G or T suffix (powers of 1024), e.g. `8G`.
    public static func parse(_ text: String) -> MemoryLimit? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let factors: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var digits = Substring(trimmed)
        var factor = 1.0
        if let last = trimmed.last?.uppercased().first, let f = factors[last] {
            factor = f
            digits = digits.dropLast()
        }
        if digits.uppercased().hasSuffix("I") || digits.uppercased().hasSuffix("B") { return nil }
        guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
        return MemoryLimit(bytes: value * factor, source: "--memory \(trimmed)")
    }

    /// What a `run` holds its trials to: `--memory`, else where they run (``ExecutorChoice/trialMemory``: nil when
    /// the executor cannot tell, and then nothing is refused).
    public static func forRun(_ explicit: MemoryLimit?, executor: ExecutorChoice) -> MemoryLimit? {
        explicit ?? executor.trialMemory
    }

    /// The machine's physical memory, or nil when /proc/meminfo cannot tell.
    public static func machine() -> MemoryLimit? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Double(fields[1]) else { return nil }
            return MemoryLimit(bytes: kilobytes * 1024, source: "this machine's memory")
        }
        return nil
    }
}
