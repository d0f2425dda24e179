import Foundation

/// A sequential colour scale for values in [0, 1]: matplotlib's viridis, nine stops interpolated in sRGB. Readable
/// with the common colour-vision deficiencies and in greyscale (its lightness rises monotonically).
public enum SequentialColor {
    /// viridis at 0, 1/8, …, 1.
    static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129), (92, 200, 99),
        (170, 220, 50), (253, 231, 37),
    ]

    /// `#rrggbb` at `t` (clamped to [0, 1]; NaN gives the lowest colour).
    public static func hex(_ t: Double) -> String {
        let clamped = t.isNaN ? 0 : min(1, max(0, t))
        let position = clamped * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(position))
        let fraction = position - Double(index)
        let (a, b) = (stops[index], stops[index + 1])
        let channels = [(a.0, b.0), (a.1, b.1), (a.2, b.2)].map { Int(($0 + ($1 - $0) * fraction).rounded()) }
        return "#" + channels.map { String(format: "%02x", $0) }.joined()
    }
}
