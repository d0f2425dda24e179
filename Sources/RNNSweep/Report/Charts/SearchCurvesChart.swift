/// One configuration's curve in ``SearchCurvesChart``.
public struct SearchCurve: Sendable {
    /// The configuration's table row (`data-config`).
    public var config: Int
    public var label: String
    /// (epoch, value) in epoch order.
    public var points: [(x: Double, y: Double)]
    public var stopped: Bool
    public var winner: Bool

    public init(config: Int, label: String, points: [(x: Double, y: Double)], stopped: Bool, winner: Bool) {
        self.config = config
        self.label = label
        self.points = points
        self.stopped = stopped
        self.winner = winner
    }
}

/// Every configuration's validation curve in one chart, with the successive-halving rungs as labelled vertical lines:
/// a stopped configuration's curve ends at the rung that stopped it, the completed ones run to the end, the winner is
/// drawn last and emphasized. One `<path class="search-curve …" data-config="i">` per configuration, titled with its
/// label.
public struct SearchCurvesChart: Sendable {
    public var width = 760.0
    public var height = 320.0

    public init() {}

    public func render(_ curves: [SearchCurve], rungEpochs: [Int], yTitle: String, className: String) -> SVGElement {
        let frame = ChartFrame(left: 48, top: 24, right: width - 40, bottom: height - 40)
        let xs = curves.flatMap { $0.points.map(\.x) } + rungEpochs.map(Double.init)
        let ys = curves.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let lastEpoch = xs.max() ?? 1
        let chart = LineChart(
            frame: frame, xDomain: lastEpoch <= 1 ? (0.5, 1.5) : (1, lastEpoch),
            yDomain: NiceTicks.niceDomain(ys.min() ?? 0, ys.max() ?? 1, count: 5), xCount: 10, yCount: 5)
        var children = chart.render(title: yTitle, xUnit: "epoch", series: [])
        for (index, epoch) in rungEpochs.enumerated() {
            let x = chart.x(Double(epoch))
            children.append(.path("M\(n(x)),\(n(frame.top))V\(n(frame.bottom))", className: "rung-line"))
            // Inside the frame, right of the line: above it the panel title would collide with the first rung's.
            children.append(
                .label("rung \(index + 1)", x: x + 3, y: frame.top + 10, anchor: "start", className: "rung-label halo"))
        }
        // Stopped first, then completed, the winner last: later paths are drawn on top.
        let ordered = curves.sorted { rank($0) < rank($1) }
        for curve in ordered {
            let points = curve.points.map { $0.y.isFinite ? ChartPoint(chart.x($0.x), chart.y($0.y)) : nil }
            var data = PathData.line(points)
            // A single epoch draws nothing as a line; a round cap on a tiny segment (class `single`, wider) shows a dot.
            if curve.points.count == 1 { data += "h0.01" }
            guard !data.isEmpty else { continue }
            let kind =
                (curve.winner ? "winner" : curve.stopped ? "stopped" : "completed")
                + (curve.points.count == 1 ? " single" : "")
            children.append(
                SVGElement(
                    "path",
                    [("d", data), ("class", "search-curve \(kind)"), ("data-config", String(curve.config))],
                    children: [SVGElement("title", text: curve.label)]))
        }
        return SVGElement(
            "svg", [("class", className), ("viewBox", "0 0 \(n(width)) \(n(height))"), ("role", "img")],
            children: children)
    }

    private func rank(_ curve: SearchCurve) -> Int { curve.winner ? 2 : curve.stopped ? 0 : 1 }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
