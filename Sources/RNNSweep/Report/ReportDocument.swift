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

    /// Renders the comparison table (or, with `curves`, the per-epoch long-format CSV).
    public static func render(
        store: MetricsStore, sweep: String, format: ReportFormat, options: ReportOptions, curves: Bool = false
    ) throws -> String {
        if curves {
            let source = try ReportSource.load(store: store, sweepName: sweep, filters: options.filters)
            return CurvesCSVRenderer().render(source, parameterKeys: options.rows)
        }
        let source = try ReportSource.load(store: store, sweepName: sweep, filters: options.filters)
        let table = try ReportBuilder(options: options).build(from: source)
        switch format {
        case .markdown: return MarkdownRenderer().render(table)
        case .csv: return CSVRenderer().render(table)
        case .json: return try JSONRenderer().render(table)
        case .html: return HTMLRenderer().render(table, source: source)
        }
    }
}
