import ArgumentParser
import Foundation
import RNNSweep
import RNNTraining

extension ReportFormat: ExpressibleByArgument {}
extension ReportOptions.EpochChoice: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Comparison table of a sweep as Markdown, CSV, JSON or an HTML page with charts (like Table 1.5.1).")

    @Argument(help: "The sweep (default: the only sweep in the database).") var sweep: String?
    @OptionGroup var database: DatabaseOption
    @Option(help: "markdown, csv, json or html (one self-contained page: table, learning curves, provenance).")
    var format: ReportFormat = .markdown
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @Option(
        help: """
            Parameter columns, comma-separated (default: the parameters that vary, and data when the data changed \
            between runs); cpu, build, threads or host split rows by where their trials ran, data by data version.
            """)
    var rows: String?
    @Option(
        help: """
            Metric columns, comma-separated (default: the training and test values of the task's headline metric, \
            accuracy or mae): \(ReportMetric.allCases.map(\.rawValue).joined(separator: ", ")).
            """)
    var metrics: String?
    @Option(
        help: """
            last, or best (each trial's epoch with the best \(MetricKey.valAccuracy.recordName), else \
            \(MetricKey.accuracy.recordName)); test metrics are always \
            from the last epoch (the test set is measured once, after training).
            """)
    var epoch: ReportOptions.EpochChoice = .last
    @Option(help: "Sort rows by this metric.") var sort: String?
    @Option(name: .customLong("where"), help: "Only trials with this parameter value (key=value; repeatable).")
    var filters: [String] = []
    @Flag(help: "Per-epoch metrics in long CSV format (sweep, trial, parameters, seed, epoch, metric, value).")
    var curves = false
    @Option(
        help: """
            Mark the Pareto-optimal rows on these metrics, comma-separated, each with a direction \
            (e.g. test_accuracy,seconds,params); they are shown as columns too.
            """)
    var objectives: String?
    @Flag(help: "Also the trials an edited experiment file no longer has (superseded), in rows marked as such.")
    var allTrials = false
    @Option(help: "Compare the sweep with this one (rows matched by parameters; Welch intervals of A − B).")
    var compare: String?
    @Option(help: "The database of the --compare sweep (alone: its sweep of the same name, or its only sweep).")
    var compareDb: String?
    @Option(
        help: """
            Compare search methods instead: LABEL=SWEEP[,SWEEP…], one sweep per sampler seed (repeatable), e.g. \
            --searches 'grid=g' --searches 'random=r1,r2,r3'.
            """)
    var searches: [String] = []
    @Option(
        help: ArgumentHelp(
            "With --searches: the validation metric compared (default: the task's, "
                + Task.allCases.map { MetricKey(.validation, $0.primaryMetric).recordName }.joined(separator: " or ")
                + ")."))
    var metric: String?
    @Option(help: "With --searches: the K of the top-K-after-one-epoch baseline.") var topK = 3

    func validate() throws {
        try validateSearches()
        if compare != nil || compareDb != nil, objectives != nil || curves {
            throw ValidationError(
                "--compare and --compare-db show a comparison; --objectives and --curves do not apply")
        }
    }

    func run() throws {
        var options = try CLIError.wrap {
            ReportOptions(
                rows: rows.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                // Without --metrics, each task's headline metric (accuracy, or MAE for regression).
                metrics: try metrics.map { try $0.split(separator: ",").map { try ReportMetric.parse(String($0)) } },
                epoch: epoch, sort: try sort.map { try ReportMetric.parse($0) },
                filters: try filters.map { try ReportFilter.parse($0) })
        }
        options.allTrials = allTrials
        options.objectives = try CLIError.wrap {
            try objectives.map { try $0.split(separator: ",").map { try ReportMetric.parse(String($0)) } }
        }
        let store = try CLIError.runtime { try MetricsStore.openExisting(at: database.url) }
        if !searches.isEmpty {
            try compareSearches(store: store)
            return
        }
        let name = try CLIError.runtime { try ReportDocument.sweepName(sweep, store: store) }
        if compare != nil || compareDb != nil {
            try compareSweeps(store: store, sweep: name, options: options)
            return
        }
        let document = try CLIError.runtime {
            try ReportDocument.document(
                store: store, sweep: name, format: curves ? .csv : format, options: options, curves: curves)
        }
        let text = document.text
        Self.warn(document, format: curves ? .csv : format)
        if let output {
            try CLIError.runtime { try Self.save(text, to: output) }
        } else {
            // CSV records end with "\r\n", a single Character that `hasSuffix("\n")` does not match.
            Output.print(text, terminator: text.unicodeScalars.last == "\n" ? "" : "\n")
        }
    }

    /// `--compare`/`--compare-db`: the two sweeps' comparison instead of the report.
    private func compareSweeps(store: MetricsStore, sweep: String, options: ReportOptions) throws {
        let other = try compareDb.map { path in
            try CLIError.runtime { try MetricsStore.openExisting(at: URL(fileURLWithPath: path)) }
        }
        let text = try CLIError.runtime {
            try ReportDocument.comparison(
                store: store, sweep: sweep, databaseName: database.url.lastPathComponent,
                with: ReportDocument.ComparisonTarget(
                    sweep: compare, store: other,
                    databaseName: compareDb.map { URL(fileURLWithPath: $0).lastPathComponent }),
                format: format, options: options)
        }
        if let output {
            try CLIError.runtime { try Self.save(text, to: output) }
        } else {
            Output.print(text, terminator: text.unicodeScalars.last == "\n" ? "" : "\n")
        }
    }

    /// Used by `run --report` as well.
    static func write(sweep: String, database: URL, to path: String, format: ReportFormat, options: ReportOptions)
        throws
    {
        let store = try MetricsStore.openExisting(at: database)
        let document = try ReportDocument.document(store: store, sweep: sweep, format: format, options: options)
        warn(document, format: format)
        try save(document.text, to: path)
    }

    /// CSV and JSON have no place for prose: their warnings go to stderr (Markdown and HTML carry them).
    static func warn(_ document: ReportDocument.Rendered, format: ReportFormat) {
        guard format == .csv || format == .json else { return }
        for warning in document.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }

    static func save(_ text: String, to path: String) throws {
        try Output.save(text, to: path)
    }
}
