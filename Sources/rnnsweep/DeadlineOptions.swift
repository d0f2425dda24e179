import ArgumentParser
import Foundation
import RNNSweep

/// `--until HH:MM` / `--budget 6h` of `run` and `plan`: when the run must end (``DeadlineSpec``). The command line
/// wins over the experiment file's `until:` / `budget:`.
struct DeadlineOptions: ParsableArguments {
    @Option(
        help: """
            End the run by this local time (HH:MM, the next such time; or YYYY-MM-DDTHH:MM): no trial starts that \
            cannot finish by then, and trials still running then are stopped and left interrupted.
            """)
    var until: String?
    @Option(help: "End the run after this long (e.g. 90s, 45m, 6h, 1h30m); as --until otherwise.")
    var budget: String?

    func validate() throws {
        if until != nil && budget != nil { throw ValidationError("give either --until or --budget, not both") }
        _ = try commandLine()
    }

    /// The command line's deadline, parsed.
    func commandLine() throws -> DeadlineSpec? {
        do throws(DeadlineSpec.ParseError) {
            if let until { return try DeadlineSpec.until(until) }
            if let budget { return try DeadlineSpec.budget(budget) }
        } catch {
            throw ValidationError("--\(until != nil ? "until" : "budget") \(error.message)")
        }
        return nil
    }

    /// The deadline of a run of `experiment`: the command line's, else the file's.
    func spec(file experiment: Experiment) throws -> DeadlineSpec? {
        try commandLine() ?? experiment.deadline
    }
}
