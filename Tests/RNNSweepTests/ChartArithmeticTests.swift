import Foundation
import Testing

@testable import RNNSweep

/// Scales, nice ticks and path data of the HTML report's SVG charts.
@Suite("Chart arithmetic")
struct ChartArithmeticTests {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks.step(0, 1, count: 5) == 0.2)
        #expect(NiceTicks.step(0, 1, count: 10) == 0.1)
        #expect(NiceTicks.step(0, 100, count: 4) == 20)  // 25 → nearer 20 than 50 on a log scale (< √10·10)
        #expect(NiceTicks.step(70, 100, count: 6) == 5)
        #expect(NiceTicks.step(0.27, 0.83, count: 4) == 0.1)  // 0.14 → 0.1 (below √2 · 0.1)
        #expect(NiceTicks.step(0, 7, count: 5) == 1)  // 1.4 stays 1: 2 only from √2 ≈ 1.414 up
        #expect(NiceTicks.step(0, 7.1, count: 5) == 2)
        #expect(NiceTicks.step(1, 20, count: 5) == 5)  // 3.8 ≥ √10
        #expect(NiceTicks.step(1, 2, count: 5) == 0.2)
        #expect(NiceTicks.step(-3e-5, 3e-5, count: 3) == 2e-5)
    }

    @Test func ticksAreExactMultiplesInsideTheDomain() {
        #expect(NiceTicks.ticks(0, 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceTicks.ticks(0.27, 0.83, count: 4) == [0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
        #expect(NiceTicks.ticks(71.3, 96.2, count: 5) == [75, 80, 85, 90, 95])
        #expect(NiceTicks.ticks(1, 20, count: 5) == [5, 10, 15, 20])
        #expect(NiceTicks.ticks(-1, 1, count: 4) == [-1, -0.5, 0, 0.5, 1])
        #expect(NiceTicks.ticks(0.001, 0.0049, count: 4) == [0.001, 0.002, 0.003, 0.004])
    }

    @Test func niceDomainsEndOnTicksAndLabelsHaveTheStepsDecimals() {
        #expect(NiceTicks.niceDomain(0.27, 0.83, count: 4) == (0.2, 0.9))
        #expect(NiceTicks.niceDomain(71.3, 96.2, count: 6) == (70, 100))
        #expect(NiceTicks.niceDomain(0.3, 0.6, count: 3) == (0.3, 0.6))
        // A single value gets a span around it.
        #expect(NiceTicks.niceDomain(5, 5, count: 4) == (4.7, 5.3))
        #expect(NiceTicks.niceDomain(0, 0, count: 4) == (-1, 1))
        #expect(NiceTicks.decimals(forStep: 5) == 0 && NiceTicks.decimals(forStep: 0.2) == 1)
        #expect(NiceTicks.decimals(forStep: 0.05) == 2 && NiceTicks.decimals(forStep: 20) == 0)
        #expect(NiceTicks.label(85, step: 5) == "85" && NiceTicks.label(0.4, step: 0.2) == "0.4")
        #expect(NiceTicks.label(-1e-17, step: 0.1) == "0.0" && NiceTicks.label(-0.5, step: 0.5) == "-0.5")
    }

    @Test func scalesMapLinearlyAndMayRunBackwards() {
        let x = LinearScale(domain: (1, 5), range: (40, 200))
        #expect(x(1) == 40 && x(5) == 200 && x(3) == 120 && x(6) == 240)
        let y = LinearScale(domain: (0, 100), range: (136, 20))
        #expect(y(0) == 136 && y(100) == 20 && y(50) == 78)
    }

    @Test func pathDataIsCompactAndBreaksAtGaps() {
        #expect(PathData.number(12) == "12" && PathData.number(12.5) == "12.5" && PathData.number(12.345) == "12.35")
        #expect(PathData.number(-0.001) == "0" && PathData.number(-3.1) == "-3.1" && PathData.number(100) == "100")
        #expect(PathData.line([ChartPoint(0, 1), ChartPoint(10, 2.5), ChartPoint(20, 3)]) == "M0,1L10,2.5L20,3")
        #expect(PathData.line([ChartPoint(0, 1), nil, ChartPoint(20, 3), ChartPoint(30, 4)]) == "M0,1M20,3L30,4")
        #expect(PathData.line([nil]) == "")
        let band = PathData.band(
            upper: [ChartPoint(0, 10), ChartPoint(5, 8), ChartPoint(10, 6)],
            lower: [ChartPoint(0, 12), ChartPoint(5, 11), ChartPoint(10, 9)])
        #expect(band == "M0,10L5,8L10,6L10,9L5,11L0,12Z")
        #expect(PathData.band(upper: [ChartPoint(0, 1)], lower: [ChartPoint(0, 2)]) == "")
        #expect(PathData.horizontalErrorBar(from: 10, to: 30, y: 50, cap: 5) == "M10,50H30M10,45V55M30,45V55")
    }

    @Test func lineChartDrawsBandsOnlyWhereSeedsSpread() {
        let chart = LineChart(
            frame: ChartFrame(left: 0, top: 0, right: 100, bottom: 100), xDomain: (1, 3), yDomain: (0, 1))
        #expect(chart.xTicks.values == [1, 1.5, 2, 2.5, 3].filter { $0 == $0.rounded() })
        let series = LineSeries(
            className: "train",
            points: [
                SeriesPoint(x: 1, mean: 0.5, deviation: 0.1), SeriesPoint(x: 2, mean: 0.6, deviation: 0.1),
                SeriesPoint(x: 3, mean: .nan, deviation: nil),
            ])
        // x: 1 → 0, 2 → 50; y = 100 − 100·v.
        #expect(chart.bands(series.points) == ["M0,40L50,30L50,50L0,60Z"])
        let elements = chart.render(title: "loss", xUnit: "epoch", series: [series])
        let paths = elements.filter { $0.name == "path" }
        #expect(paths.contains { $0.attributes.contains { $0 == ("d", "M0,50L50,40") } })
        #expect(paths.filter { $0.attributes.contains { $0 == ("class", "train-band") } }.count == 1)
        #expect(elements.contains { $0.name == "text" && $0.text == "epoch" })
        #expect(elements.contains { $0.name == "text" && $0.text == "loss" })
        // Tick labels of the y axis: 0 … 1 by 0.2 (count 4 → step 0.2? 0.25 → 0.2).
        let labels = elements.filter { $0.attributes.contains { $0 == ("class", "tick-label") } }.compactMap(\.text)
        #expect(labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "1", "2", "3"])
    }

    @Test func dotChartPlacesMeansAndErrorBars() {
        let svg = DotErrorChart().render(
            [
                DotRow(label: "GRU", mean: 90, deviation: 1, className: "marked"),
                DotRow(label: "LSTM <b>", mean: 80, deviation: nil),
                DotRow(label: "x", mean: nil, deviation: nil, note: "failed"),
            ], unit: "test accuracy, %", className: "chart dots")
        let text = svg.render()
        #expect(text.hasPrefix("<svg class=\"chart dots\" viewBox=\"0 0 760 "))
        #expect(svg.children.filter { $0.name == "circle" }.count == 2)
        #expect(text.contains("LSTM &lt;b&gt;") && !text.contains("<b>"))
        #expect(text.contains(">failed<"))
        #expect(svg.children.filter { $0.attributes.contains { $0 == ("class", "error-bar marked") } }.count == 1)
    }
}
