import Foundation
import RNNTraining

extension ReportDocument {
    /// `report --searches LABEL=SWEEP[,SWEEP…] … [--metric M] [--top-k K]` rendered in `format`
    /// (``SearchComparison``); `databaseName` is the file's name as captions show it.
    public static func searchComparison(
        store: MetricsStore, databaseName: String, methods: [ComparedMethod], metric: MetricKey?, topK: Int,
        format: ReportFormat
    ) throws -> String {
        let comparison = try SearchComparison(
            methods: methods, store: store, databaseName: databaseName, metric: metric, topK: topK)
        switch format {
        case .markdown: return SearchComparisonMarkdown().render(comparison)
        case .csv: return SearchComparisonCSV().render(comparison)
        case .json: return try SearchComparisonJSON().render(comparison)
        case .html: return SearchComparisonHTML().render(comparison)
        }
    }
}
