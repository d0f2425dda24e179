import RNNTraining

/// One configuration's line in ``ParallelCoordinatesChart``.
public struct ParallelLine: Sendable {
    public var config: Int
    public var label: String
    /// The configuration's value of each parameter, in axis order.
    public var parameters: [ParameterValue?]
    /// The optimized metric (scaled for display); a non-finite value is drawn grey, under the others.
    public var value: Double

    public init(config: Int, label: String, parameters: [ParameterValue?], value: Double) {
        self.config = config
        self.label = label
        self.parameters = parameters
        self.value = value
    }
}

/// Parallel coordinates: a vertical axis per varied parameter (log where log-uniform, categories spaced) and the
/// metric's axis last; a polyline per configuration through its values, coloured by its metric on the viridis scale
/// (``SequentialColor``, legend below), the better ones drawn on top. One `<polyline class="search-line"
/// data-config="i">` per configuration, titled with its label.
struct ParallelCoordinatesChart {
    var width = 900.0
    var height = 340.0

    func render(
        axes: [(key: String, domain: ParameterDomain)], lines: [ParallelLine], metricTitle: String,
        metricDomain: (lower: Double, upper: Double), higherIsBetter: Bool
    ) -> SVGElement {
        let frame = ChartFrame(left: 100, top: 34, right: width - 60, bottom: height - 64)
        let count = axes.count + 1
        let xs = (0..<count).map { frame.left + (frame.right - frame.left) * Double($0) / Double(max(1, count - 1)) }
        let parameterAxes = axes.map { ParameterAxis(key: $0.key, domain: $0.domain, range: (frame.bottom, frame.top)) }
        let metric = LinearScale(domain: metricDomain, range: (frame.bottom, frame.top))
        let step = NiceTicks.step(metricDomain.lower, metricDomain.upper, count: 5)
        var children: [SVGElement] = []
        func drawAxis(x: Double, title: String, ticks: [(position: Double, label: String)]) {
            children.append(.path("M\(n(x)),\(n(frame.top))V\(n(frame.bottom))", className: "axis"))
            children.append(.label(title, x: x, y: frame.top - 12, anchor: "middle", className: "panel-title"))
            for tick in ticks {
                children.append(.path("M\(n(x - 3)),\(n(tick.position))h6", className: "axis"))
                children.append(
                    .label(tick.label, x: x - 6, y: tick.position + 3.5, anchor: "end", className: "tick-label halo"))
            }
        }
        // Lines first (worst first, so the best lie on top), then the axes over them.
        let span = metricDomain.upper - metricDomain.lower
        func goodness(_ line: ParallelLine) -> Double {
            line.value.isFinite ? (higherIsBetter ? line.value : -line.value) : -.infinity
        }
        let ordered = lines.sorted { (goodness($0), $0.config) < (goodness($1), $1.config) }
        for line in ordered {
            var points: [String] = []
            for (index, axis) in parameterAxes.enumerated() {
                guard let y = axis.position(line.parameters[index]) else { continue }
                points.append(n(xs[index]) + "," + n(y))
            }
            let finite = line.value.isFinite
            if finite { points.append(n(xs[count - 1]) + "," + n(metric(line.value))) }
            let t = finite ? (line.value - metricDomain.lower) / span : 0
            let color = finite ? SequentialColor.hex(higherIsBetter ? t : 1 - t) : "#b6bcc3"
            children.append(
                SVGElement(
                    "polyline",
                    [
                        ("points", points.joined(separator: " ")), ("class", "search-line"), ("stroke", color),
                        ("data-config", String(line.config)),
                    ],
                    children: [SVGElement("title", text: line.label)]))
        }
        for (index, axis) in parameterAxes.enumerated() {
            drawAxis(x: xs[index], title: ParameterDisplay.header(for: axis.key) + axis.note, ticks: axis.ticks)
        }
        drawAxis(
            x: xs[count - 1], title: metricTitle,
            ticks: NiceTicks.ticks(metricDomain.lower, metricDomain.upper, count: 5).map {
                (metric($0), NiceTicks.label($0, step: step))
            })
        children += legend(
            frame: frame, domain: metricDomain, step: step, title: metricTitle, higherIsBetter: higherIsBetter)
        return SVGElement(
            "svg",
            [
                ("class", "chart parallel"), ("viewBox", "0 0 \(n(width)) \(n(height))"), ("role", "img"),
                ("aria-label", "parallel coordinates of the configurations"),
            ],
            children: children)
    }

    /// A colour bar under the chart: the scale's colours in 40 steps from the worst value to the best.
    private func legend(
        frame: ChartFrame, domain: (lower: Double, upper: Double), step: Double, title: String, higherIsBetter: Bool
    ) -> [SVGElement] {
        let (left, width, top) = (frame.right - 260, 260.0, frame.bottom + 30)
        let steps = 40
        var elements: [SVGElement] = (0..<steps).map { index in
            let t = (Double(index) + 0.5) / Double(steps)
            return SVGElement(
                "rect",
                [
                    ("x", n(left + width * Double(index) / Double(steps))), ("y", n(top)),
                    ("width", n(width / Double(steps) + 0.3)), ("height", "9"),
                    ("fill", SequentialColor.hex(higherIsBetter ? t : 1 - t)),
                ])
        }
        elements.append(
            .label(
                NiceTicks.label(domain.lower, step: step), x: left, y: top + 21, anchor: "start",
                className: "tick-label"))
        elements.append(
            .label(
                NiceTicks.label(domain.upper, step: step), x: left + width, y: top + 21, anchor: "end",
                className: "tick-label"))
        elements.append(.label("colour: " + title, x: left - 8, y: top + 8, anchor: "end", className: "axis-label"))
        return elements
    }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
