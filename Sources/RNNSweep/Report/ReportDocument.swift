import Foundation

/// The output formats of `rnnsweep report`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown, csv, json, html
}

/// One call from the CLI to a finished report: picks the sweep, builds the table, renders it.
public enum ReportDocument {
    /// The sweep to report: the named one, or the only one in the database.
    public static func sweepName(_ requested: String?, store: MetricsStore) throws -> String {
        if let requested { return requested }
        let names = try store.sweeps().map(\.name)
        if names.count == 1 { return names[0] }
        throw ReportError.unknownSweep(
            names.isEmpty ? "(none given)" : "(none given; name one)", available: names)
    }

    /// A rendered report and the warnings about where its results come from (``ReportTable/warnings``: data and
    /// machines), which Markdown and HTML carry in the text and CSV and JSON cannot: the CLI prints them on stderr.
    public struct Rendered: Sendable {
        public var text: String
        public var warnings: [String]
    }

    /// Renders the comparison table (or, with `curves`, the per-epoch long-format CSV).
    public static func render(
        store: MetricsStore, sweep: String, format: ReportFormat, options: ReportOptions, curves: Bool = false
    ) throws -> String {
        try document(store: store, sweep: sweep, format: format, options: options, curves: curves).text
    }

    /// ``render(store:sweep:format:options:curves:)`` with the warnings.
    public static func document(
        store: MetricsStore, sweep: String, format: ReportFormat, options: ReportOptions, curves: Bool = false
    ) throws -> Rendered {
        let source = try ReportSource.load(
            store: store, sweepName: sweep, filters: options.filters, allTrials: options.allTrials)
        if curves {
            let warnings = MachineSummary(trials: source.trials.map(\.row)).warnings(
                rowKeys: options.rows ?? source.sweep.varyingKeys)
            return Rendered(
                text: CurvesCSVRenderer().render(source, parameterKeys: options.rows),
                warnings: source.data.lines + warnings)
        }
        let table = try ReportBuilder(options: options).build(from: source)
        let text: String
        switch format {
        case .markdown: text = MarkdownRenderer().render(table)
        case .csv: text = CSVRenderer().render(table)
        case .json: text = try JSONRenderer().render(table)
        case .html: text = HTMLRenderer().render(table, source: source)
        }
        return Rendered(text: text, warnings: table.warnings)
    }
}
