import RNNTraining

/// One configuration's point in ``ParameterScatterChart``.
public struct ScatterPoint: Sendable {
    public var config: Int
    public var label: String
    public var parameter: ParameterValue?
    /// The optimized metric (scaled for display); non-finite points are left out.
    public var value: Double
    public var stopped: Bool

    public init(config: Int, label: String, parameter: ParameterValue?, value: Double, stopped: Bool) {
        self.config = config
        self.label = label
        self.parameter = parameter
        self.value = value
        self.stopped = stopped
    }
}

/// The optimized metric against one parameter: a small panel with the parameter on x (linear, log, or category bands)
/// and the metric on y. A stopped configuration is a hollow grey circle, a completed one a filled circle. Points in
/// a category band are spread a little across it (by row, deterministically) so equal values do not hide each other.
/// One `<circle class="search-point …" data-config="i">` per configuration, titled with its label.
struct ParameterScatterChart {
    var width = 300.0
    var height = 210.0

    func render(
        key: String, domain: ParameterDomain, points: [ScatterPoint], yDomain: (lower: Double, upper: Double)
    ) -> SVGElement {
        let frame = ChartFrame(left: 44, top: 22, right: width - 14, bottom: height - 44)
        let axis = ParameterAxis(key: key, domain: domain, range: (frame.left + 6, frame.right - 6))
        let y = LinearScale(domain: yDomain, range: (frame.bottom, frame.top))
        let step = NiceTicks.step(yDomain.lower, yDomain.upper, count: 4)
        var children: [SVGElement] = [
            .label(
                ParameterDisplay.header(for: key) + axis.note, x: frame.left, y: frame.top - 8, className: "panel-title"
            )
        ]
        children += ChartAxis.left(
            y, frame: frame, ticks: NiceTicks.ticks(yDomain.lower, yDomain.upper, count: 4), step: step)
        children.append(.path("M\(n(frame.left)),\(n(frame.bottom))H\(n(frame.right))", className: "axis"))
        for tick in axis.ticks {
            children.append(.path("M\(n(tick.position)),\(n(frame.bottom))v\(n(ChartAxis.tick))", className: "axis"))
            children.append(
                .label(tick.label, x: tick.position, y: frame.bottom + 16, anchor: "middle", className: "tick-label"))
        }
        for point in points.sorted(by: { ($0.stopped ? 0 : 1, $0.config) < ($1.stopped ? 0 : 1, $1.config) }) {
            guard point.value.isFinite, var x = axis.position(point.parameter) else { continue }
            // Golden-ratio offsets spread a band's points evenly over its middle half, the same on every render.
            let spread = (Double(point.config) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1) - 0.5
            x += spread * axis.bandWidth * 0.5
            let title = point.label + ": " + ParameterDisplay.value(point.parameter, key: key)
            children.append(
                SVGElement(
                    "circle",
                    [
                        ("cx", n(x)), ("cy", n(y(point.value))), ("r", "4"),
                        ("class", "search-point " + (point.stopped ? "stopped" : "completed")),
                        ("data-config", String(point.config)),
                    ], children: [SVGElement("title", text: title)]))
        }
        return SVGElement(
            "svg",
            [
                ("class", "chart scatter"), ("viewBox", "0 0 \(n(width)) \(n(height))"), ("role", "img"),
                ("aria-label", "the optimized metric against \(key)"),
            ],
            children: children)
    }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
