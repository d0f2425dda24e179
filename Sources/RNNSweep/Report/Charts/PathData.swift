import Foundation

/// A point in SVG user units.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// SVG path data (`d` attributes) for lines, bands and error bars. Coordinates are written with at most two
/// decimals (a hundredth of a pixel), which keeps a 12-row report small.
public enum PathData {
    /// A number as it appears in path data: `12`, `12.5`, `12.35`, never `-0`.
    public static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    static func pair(_ point: ChartPoint) -> String { number(point.x) + "," + number(point.y) }

    /// A polyline through `points`; a nil point breaks it (the next point starts a new `M`), so a missing
    /// epoch leaves a gap instead of a false straight segment. Empty for no points.
    public static func line(_ points: [ChartPoint?]) -> String {
        var parts: [String] = []
        var drawing = false
        for point in points {
            guard let point else {
                drawing = false
                continue
            }
            parts.append((drawing ? "L" : "M") + pair(point))
            drawing = true
        }
        return parts.joined()
    }

    /// A closed band between `upper` and `lower` (same x positions, left to right): along the upper edge,
    /// back along the lower edge, `Z`. Empty for fewer than 2 points (a band needs width).
    public static func band(upper: [ChartPoint], lower: [ChartPoint]) -> String {
        precondition(upper.count == lower.count, "a band needs one lower point per upper point")
        guard upper.count >= 2 else { return "" }
        let edge = upper + lower.reversed()
        return "M" + pair(edge[0]) + edge.dropFirst().map { "L" + pair($0) }.joined() + "Z"
    }

    /// A horizontal error bar from `from` to `to` at height `y`, with vertical caps of half-height `cap`.
    public static func horizontalErrorBar(from: Double, to: Double, y: Double, cap: Double) -> String {
        let caps = [from, to].map { "M" + pair(ChartPoint($0, y - cap)) + "V" + number(y + cap) }
        return "M" + pair(ChartPoint(from, y)) + "H" + number(to) + caps.joined()
    }
}
