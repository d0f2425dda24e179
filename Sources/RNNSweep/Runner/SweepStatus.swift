import Foundation

/// Plain-text views of the database for `rnnsweep status` and `rnnsweep ls` (read-only).
public enum SweepStatus {
    /// Counts by status, then one line per trial: ordinal, id, status, varying parameters, last epoch, accuracies.
    public static func render(store: MetricsStore, sweep name: String) throws -> String {
        guard let sweep = try store.sweep(named: name) else {
            throw ReportError.unknownSweep(name, available: try store.sweeps().map(\.name))
        }
        let counts = try store.statusCounts(sweep: sweep.id)
        let trials = try store.trials(sweep: sweep.id)
        let epochs = try store.epochsByTrial(sweep: sweep.id)
        var out = "sweep \(sweep.name): \(trials.count) trials — "
        out += TrialStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
        out += "\n"
        var rows: [[String]] = [
            ["#", "trial", "status"] + sweep.varyingKeys + [
                "seed", "epoch", "accuracy", "val_accuracy", "test_accuracy",
            ]
        ]
        for t in trials {
            let params = (try? TrialParameters.decode(t.paramsJSON)) ?? [:]
            let last = epochs[t.id]?.last
            rows.append(
                [String(t.ordinal), t.id, t.status.rawValue] + sweep.varyingKeys.map { params[$0]?.description ?? "-" }
                    + [
                        String(t.seed), last.map { String($0.epoch) } ?? "-", percent(last?.accuracy),
                        percent(last?.valAccuracy), percent(t.testAccuracy),
                    ])
        }
        out += align(rows)
        let failures = trials.filter { $0.status == .failed || $0.status == .diverged }
        for t in failures { out += "#\(t.ordinal) \(t.id) \(t.status.rawValue): \(t.error ?? "no message")\n" }
        return out
    }

    /// One line per sweep: name, trial counts by status, last update.
    public static func list(store: MetricsStore) throws -> String {
        var rows: [[String]] = [["sweep", "trials", "completed", "running", "failed", "other", "updated"]]
        for sweep in try store.sweeps() {
            let c = try store.statusCounts(sweep: sweep.id)
            let total = c.values.reduce(0, +)
            let other = total - (c[.completed] ?? 0) - (c[.running] ?? 0) - (c[.failed] ?? 0)
            rows.append([
                sweep.name, String(total), String(c[.completed] ?? 0), String(c[.running] ?? 0),
                String(c[.failed] ?? 0), String(other), sweep.updatedAt,
            ])
        }
        return rows.count == 1 ? "no sweeps in \(store.url.path)\n" : align(rows)
    }

    static func percent(_ x: Double?) -> String {
        guard let x else { return "-" }
        return x.isFinite ? String(format: "%.2f%%", 100 * x) : "\(x)"
    }

    static func align(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
