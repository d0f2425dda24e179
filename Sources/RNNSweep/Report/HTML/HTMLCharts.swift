import Foundation
import RNNTraining

/// The report's charts: one small multiple of learning curves per row (a loss panel and a panel of the task's
/// headline metric — accuracy, or MAE — on scales shared by every row so that the charts compare), and that metric's
/// final test value per row with error bars.
struct HTMLCharts {
    let table: ReportTable
    let curves: [LearningCurves]
    let labels: [String]

    /// SVG size of one small multiple and the frames of its two panels.
    static let size = (width: 390.0, height: 172.0)
    static let lossFrame = ChartFrame(left: 40, top: 20, right: 186, bottom: 136)
    static let accuracyFrame = ChartFrame(left: 236, top: 20, right: 382, bottom: 136)

    /// The shared x domain: epoch 1 to the last epoch of any row (a single epoch gets a half-epoch margin).
    var epochDomain: (lower: Double, upper: Double) {
        let last = Double(curves.map(\.lastEpoch).max() ?? 1)
        return last <= 1 ? (0.5, 1.5) : (1, last)
    }

    /// A nice domain over mean ± deviation of `quantities` in every row, scaled, within `limits`.
    func domain(_ quantities: [MetricKey], scale: Double, limits: ClosedRange<Double>)
        -> (lower: Double, upper: Double)
    {
        let values = curves.flatMap { curve in
            quantities.flatMap { curve.series[$0] ?? [] }.flatMap { point -> [Double] in
                guard point.mean.isFinite else { return [] }
                let deviation = point.deviation.flatMap { $0.isFinite ? $0 : nil } ?? 0
                return [(point.mean - deviation) * scale, (point.mean + deviation) * scale]
            }
        }
        let nice = NiceTicks.niceDomain(values.min() ?? limits.lowerBound, values.max() ?? limits.upperBound, count: 4)
        let lower = max(limits.lowerBound, nice.lower)
        let upper = min(limits.upperBound, nice.upper)
        return upper > lower ? (lower, upper) : (limits.lowerBound, limits.upperBound)
    }

    /// The `<svg>` of row `index`.
    func curveChart(_ index: Int) -> String {
        let curve = curves[index]
        let epochs = epochDomain
        let metric = table.primaryMetric
        let scale = metric.isFraction ? 100.0 : 1
        let keys = (train: MetricKey(.train, metric), validation: MetricKey(.validation, metric))
        let loss = LineChart(
            frame: Self.lossFrame, xDomain: epochs,
            yDomain: domain(
                [MetricKey(.train, .loss), MetricKey(.validation, .loss)], scale: 1,
                limits: 0...Double.greatestFiniteMagnitude))
        let headline = LineChart(
            frame: Self.accuracyFrame, xDomain: epochs,
            yDomain: domain(
                [keys.train, keys.validation], scale: scale,
                limits: metric.isFraction ? 0...100 : 0...Double.greatestFiniteMagnitude))
        func series(_ quantity: MetricKey, _ className: String, scale: Double) -> LineSeries {
            LineSeries(
                className: className,
                points: (curve.series[quantity] ?? []).map {
                    SeriesPoint(x: $0.x, mean: $0.mean * scale, deviation: $0.deviation.map { $0 * scale })
                })
        }
        var children = loss.render(
            title: Metric.loss.rawValue, xUnit: "epoch",
            series: [
                series(MetricKey(.train, .loss), "train", scale: 1),
                series(MetricKey(.validation, .loss), "val", scale: 1),
            ])
        children += headline.render(
            title: metric.isFraction ? "\(metric.rawValue), %" : metric.title, xUnit: "epoch",
            series: [series(keys.train, "train", scale: scale), series(keys.validation, "val", scale: scale)])
        if curve.series.isEmpty {
            children.append(
                .label("no epochs recorded", x: Self.size.width / 2, y: 80, anchor: "middle", className: "note"))
        }
        let svg = SVGElement(
            "svg",
            [
                ("class", "chart curves"),
                ("viewBox", "0 0 \(PathData.number(Self.size.width)) \(PathData.number(Self.size.height))"),
                ("role", "img"), ("aria-label", "learning curves of \(labels[index])"),
            ],
            children: children)
        return svg.render()
    }

    /// The dot chart of the headline metric's final test value (mean ± std over the completed seeds), marks as in
    /// the table.
    func testMetricChart(_ source: [String: ReportTrial]) -> String {
        let metric = table.primaryMetric
        let reportMetric = ReportMetric.metric(MetricKey(.test, metric))
        let scale = metric.isFraction ? 100.0 : 1
        let shown = table.metrics.contains(reportMetric)
        let rows = table.rows.indices.map { index -> DotRow in
            let row = table.rows[index]
            let values = row.trialIDs.compactMap { source[$0] }.filter { $0.row.status.isGood }
                .compactMap { $0.row.test[metric] }
            let statistics = row.statistics[reportMetric] ?? SampleStatistics(values)
            let marked = shown && table.isMarkedBest(row: index, metric: reportMetric)
            return DotRow(
                label: labels[index], mean: statistics.map { $0.mean * scale },
                deviation: statistics?.standardDeviation.map { $0 * scale }, className: marked ? "marked" : "",
                note: row.missingText)
        }
        let unit = metric.isFraction ? "test \(metric.rawValue), %" : "test \(metric.title)"
        return DotErrorChart().render(rows, unit: "\(unit) (mean ± 1 s.d. over seeds)", className: "chart dots")
            .render()
    }
}
