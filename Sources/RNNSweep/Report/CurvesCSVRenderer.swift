import RNNTraining

/// Renders learning curves as long-format RFC 4180 CSV, one record per trial × epoch × metric:
/// `sweep,trial,<parameter keys...>,seed,epoch,metric,value`. Metrics are the recorded names (``MetricKey/recordName``:
/// `loss`, `val_mae`, …), each only when recorded; values are raw (`nan`/`inf` for non-finite). Trials of every status are included — the curve of a diverged run is often
/// the interesting one.
public struct CurvesCSVRenderer: Sendable {
    public init() {}

    /// `parameterKeys` defaults to the sweep's varying keys (`seed` always has its own column).
    public func render(_ source: ReportSource, parameterKeys: [String]? = nil) -> String {
        let keys = (parameterKeys ?? source.sweep.varyingKeys).filter { $0 != "seed" }
        var text = CSVFormat.record(["sweep", "trial"] + keys + ["seed", "epoch", "metric", "value"])
        for trial in source.trials {
            let prefix = [source.sweep.name, trial.row.id] + keys.map { trial.value(for: $0)?.description ?? "" }
            for record in trial.epochs {
                for key in record.keys {
                    text += CSVFormat.record(
                        prefix + [
                            String(trial.row.seed), String(record.epoch), key.recordName,
                            record.value(key)!.description,
                        ])
                }
            }
        }
        return text
    }
}
