/// One configuration in a ``ParetoChart``: its label and its means of the first two objectives, in display units.
public struct ParetoPoint: Sendable, Equatable {
    public var label: String
    public var x: Double?
    public var y: Double?
    public var optimal: Bool

    public init(label: String, x: Double?, y: Double?, optimal: Bool) {
        self.label = label
        self.x = x
        self.y = y
        self.optimal = optimal
    }
}

/// A scatter chart of the trade-off between two objectives: one mark per row that has both (a `<title>` names the
/// row), the Pareto-optimal rows highlighted (class `pareto`) and joined by a step line in order of the first
/// objective, so the front reads as a staircase. Axes are nice-ticked on each objective's own range.
public struct ParetoChart: Sendable {
    public var width = 760.0
    public var height = 420.0
    static let frame = (left: 64.0, top: 24.0, rightMargin: 20.0, bottomMargin: 44.0)

    public init() {}

    /// The whole `<svg>`; `xUnit` and `yUnit` name the axes.
    public func render(_ points: [ParetoPoint], xUnit: String, yUnit: String, className: String) -> SVGElement {
        let drawn = points.filter { ($0.x?.isFinite ?? false) && ($0.y?.isFinite ?? false) }
        let frame = ChartFrame(
            left: Self.frame.left, top: Self.frame.top, right: width - Self.frame.rightMargin,
            bottom: height - Self.frame.bottomMargin)
        let xs = drawn.compactMap(\.x)
        let ys = drawn.compactMap(\.y)
        let xDomain = NiceTicks.niceDomain(xs.min() ?? 0, xs.max() ?? 1, count: 6)
        let yDomain = NiceTicks.niceDomain(ys.min() ?? 0, ys.max() ?? 1, count: 5)
        let x = LinearScale(domain: xDomain, range: (frame.left, frame.right))
        let y = LinearScale(domain: yDomain, range: (frame.bottom, frame.top))
        var children = ChartAxis.left(
            y, frame: frame, ticks: NiceTicks.ticks(yDomain.lower, yDomain.upper, count: 5),
            step: NiceTicks.step(yDomain.lower, yDomain.upper, count: 5))
        children += ChartAxis.bottom(
            x, frame: frame, ticks: NiceTicks.ticks(xDomain.lower, xDomain.upper, count: 6),
            step: NiceTicks.step(xDomain.lower, xDomain.upper, count: 6), unit: xUnit)
        children.append(.label(yUnit, x: frame.left, y: frame.top - 10, anchor: "start", className: "axis-label"))
        // The front in order of the first objective (then the second, for ties), as a staircase.
        let front = drawn.filter(\.optimal).sorted { ($0.x!, $0.y!) < ($1.x!, $1.y!) }
        if front.count >= 2 {
            var path = "M" + n(x(front[0].x!)) + "," + n(y(front[0].y!))
            for point in front.dropFirst() { path += "H" + n(x(point.x!)) + "V" + n(y(point.y!)) }
            children.append(.path(path, className: "front"))
        }
        // Dominated marks first, so the front's marks are drawn on top of them.
        for point in drawn.filter({ !$0.optimal }) + front {
            children.append(
                SVGElement(
                    "circle",
                    [
                        ("cx", n(x(point.x!))), ("cy", n(y(point.y!))), ("r", point.optimal ? "5.5" : "4"),
                        ("class", point.optimal ? "mark pareto" : "mark"),
                    ],
                    children: [SVGElement("title", text: point.label)]))
        }
        return SVGElement(
            "svg",
            [("class", className), ("viewBox", "0 0 \(n(width)) \(n(height))"), ("role", "img")],
            children: children)
    }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
