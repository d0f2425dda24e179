import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// `search: {method: tpe, batch, startup}`: parsed with positions, random search unchanged.
@Suite struct TPEExperimentFileTests {
    static let space = "  space:\n    learning_rate: {log_uniform: [0.001, 0.1]}\n    dropout: {uniform: [0.0, 0.5]}\n"

    static func parse(_ search: String) throws -> Experiment {
        try ExperimentFile.parse(
            yaml: "name: x\ndataset: sum-sign\nsearch:\n  samples: 12\n  seed: 3\n" + search + space
                + "validation_split: 0.2\n", path: "t.yaml")
    }

    static func message(_ search: String) -> String? {
        do {
            _ = try parse(search)
            return nil
        } catch let error as ExperimentError {
            return "\(error.position.line):\(error.position.column): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func randomIsTheDefaultAndItsTrialsAndStoredDefinitionAreUnchanged() throws {
        let implicit = try Self.parse("")
        let explicit = try Self.parse("  method: random\n")
        #expect(implicit.search?.method == .random && explicit.search?.method == .random)
        #expect(implicit.resolvedContent == explicit.resolvedContent)
        #expect(!implicit.resolvedContent.contains("method"))
        let sweep = try GridExpander.expand(implicit)
        #expect(sweep.trials.count == 12)
        #expect(try GridExpander.expand(explicit).trials == sweep.trials)
    }

    @Test func tpeDefaultsToTenStartupSamplesAndBatchOne() throws {
        let experiment = try Self.parse("  method: tpe\n")
        #expect(experiment.search?.method == .tpe(batch: 1, startup: 10))
        #expect(experiment.resolvedContent.contains(#""batch":1,"method":"tpe","#))
        // Only the start-up samples are known before the run: random search's first ten.
        let tpe = try GridExpander.expand(experiment)
        let random = try GridExpander.expand(try Self.parse(""))
        #expect(tpe.trials == Array(random.trials.prefix(10)))
        #expect(
            experiment.search?.method.planSummary(samples: 12)
                == "search: tpe, 12 configurations: the 10 random start-up samples planned above; 2 more proposed "
                + "while the sweep runs, 1 per generation from the results of the earlier generations")
    }

    @Test func batchAndStartupAreRead() throws {
        let experiment = try Self.parse("  method: tpe\n  batch: 4\n  startup: 6\n")
        #expect(experiment.search?.method == .tpe(batch: 4, startup: 6))
        #expect(try GridExpander.expand(experiment).trials.count == 6)
    }

    @Test func mistakesAreReportedWithTheirPosition() {
        #expect(
            Self.message("  method: tpee\n") == "6:11: search: method: 'tpee' is not random or tpe; did you mean 'tpe'?"
        )
        #expect(
            Self.message("  batch: 4\n")
                == "6:3: search: batch: only with 'method: tpe' (random search draws every sample before the run)")
        #expect(
            Self.message("  method: random\n  startup: 3\n")
                == "7:3: search: startup: only with 'method: tpe' (random search draws every sample before the run)")
        #expect(Self.message("  method: tpe\n  batch: 0\n") == "7:10: search: batch: expected a count ≥ 1")
        #expect(Self.message("  method: tpe\n  startup: -1\n") == "7:12: search: startup: expected a count ≥ 1")
        #expect(
            Self.message("  methd: tpe\n")
                == "6:3: search: unknown key 'methd'; did you mean 'method'? (allowed: samples, seed, space, method, "
                + "batch, startup, warm_start)")
    }
}
