import ArgumentParser
import Foundation

/// `--db PATH`, shared by the commands that read or write the results database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "The results database.") var path = "Results/rnnsweep.sqlite"

    var url: URL { URL(fileURLWithPath: path) }
}
