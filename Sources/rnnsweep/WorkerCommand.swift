import ArgumentParser
import RNNSweep
import RNNTraining

/// Started by `rnnsweep run`, never by hand: trains one trial and streams JSON-line events — from a request on
/// stdin to stdout (local workers), or from `--request FILE` appended to `--events FILE` (Slurm array tasks).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Train one sweep trial (started by `rnnsweep run`).", shouldDisplay: false)

    @Option(help: "The request file (a scheduler's task); default: read the request from stdin.") var request: String?
    @Option(help: "Append events to this file (with --request).") var events: String?

    func validate() throws {
        if (request == nil) != (events == nil) { throw ValidationError("--request and --events go together") }
    }

    func run() throws {
        let status =
            if let request, let events {
                SweepWorker.main(requestFile: request, eventsFile: events, build: .current)
            } else {
                SweepWorker.main(build: .current) { FileHandleWriter.write($0 + "\n", fd: 1) }
            }
        if status != 0 { throw ExitCode(status) }
    }
}
