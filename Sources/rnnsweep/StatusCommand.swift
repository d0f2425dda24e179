import ArgumentParser
import Foundation
import RNNSweep

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Counts by status and each trial's last epoch and accuracy.")

    @Argument(help: "The sweep (default: the only sweep in the database).") var sweep: String?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Also the trials an edited experiment file no longer has (superseded), marked as such.")
    var allTrials = false

    func run() throws {
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        let name = try CLIError.runtime { try ReportDocument.sweepName(sweep, store: store) }
        Output.print(
            try CLIError.runtime { try SweepStatus.render(store: store, sweep: name, allTrials: allTrials) },
            terminator: "")
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "The sweeps in the database.")

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        Output.print(try CLIError.runtime { try SweepStatus.list(store: store) }, terminator: "")
    }
}
