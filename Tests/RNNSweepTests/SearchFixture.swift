import Foundation
import RNNTraining

@testable import RNNSweep

/// A successive-halving sweep (rule: val_accuracy, min_epochs 1, reduction_factor 2; 4 epochs, so rungs at epochs
/// 1, 2 and 4) of 8 configurations × 2 seeds, written through the store API with values exact in binary:
///
/// | point | how it ends                                   | decided value        |
/// |-------|-----------------------------------------------|----------------------|
/// | 0     | completed; val accuracy 0.75 / 0.875 at epoch 4 | 0.8125 at epoch 4  |
/// | 1     | completed; 0.875 / 0.875 at epoch 4           | 0.875 at epoch 4     |
/// | 2     | stopped at rung 1 (epoch 1), rung mean 0.625  | 0.625, rung 1        |
/// | 3     | stopped at rung 2 (epoch 2), rung mean 0.75   | 0.75, rung 2         |
/// | 4     | stopped at rung 1, a seed diverged (NaN mean) | NaN, rung 1          |
/// | 5     | both seeds failed                             | none                 |
/// | 6     | completed; 0.8125 / 0.8125 at epoch 4, 0.9375 at epoch 3 | 0.8125 (last), 0.9375 at 3 (best) |
/// | 7     | pending                                       | none                 |
struct SearchFixture {
    static let rule = SuccessiveHalving(metric: MetricKey(.validation, .accuracy), minEpochs: 1, reductionFactor: 2)
    static let seeds = [1, 2]
    static func trialID(_ point: Int, _ seed: Int) -> String { storeHexID("search\(point)-seed\(seed)") }
    static func units(_ point: Int) -> Int { 8 * (point + 1) }

    let dir: StoreTemporaryDirectory
    let store: MetricsStore
    let sweep: SweepID

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("search.sqlite"))
        sweep = try store.registerSweep(
            name: "search", description: nil, experimentPath: "search.yaml",
            experimentJSON: #"""
                {"name":"search","early_stopping":{"metric":"val_accuracy","min_epochs":1,"reduction_factor":2}}
                """#,
            varyingKeys: ["units"])
        var trials: [NewTrial] = []
        for point in 0..<8 {
            for (index, seed) in Self.seeds.enumerated() {
                trials.append(
                    NewTrial(
                        id: Self.trialID(point, index), ordinal: trials.count, gridPoint: point, seed: seed,
                        paramsJSON: storeParamsJSON([
                            "units": Self.units(point), "epochs": 4, "seed": seed, "validation_split": 0.1,
                        ])))
            }
        }
        try store.registerTrials(sweep: sweep, trials: trials)

        // Completed configurations: (point, final val accuracy per seed, val accuracy at epoch 3 per seed).
        let completed: [(Int, [Double], [Double])] = [
            (0, [0.75, 0.875], [0.5, 0.5]), (1, [0.875, 0.875], [0.5, 0.5]), (6, [0.8125, 0.8125], [0.9375, 0.9375]),
        ]
        for (point, final, third) in completed {
            for index in Self.seeds.indices {
                try run(point, index, epochs: 4) { epoch in epoch == 4 ? final[index] : epoch == 3 ? third[index] : 0.5
                }
                try store.markCompleted(
                    sweep: sweep, trial: Self.trialID(point, index), testLoss: 0.25,
                    testAccuracy: final[index] - 0.0625, seconds: 1)
            }
        }
        // Stopped ones: (point, rung, epoch, rung mean).
        // (grid point, rung index as the store records it — 0 for the first rung —, epoch, mean).
        let stopped: [(Int, Int, Int, Double)] = [(2, 0, 1, 0.625), (3, 1, 2, 0.75), (4, 0, 1, .nan)]
        for (point, _, epoch, _) in stopped {
            for index in Self.seeds.indices { try run(point, index, epochs: epoch) { _ in 0.625 } }
        }
        try store.markFailed(
            sweep: sweep, trial: Self.trialID(4, 1), status: .diverged, exitStatus: 3, error: "loss is NaN")
        for index in Self.seeds.indices {
            try store.markStarted(sweep: sweep, trial: Self.trialID(5, index), pid: 1)
            try store.markFailed(sweep: sweep, trial: Self.trialID(5, index), status: .failed, error: "killed")
        }
        func decision(_ point: Int, rung: Int, epoch: Int, mean: Double, promoted: Bool) -> RungRow {
            RungRow(
                rule: Self.rule.signature, rung: rung, epoch: epoch, gridPoint: point, metricName: "val_accuracy",
                metric: mean, rank: 1, promoted: promoted)
        }
        try store.write(sweep: sweep) { tx in
            let stopping = stopped.flatMap { point, _, _, _ in
                Self.seeds.indices.map { Self.trialID(point, $0) }.filter { $0 != Self.trialID(4, 1) }
            }
            for id in stopping { try tx.markPaused(trial: id) }
            var rows = stopped.map { decision($0.0, rung: $0.1, epoch: $0.2, mean: $0.3, promoted: false) }
            rows += [0, 1, 3, 6].map { decision($0, rung: 0, epoch: 1, mean: 0.5, promoted: true) }
            rows += [0, 1, 6].map { decision($0, rung: 1, epoch: 2, mean: 0.5, promoted: true) }
            try tx.recordRung(rows, stopping: stopping)
        }
    }

    /// Starts a trial and records `epochs` epochs with validation accuracy `valAccuracy(epoch)`.
    private func run(_ point: Int, _ index: Int, epochs: Int, valAccuracy: (Int) -> Double) throws {
        let id = Self.trialID(point, index)
        try store.markStarted(sweep: sweep, trial: id, pid: 1)
        for epoch in 1...epochs {
            try store.recordEpoch(
                sweep: sweep, trial: id,
                EpochMetrics(
                    epoch: epoch, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: valAccuracy(epoch), seconds: 1))
        }
    }

    func source() throws -> ReportSource { try ReportSource.load(store: store, sweepName: "search") }

    func table(_ options: ReportOptions = ReportOptions()) throws -> ReportTable {
        try ReportBuilder(options: options).build(store: store, sweepName: "search")
    }
}
