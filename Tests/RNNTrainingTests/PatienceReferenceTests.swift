import Foundation
import Testing

@testable import RNNTraining

/// `PatienceRule` against Keras 3's real `EarlyStopping`, on the metric sequences of
/// Scripts/reference/early_stopping_reference.py (improving, plateau, noisy, min_delta edges, float32 ties, NaN,
/// a missing metric, both directions, start_from_epoch, with and without restore_best).
@Suite("Patience: Keras EarlyStopping reference")
struct PatienceReferenceTests {
    /// One metric value of a case: a number, NaN, or absent (not in the logs).
    enum Value: Decodable {
        case number(Double)
        case missing

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .missing
            } else if let text = try? c.decode(String.self), text == "NaN" {
                self = .number(.nan)
            } else {
                self = .number(try c.decode(Double.self))
            }
        }

        var value: Double? { if case .number(let x) = self { x } else { nil } }
    }

    struct Case: Decodable, CustomTestStringConvertible {
        var name: String
        var metric: String
        var patience: Int
        var min_delta: Double
        var restore_best: Bool
        var start_from_epoch: Int
        var values: [Value]
        var epochs_run: Int
        var stopped_epoch: Int
        var best_epoch: Int
        var weights_epoch: Int
        var testDescription: String { name }
    }

    struct Document: Decodable {
        var source: String
        var cases: [Case]
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(
            forResource: "early_stopping_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Document.self, from: Data(contentsOf: url)).cases
    }()

    /// Runs the rule as the trainer does: one epoch at a time until it says stop, keeping "weights" (here the epoch
    /// number) when it says so, and ending with the kept ones when it restores.
    @Test(arguments: cases) func matchesKeras(_ reference: Case) throws {
        let rule = PatienceRule(
            metric: try #require(MetricKey(name: reference.metric)), patience: reference.patience,
            minDelta: reference.min_delta, restoreBest: reference.restore_best,
            startFromEpoch: reference.start_from_epoch)
        var state = PatienceRule.State()
        var kept: Int?
        var epochs = 0
        for (index, value) in reference.values.enumerated() {
            let epoch = index + 1
            epochs = epoch
            let step = rule.observe(value.value, epoch: epoch, state: &state)
            if step.keepWeights { kept = epoch }
            if step.stop { break }
        }
        let weights = rule.restores(state) ? try #require(kept) : epochs
        #expect(epochs == reference.epochs_run)
        #expect(state.stoppedEpoch == reference.stopped_epoch)
        #expect(state.bestEpoch == reference.best_epoch)
        #expect(weights == reference.weights_epoch)
    }

    /// The fixture holds the cases that tell a faithful rule from a plausible one.
    @Test func theFixtureCoversTheEdgeCases() {
        let names = Set(Self.cases.map(\.name))
        for name in ["plateau", "float32 comparison", "nan first", "min_delta exact edge", "runs to the end"] {
            #expect(names.contains(name))
        }
        #expect(Self.cases.contains { $0.stopped_epoch == 0 && $0.weights_epoch < $0.epochs_run })
    }
}
