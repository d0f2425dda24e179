import Foundation
import Testing

extension EndToEnd {
    /// The `--objectives` and `--compare` pages of real sweeps in headless Chromium: one Pareto mark per row, one
    /// difference mark per configuration both sweeps ran, and a hostile description that stays text.
    @Suite(.enabled(if: Chromium.testsEnabled, Chromium.skipReason))
    struct TradeoffsBrowserTests {
        @Test func paretoAndComparisonChartsInARealBrowser() throws {
            _ = try Chromium.require()
            let workspace = try SweepWorkspace()
            let left = TradeoffsEndToEndTests.sweep(
                "left", units: [4, 8], description: HTMLReportBrowserTests.hostile)
            let right = TradeoffsEndToEndTests.sweep("right", units: [8, 16])
            for sweep in [left, right] {
                let run = try workspace.run(["run", try workspace.write("\(sweep.name).yaml", sweep.yaml)])
                try #require(run.status == 0, "\(run)")
            }
            let pareto = workspace.directory.appendingPathComponent("pareto.html")
            let report = try workspace.run([
                "report", "left", "--format", "html", "--objectives", "test_accuracy,params", "--output", pareto.path,
            ])
            try #require(report.status == 0, "\(report)")
            let dom = try Chromium.dumpDOM(pareto)
            let chart = try #require(Self.element(dom, opening: "<svg class=\"chart pareto\""))
            #expect(chart.components(separatedBy: "<circle").count == 1 + 4, "one mark per row")
            #expect(chart.contains("class=\"mark pareto\""))
            #expect(chart.contains("<title>SimpleRNN · 4</title>") || chart.contains("<title>SimpleRNN · 4 "))
            #expect(dom.components(separatedBy: "<td class=\"text pareto\"").count == 1 + 4)
            #expect(!dom.contains("pwned</title>") && !dom.contains("<img"))
            #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the description shows as text")

            let comparison = workspace.directory.appendingPathComponent("compare.html")
            let compared = try workspace.run([
                "report", "left", "--compare", "right", "--format", "html", "--output", comparison.path,
            ])
            try #require(compared.status == 0, "\(compared)")
            let page = try Chromium.dumpDOM(comparison)
            let differences = try #require(Self.element(page, opening: "<svg class=\"chart dots differences\""))
            #expect(differences.components(separatedBy: "<circle").count == 1 + 2, "one mark per matched row")
            #expect(differences.contains("class=\"reference\""))
            #expect(page.components(separatedBy: "<tr data-row=").count == 1 + 6)
            // The page's sort script works on the comparison table too.
            let sorted = try Chromium.dumpDOM(comparison, fragment: "sort=-b_mean")
            #expect(sorted.contains("data-key=\"b_mean\" data-type=\"number\" aria-sort=\"descending\""))

            let shot = workspace.directory.appendingPathComponent("compare.png")
            try Chromium.screenshot(comparison, to: shot)
            #expect(try Data(contentsOf: shot).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }

        /// The text from `opening` to the end of that element (`</svg>`), if present.
        static func element(_ dom: String, opening: String) -> String? {
            guard let start = dom.range(of: opening),
                let end = dom.range(of: "</svg>", range: start.upperBound..<dom.endIndex)
            else { return nil }
            return String(dom[start.lowerBound..<end.upperBound])
        }
    }
}
