/// Parameter importances as horizontal bars from zero, most important first: a bar per parameter
/// (`<rect class="importance-bar" data-parameter="key">`, titled with its name and value), its value as a
/// percentage at the bar's end. Bars suit here (unlike ``DotErrorChart``): importances are shares of one whole.
struct ImportanceBarChart {
    var width = 620.0
    var rowHeight = 24.0
    var labelWidth = 150.0

    /// `rows`: (key, display name, importance in [0, 1]) in the order to draw.
    func render(_ rows: [(key: String, name: String, importance: Double)]) -> SVGElement {
        let frame = ChartFrame(
            left: labelWidth, top: 8, right: width - 60, bottom: 8 + rowHeight * Double(max(rows.count, 1)))
        let upper = max(0.1, (rows.map(\.importance).max() ?? 1))
        let domain = NiceTicks.niceDomain(0, upper * 100, count: 5)
        let x = LinearScale(domain: domain, range: (frame.left, frame.right))
        let step = NiceTicks.step(domain.lower, domain.upper, count: 5)
        let ticks = NiceTicks.ticks(domain.lower, domain.upper, count: 5)
        var children: [SVGElement] = ticks.map {
            .path("M\(n(x($0))),\(n(frame.top))V\(n(frame.bottom))", className: "grid")
        }
        children += ChartAxis.bottom(
            x, frame: frame, ticks: ticks, step: step, unit: "share of the explained variance, %")
        for (index, row) in rows.enumerated() {
            let y = frame.top + rowHeight * Double(index)
            children.append(
                .label(row.name, x: frame.left - 8, y: y + rowHeight / 2 + 4, anchor: "end", className: "row-label"))
            let percent = row.importance * 100
            children.append(
                SVGElement(
                    "rect",
                    [
                        ("x", n(frame.left)), ("y", n(y + 4)), ("width", n(max(0, x(percent) - frame.left))),
                        ("height", n(rowHeight - 8)), ("class", "importance-bar"), ("data-parameter", row.key),
                    ],
                    children: [SVGElement("title", text: "\(row.name): \(NiceTicks.label(percent, step: 0.1)) %")]))
            children.append(
                .label(
                    NiceTicks.label(percent, step: 0.1) + " %", x: x(percent) + 5, y: y + rowHeight / 2 + 4,
                    className: "bar-value"))
        }
        return SVGElement(
            "svg",
            [
                ("class", "chart importance"), ("viewBox", "0 0 \(n(width)) \(n(frame.bottom + 36))"), ("role", "img"),
                ("aria-label", "parameter importance"),
            ],
            children: children)
    }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
