import Foundation
import RNNTraining

@testable import RNNSweep

/// Sweeps of one small search space (units 8, 16, 32; 3 epochs) in one temporary store, with validation accuracies
/// exact in binary and epochs recorded in a chosen order, for the search comparison's hand-computed tests.
///
/// - `grid`: every configuration × 2 seeds to the end; each configuration's two seeds interleaved, one
///   configuration after the other.
/// - `h1`, `h2` (one seed each): halving-like; two configurations stopped after epoch 1, one completed. In `h1`
///   the best value belongs to a stopped configuration, so its winner is the best completed one.
struct SearchComparisonFixture {
    /// One configuration: its units, each seed's val accuracy per epoch, how each seed ends and its test accuracy.
    struct Configuration {
        var units: Int
        var seeds: [[Double]]
        var status: TrialStatus
        var test: [Double]
    }

    /// One epoch row to record: configuration, seed index, epoch.
    typealias Record = (configuration: Int, seed: Int, epoch: Int)

    let dir: StoreTemporaryDirectory
    let store: MetricsStore

    init() throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("searches.sqlite"))
        try addSweep(
            "grid",
            configurations: [
                Configuration(
                    units: 8, seeds: [[0.5, 0.625, 0.75], [0.5, 0.75, 0.75]], status: .completed,
                    test: [0.6875, 0.6875]),
                Configuration(
                    units: 16, seeds: [[0.75, 0.75, 0.8125], [0.625, 0.75, 0.8125]], status: .completed,
                    test: [0.75, 0.75]),
                Configuration(
                    units: 32, seeds: [[0.25, 0.5, 0.875], [0.25, 0.5, 0.875]], status: .completed, test: [0.75, 0.875]),
            ],
            order: [
                (0, 0, 1), (0, 0, 2), (0, 1, 1), (0, 0, 3), (0, 1, 2), (0, 1, 3),
                (1, 0, 1), (1, 1, 1), (1, 0, 2), (1, 1, 2), (1, 0, 3), (1, 1, 3),
                (2, 0, 1), (2, 1, 1), (2, 0, 2), (2, 1, 2), (2, 0, 3), (2, 1, 3),
            ])
        try addSweep(
            "h1",
            configurations: [
                Configuration(units: 8, seeds: [[0.5]], status: .stopped, test: []),
                Configuration(units: 16, seeds: [[0.875]], status: .stopped, test: []),
                Configuration(units: 32, seeds: [[0.625, 0.6875, 0.8125]], status: .completed, test: [0.8]),
            ],
            order: [(0, 0, 1), (1, 0, 1), (2, 0, 1), (2, 0, 2), (2, 0, 3)])
        try addSweep(
            "h2",
            configurations: [
                Configuration(units: 8, seeds: [[0.625, 0.75, 0.75]], status: .completed, test: [0.7]),
                Configuration(units: 16, seeds: [[0.25]], status: .stopped, test: []),
                Configuration(units: 32, seeds: [[0.5]], status: .stopped, test: []),
            ],
            order: [(2, 0, 1), (0, 0, 1), (1, 0, 1), (0, 0, 2), (0, 0, 3)])
    }

    static func trialID(_ sweep: String, _ configuration: Int, _ seed: Int) -> String {
        storeHexID("\(sweep)-\(configuration)-\(seed)")
    }

    /// Registers sweep `name`, records its epochs in `order`, then ends each trial as its configuration says.
    func addSweep(_ name: String, configurations: [Configuration], order: [Record], epochs: Int = 3) throws {
        let sweep = try store.registerSweep(
            name: name, description: nil, experimentPath: "\(name).yaml", experimentJSON: #"{"name":"x"}"#,
            varyingKeys: ["units"])
        var trials: [NewTrial] = []
        for (index, configuration) in configurations.enumerated() {
            for seed in configuration.seeds.indices {
                trials.append(
                    NewTrial(
                        id: Self.trialID(name, index, seed), ordinal: trials.count, gridPoint: index, seed: seed + 1,
                        paramsJSON: storeParamsJSON([
                            "units": configuration.units, "epochs": epochs, "seed": seed + 1, "dataset": "adding",
                        ])))
            }
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        for trial in trials { try store.markStarted(sweep: sweep, trial: trial.id, pid: 1) }
        for record in order {
            let value = configurations[record.configuration].seeds[record.seed][record.epoch - 1]
            try store.recordEpoch(
                sweep: sweep, trial: Self.trialID(name, record.configuration, record.seed),
                EpochMetrics(
                    epoch: record.epoch, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: value, seconds: 1))
        }
        for (index, configuration) in configurations.enumerated() {
            for seed in configuration.seeds.indices {
                let id = Self.trialID(name, index, seed)
                switch configuration.status {
                case .completed:
                    try store.markCompleted(
                        sweep: sweep, trial: id, testLoss: 0.5, testAccuracy: configuration.test[seed], seconds: 1)
                case .stopped:
                    try store.write(sweep: sweep) { tx in
                        try tx.markPaused(trial: id)
                        try tx.recordRung([], stopping: [id])
                    }
                default:
                    try store.markFailed(sweep: sweep, trial: id, status: configuration.status, error: "failed")
                }
            }
        }
    }

    /// grid, then halving = h1, h2.
    static let methods = [
        ComparedMethod(label: "grid", sweeps: ["grid"]), ComparedMethod(label: "halving", sweeps: ["h1", "h2"]),
    ]

    func comparison(topK: Int = 2) throws -> SearchComparison {
        try SearchComparison(
            methods: Self.methods, store: store, databaseName: "searches.sqlite", topK: topK)
    }
}
