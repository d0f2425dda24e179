/// The anytime chart of a ``SearchComparison``, drawn with ``LineChart``: one step line per method (the mean over
/// its sweeps of their best so far; class `method-i`), its ± 1 sample sd band when it has several sweeps
/// (`method-i-band`), and each baseline as one marked point (`baseline-dot`) with its label.
struct SearchComparisonChart {
    var width = 820.0
    var height = 380.0

    /// Method colours (Okabe–Ito, then brown and black); a ninth method reuses the first.
    static let palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#000000"]

    /// The CSS class of method `index`'s line (`method-0`), its band (`-band`) and lone point (`-dot`).
    static func className(_ index: Int) -> String { "method-\(index % palette.count)" }

    static var css: String {
        palette.enumerated().map { index, color in
            "path.method-\(index){fill:none;stroke:\(color);stroke-width:2.2;stroke-linejoin:round}"
                + ".method-\(index)-band{fill:\(color);opacity:.14}.method-\(index)-dot{fill:\(color)}"
                + ".key.method-\(index){border-color:\(color)}"
        }.joined(separator: "\n") + "\n"
    }

    func render(_ comparison: SearchComparison) -> SVGElement {
        let scale = comparison.metric.metric.isFraction ? 100.0 : 1
        var series = comparison.methods.enumerated().map { index, method in
            LineSeries(className: Self.className(index), points: Self.steps(method.curve, scale: scale))
        }
        let marks = comparison.baselines.map { baseline in
            (
                label: SearchComparisonText.baselineLabel(baseline, k: comparison.topK),
                point: SeriesPoint(x: baseline.epochs.mean, mean: baseline.best.mean * scale)
            )
        }
        series += marks.map { LineSeries(className: "baseline", points: [$0.point]) }
        let points = series.flatMap(\.points)
        let xMax = points.map(\.x).max() ?? 1
        let ys = points.flatMap { point -> [Double] in
            let deviation = point.deviation ?? 0
            return [point.mean - deviation, point.mean + deviation]
        }.filter(\.isFinite)
        let frame = ChartFrame(left: 52, top: 26, right: width - 28, bottom: height - 42)
        let chart = LineChart(
            frame: frame, xDomain: NiceTicks.niceDomain(0, max(xMax, 1), count: 8),
            yDomain: NiceTicks.niceDomain(ys.min() ?? 0, ys.max() ?? 1, count: 5), xCount: 8, yCount: 5)
        let title = "best \(comparison.metric.reportName) so far" + (scale == 100 ? ", %" : "")
        var children = chart.render(
            title: title, xUnit: "epochs spent (every trial's, in recording order)", series: series)
        for mark in marks {
            children.append(
                .label(
                    mark.label, x: chart.x(mark.point.x) + 6, y: chart.y(mark.point.mean) - 7, anchor: "start",
                    className: "baseline-label halo"))
        }
        return SVGElement(
            "svg",
            [
                ("class", "chart search-comparison"),
                ("viewBox", "0 0 \(PathData.number(width)) \(PathData.number(height))"), ("role", "img"),
                ("aria-label", title + " against epochs spent, one line per search method"),
            ],
            children: children)
    }

    /// The curve as a step line: at each new point, first the previous value at the new x, then the new value.
    static func steps(_ curve: [SearchComparison.CurvePoint], scale: Double) -> [SeriesPoint] {
        var points: [SeriesPoint] = []
        for point in curve {
            if let previous = points.last {
                points.append(
                    SeriesPoint(x: Double(point.epochsSpent), mean: previous.mean, deviation: previous.deviation))
            }
            points.append(
                SeriesPoint(
                    x: Double(point.epochsSpent), mean: point.statistics.mean * scale,
                    deviation: point.statistics.standardDeviation.map { $0 * scale }))
        }
        return points
    }
}
