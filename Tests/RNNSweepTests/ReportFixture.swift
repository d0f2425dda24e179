import Foundation
import RNNTraining

@testable import RNNSweep

/// A 2×2 grid (units 128/256 × optimizer sgd/adam, dropout 0.2 everywhere) × 3 seeds with hand-picked numbers,
/// written through the store API. Epoch 3 is the last; validation accuracy peaks at epoch 2.
struct ReportFixture {
    static let grid: [(units: Int, optimizer: String)] = [(128, "sgd"), (128, "adam"), (256, "sgd"), (256, "adam")]
    static let seeds = [1, 2, 3]
    /// Training accuracy at the last epoch, [grid point][seed index].
    static let lastTrain: [[Double]] = [
        [0.81, 0.83, 0.82], [0.91, 0.93, 0.95], [0.85, 0.84, 0.86], [0.97, 0.96, 0.98],
    ]
    static let test: [[Double]] = [
        [0.80, 0.82, 0.81], [0.90, 0.92, 0.91], [0.84, 0.83, 0.85], [0.95, 0.96, 0.94],
    ]

    /// Training accuracy of an epoch: 0.1 per epoch below the last one.
    static func train(_ point: Int, _ seed: Int, epoch: Int) -> Double {
        lastTrain[point][seed] - 0.1 * Double(3 - epoch)
    }

    static func valAccuracy(_ point: Int, _ seed: Int, epoch: Int) -> Double {
        test[point][seed] + (epoch == 2 ? 0.01 : -0.01 * Double(epoch))
    }

    static func trialID(_ point: Int, _ seed: Int) -> String { storeHexID("grid\(point)-seed\(seed)") }

    let dir: StoreTemporaryDirectory
    let store: MetricsStore
    let sweep: SweepID

    /// `finish(point, seedIndex)` decides how each trial ends; all complete by default.
    init(finish: (Int, Int) -> TrialStatus = { _, _ in .completed }) throws {
        dir = try StoreTemporaryDirectory()
        store = try MetricsStore.create(at: dir.file("metrics.sqlite"))
        sweep = try store.registerSweep(
            name: "book", description: "Table 1.5.1", experimentPath: "book.yaml",
            experimentJSON: #"{"name":"book","dataset":"mnist"}"#, varyingKeys: ["units", "optimizer"])
        var trials: [NewTrial] = []
        for (point, cell) in Self.grid.enumerated() {
            for (index, seed) in Self.seeds.enumerated() {
                let params: [String: Any] = [
                    "cell": "lstm", "units": cell.units, "optimizer": cell.optimizer, "dropout": 0.2,
                    "epochs": 3, "seed": seed, "batch_size": 128, "dataset": "mnist",
                ]
                trials.append(
                    NewTrial(
                        id: Self.trialID(point, index), ordinal: trials.count, gridPoint: point, seed: seed,
                        paramsJSON: storeParamsJSON(params)))
            }
        }
        try store.registerTrials(sweep: sweep, trials: trials)
        for point in Self.grid.indices {
            for index in Self.seeds.indices {
                try record(point, index, status: finish(point, index))
            }
        }
    }

    private func record(_ point: Int, _ index: Int, status: TrialStatus) throws {
        let id = Self.trialID(point, index)
        if status == .pending { return }
        try store.markStarted(sweep: sweep, trial: id, pid: 1000)
        for epoch in 1...3 {
            try store.recordEpoch(
                sweep: sweep, trial: id,
                EpochMetrics(
                    epoch: epoch, loss: 1.0 / Double(epoch + point), accuracy: Self.train(point, index, epoch: epoch),
                    valLoss: nil, valAccuracy: Self.valAccuracy(point, index, epoch: epoch), seconds: 2))
        }
        switch status {
        case .completed:
            try store.markCompleted(
                sweep: sweep, trial: id, testLoss: 0.3, testAccuracy: Self.test[point][index], seconds: 6.5)
        case .failed:
            try store.markFailed(sweep: sweep, trial: id, status: .failed, signal: 9, error: "killed by signal 9")
        case .diverged:
            try store.markFailed(sweep: sweep, trial: id, status: .diverged, exitStatus: 3, error: "loss is NaN")
        case .interrupted:
            try store.markInterrupted(sweep: sweep, trial: id, signal: 2)
        case .paused:
            try store.write(sweep: sweep) { try $0.markPaused(trial: id) }
        case .stopped:
            try store.write(sweep: sweep) { tx in
                try tx.markPaused(trial: id)
                try tx.recordRung([], stopping: [id])
            }
        case .running, .pending:
            break
        }
    }

    func table(_ options: ReportOptions = ReportOptions()) throws -> ReportTable {
        try ReportBuilder(options: options).build(store: store, sweepName: "book")
    }
}

/// A small RFC 4180 parser, independent of the renderer's code.
func parseReportCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let char = chars.popFirst() {
        if quoted {
            if char == "\"" {
                if chars.first == "\"" {
                    field.append("\"")
                    chars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.append(char)
            }
        } else if char == "\"" {
            quoted = true
        } else if char == "," {
            record.append(field)
            field = ""
        } else if char == "\r\n" || char == "\n" {
            record.append(field)
            records.append(record)
            record = []
            field = ""
        } else {
            field.append(char)
        }
    }
    if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
    return records
}
