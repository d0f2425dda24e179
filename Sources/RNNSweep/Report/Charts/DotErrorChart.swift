/// One row of a dot chart: a label, and a mean with an optional ± deviation (nil mean: no value, `note` says why).
public struct DotRow: Sendable, Equatable {
    public var label: String
    public var mean: Double?
    public var deviation: Double?
    /// Extra CSS class of the dot and label (`marked` for the best row and its ties).
    public var className: String
    /// Shown in place of the dot when there is no mean (`failed`).
    public var note: String

    public init(label: String, mean: Double?, deviation: Double?, className: String = "", note: String = "") {
        self.label = label
        self.mean = mean
        self.deviation = deviation
        self.className = className
        self.note = note
    }
}

/// A horizontal dot chart with error bars: one line per row (label on the left), a dot at the mean and a bar of
/// ± one deviation, a shared x axis with nice ticks and grid lines. Dots need no zero baseline, so rows that
/// differ by a few tenths of a point stay apart (bars from zero would hide that).
public struct DotErrorChart: Sendable {
    public var width = 760.0
    public var rowHeight = 24.0
    /// The label column grows with the longest label up to this width; longer labels are cut with `…` (the
    /// whole label stays in a tooltip).
    public var maximumLabelWidth = 320.0
    /// Width of one label character at the chart's 12 px font, bold (marked rows), with a margin: labels are
    /// short and mostly ASCII, and a cut label reads better than one clipped by the SVG's edge.
    static let characterWidth = 7.6
    /// A value drawn as a vertical line (class `reference`) and kept inside the axis: 0 for a chart of differences.
    public var reference: Double?

    public init() {}

    /// The whole `<svg>`, with `unit` under the x axis.
    public func render(_ rows: [DotRow], unit: String, className: String) -> SVGElement {
        let longest = Double(rows.map(\.label.count).max() ?? 0)
        let labelWidth = min(maximumLabelWidth, max(80, longest * Self.characterWidth + 16))
        let fitting = Int((labelWidth - 16) / Self.characterWidth)
        let frame = ChartFrame(
            left: labelWidth, top: 8, right: width - 16, bottom: 8 + rowHeight * Double(max(rows.count, 1)))
        let height = frame.bottom + 36
        let extents = rows.flatMap { row -> [Double] in
            guard let mean = row.mean, mean.isFinite else { return [] }
            let deviation = row.deviation.flatMap { $0.isFinite ? $0 : nil } ?? 0
            return [mean - deviation, mean + deviation]
        }
        let bounds = extents + [reference].compactMap { $0 }
        let domain = NiceTicks.niceDomain(bounds.min() ?? 0, bounds.max() ?? 1, count: 6)
        let x = LinearScale(domain: domain, range: (frame.left, frame.right))
        let step = NiceTicks.step(domain.lower, domain.upper, count: 6)
        let ticks = NiceTicks.ticks(domain.lower, domain.upper, count: 6)
        var children: [SVGElement] = []
        for value in ticks {
            children.append(.path("M\(n(x(value))),\(n(frame.top))V\(n(frame.bottom))", className: "grid"))
        }
        children += ChartAxis.bottom(x, frame: frame, ticks: ticks, step: step, unit: unit)
        if let reference {
            children.append(.path("M\(n(x(reference))),\(n(frame.top))V\(n(frame.bottom))", className: "reference"))
        }
        for (index, row) in rows.enumerated() {
            let y = frame.top + rowHeight * (Double(index) + 0.5)
            let extra = row.className.isEmpty ? "" : " " + row.className
            var label = SVGElement.label(
                row.label.count > fitting ? row.label.prefix(fitting - 1) + "…" : row.label, x: labelWidth - 10,
                y: y + 4, anchor: "end", className: "row-label" + extra)
            label.children = [SVGElement("title", text: row.label)]
            children.append(label)
            guard let mean = row.mean, mean.isFinite else {
                children.append(.label(row.note, x: frame.left + 6, y: y + 4, className: "note"))
                continue
            }
            if let deviation = row.deviation, deviation.isFinite, deviation > 0 {
                let bar = PathData.horizontalErrorBar(from: x(mean - deviation), to: x(mean + deviation), y: y, cap: 5)
                children.append(.path(bar, className: "error-bar" + extra))
            }
            children.append(
                SVGElement(
                    "circle", [("cx", n(x(mean))), ("cy", n(y)), ("r", "4.5"), ("class", "dot" + extra)]))
        }
        return SVGElement(
            "svg",
            [("class", className), ("viewBox", "0 0 \(n(width)) \(n(height))"), ("role", "img")],
            children: children)
    }

    private func n(_ value: Double) -> String { PathData.number(value) }
}
