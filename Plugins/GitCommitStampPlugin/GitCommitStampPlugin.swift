import Foundation
import PackagePlugin

/// Generates `GitCommit.swift` (the commit the binary is built from) for the target that uses it, by running the
/// `GitCommitStamp` tool as a build command.
///
/// A build command runs only when one of its declared inputs changed, so a build with nothing new costs no git call
/// and recompiles nothing. The inputs are what moves the commit or the dirty flag: the git files that name HEAD
/// (``GitMetadata``) and every source file of the package (an edit can make the tree dirty). An edit to a file no
/// target holds (README) is seen at the next change of those. The tool rewrites its output only when the text
/// changes, so a re-run with the same result recompiles nothing either.
@main
struct GitCommitStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("GitCommit.swift")
        let sources = context.package.sourceModules.flatMap { module in module.sourceFiles.map(\.url) }
        let inputs =
            GitMetadata.watchedFiles(package: package) + [package.appendingPathComponent("Package.swift")] + sources
        return [
            .buildCommand(
                displayName: "Stamping the git commit into \(target.name)",
                executable: try context.tool(named: "GitCommitStamp").url,
                arguments: [package.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
