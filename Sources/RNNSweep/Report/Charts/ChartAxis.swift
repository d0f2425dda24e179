/// The plot area of one chart panel, in SVG user units.
public struct ChartFrame: Sendable, Equatable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}

/// Axes with ticks, tick labels, light grid lines and a unit label, drawn for a frame and two scales.
/// CSS classes: `axis` (lines), `grid`, `tick-label`, `axis-label`.
public enum ChartAxis {
    /// Length of a tick mark outside the frame.
    static let tick = 4.0

    /// The x axis along the frame's bottom: ticks at `ticks`, labels below, `unit` under them, centred.
    public static func bottom(
        _ scale: LinearScale, frame: ChartFrame, ticks: [Double], step: Double, unit: String
    ) -> [SVGElement] {
        var elements = [SVGElement.path("M\(p(frame.left)),\(p(frame.bottom))H\(p(frame.right))", className: "axis")]
        for value in ticks {
            let x = scale(value)
            elements.append(.path("M\(p(x)),\(p(frame.bottom))v\(p(tick))", className: "axis"))
            elements.append(
                .label(
                    NiceTicks.label(value, step: step), x: x, y: frame.bottom + tick + 10, anchor: "middle",
                    className: "tick-label"))
        }
        elements.append(
            .label(
                unit, x: (frame.left + frame.right) / 2, y: frame.bottom + tick + 22, anchor: "middle",
                className: "axis-label"))
        return elements
    }

    /// The y axis along the frame's left edge: ticks and right-aligned labels at `ticks`, a grid line across
    /// the frame at each. The unit goes in the panel title (``LineChart``), where small charts have room.
    public static func left(_ scale: LinearScale, frame: ChartFrame, ticks: [Double], step: Double) -> [SVGElement] {
        var elements: [SVGElement] = []
        for value in ticks {
            let y = scale(value)
            elements.append(.path("M\(p(frame.left)),\(p(y))H\(p(frame.right))", className: "grid"))
            elements.append(.path("M\(p(frame.left - tick)),\(p(y))h\(p(tick))", className: "axis"))
            elements.append(
                .label(
                    NiceTicks.label(value, step: step), x: frame.left - tick - 2, y: y + 3.5, anchor: "end",
                    className: "tick-label"))
        }
        elements.append(.path("M\(p(frame.left)),\(p(frame.top))V\(p(frame.bottom))", className: "axis"))
        return elements
    }

    private static func p(_ value: Double) -> String { PathData.number(value) }
}
