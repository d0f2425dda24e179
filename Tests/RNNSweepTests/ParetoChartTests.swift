import Testing

@testable import RNNSweep

/// The trade-off scatter: a mark per row with both values, its label as the mark's title, the front as a staircase
/// in order of the first objective.
@Suite("Pareto chart")
struct ParetoChartTests {
    @Test func marksTitlesAndTheStaircase() throws {
        let points = [
            ParetoPoint(label: "slow strong", x: 90, y: 9, optimal: true),
            ParetoPoint(label: "weak", x: 79, y: 9, optimal: false),
            ParetoPoint(label: "fast", x: 80, y: 2, optimal: true),
            ParetoPoint(label: "no time", x: 95, y: nil, optimal: false),
        ]
        let svg = ParetoChart().render(points, xUnit: "accuracy", yUnit: "seconds", className: "chart pareto")
        let circles = svg.children.filter { $0.name == "circle" }
        #expect(circles.count == 3, "a row without both values has no mark")
        // Dominated marks first, then the front in order of the first objective.
        #expect(circles.map { $0.children.first?.text } == ["weak", "fast", "slow strong"])
        #expect(circles.map { $0.attributes.first { $0.0 == "class" }?.1 } == ["mark", "mark pareto", "mark pareto"])
        let front = try #require(svg.children.first { $0.attributes.contains { $0 == ("class", "front") } })
        let path = try #require(front.attributes.first { $0.0 == "d" }?.1)
        // From "fast" (x 80) right to x 90, then down the y axis to 9: one H and one V.
        #expect(path.hasPrefix("M") && path.filter { $0 == "H" }.count == 1 && path.filter { $0 == "V" }.count == 1)
        let cx = { (label: String) in
            circles.first { $0.children.first?.text == label }!.attributes.first { $0.0 == "cx" }!.1
        }
        #expect(path.hasPrefix("M\(cx("fast")),"))
        #expect(path.contains("H\(cx("slow strong"))V"))
    }

    @Test func oneFrontPointDrawsNoLine() {
        let svg = ParetoChart().render(
            [ParetoPoint(label: "only", x: 1, y: 1, optimal: true)], xUnit: "x", yUnit: "y", className: "c")
        #expect(!svg.children.contains { $0.attributes.contains { $0 == ("class", "front") } })
        #expect(svg.children.filter { $0.name == "circle" }.count == 1)
    }
}
