import Foundation
import RNNSweep
import Testing

/// Hostile experiment files (`Fixtures/fuzz/experiment/`: `crash-*` from `Scripts/fuzz.sh experiment`, none so far,
/// and `hostile-*` probes of the YAML reader that never trapped: alias expansion, deep nesting) must give a typed `ExperimentError`
/// naming the file, as `FuzzExperiment` feeds them.
@Suite struct ExperimentFuzzRegressionTests {
    @Test func everyFixtureIsATypedError() throws {
        let directory = try #require(
            Bundle.module.url(forResource: "fuzz/experiment", withExtension: nil, subdirectory: "Fixtures"))
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        #expect(files.count >= 3)
        for file in files {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            let error = #expect(throws: ExperimentError.self, "\(file.lastPathComponent)") {
                try ExperimentFile.parse(yaml: text, path: file.path, maxTrials: 64)
            }
            #expect(error?.description.hasPrefix(file.path + ":") == true, "\(String(describing: error))")
        }
    }
}
