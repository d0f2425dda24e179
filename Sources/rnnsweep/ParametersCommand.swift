import ArgumentParser
import RNNTraining

struct ParametersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parameters",
        abstract: "List every training parameter: its default, allowed values and the networks it applies to.")

    @Flag(help: "The Markdown table of the README.") var markdown = false

    func run() throws {
        if markdown {
            Output.print(ParameterSchema.markdownTable(), terminator: "")
        } else {
            Output.print(ParameterArguments.help(groups: ParameterGroup.allCases))
        }
    }
}
