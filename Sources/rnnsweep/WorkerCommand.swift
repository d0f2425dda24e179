import ArgumentParser
import RNNSweep

/// Started by `rnnsweep run`, never by hand: reads a trial request on stdin and streams JSON-line events.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Train one sweep trial (started by `rnnsweep run`).", shouldDisplay: false)

    func run() throws {
        let status = SweepWorker.main { FileHandleWriter.write($0 + "\n", fd: 1) }
        if status != 0 { throw ExitCode(status) }
    }
}
