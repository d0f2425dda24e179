import ArgumentParser
import Foundation
import RNNSweep

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the sweeps of several databases (e.g. shards run on different machines) into one.",
        discussion: """
            Trials are matched by id; a completed trial replaces an unfinished one; two completed trials with \
            different metrics are a conflict, reported and never overwritten (exit status 1). The sources are only \
            read. A sweep that the target (or an earlier source) has under the same name from a different \
            experiment is refused, naming the differences, and nothing is written; --rename NEW merges that one \
            sweep as NEW instead. Everything is merged in one transaction: all of it, or nothing.
            """)

    @Argument(help: "The databases to merge.") var sources: [String]
    @Option(help: "The database to merge into (created when missing).") var into: String
    @Option(help: "Merge the one sweep that differs from the target's of the same name under this name.")
    var rename: String?

    func validate() throws {
        if sources.isEmpty { throw ValidationError("name at least one database to merge") }
        if let rename, let problem = SweepName.problem(rename) { throw ValidationError("--rename: \(problem)") }
    }

    func run() throws {
        let report = try CLIError.runtime {
            try DatabaseMerge.merge(
                sources: sources.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: into), rename: rename)
        }
        Output.print("\(report)")
        if !report.conflicts.isEmpty { throw ExitCode(1) }
    }
}
