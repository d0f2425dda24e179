import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// The search section's pieces without a browser: the log axis, the colour scale, parameter domains, and the section
/// on small sweeps. (`Tests/RNNCLITests/SearchChartsBrowserTests.swift` opens a real search's page in Chromium.)
@Suite struct SearchChartsTests {
    @Test func aLogAxisTicksDecadesOrTheirOneTwoFiveMultiples() {
        // Within two decades: 1-2-5 multiples; wider: the decades alone.
        #expect(LogScale(domain: (3e-4, 1e-2), range: (0, 100)).ticks == [0.0005, 0.001, 0.002, 0.005, 0.01])
        #expect(LogScale(domain: (1e-5, 1e-1), range: (0, 100)).ticks == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
        let scale = LogScale(domain: (1e-4, 1e-2), range: (0, 200))
        #expect(abs(scale(1e-3) - 100) < 1e-9, "a decade is the same width everywhere")
        #expect(LogScale.label(0.0005) == "0.0005" && LogScale.label(1e-5) == "1e-05")
    }

    @Test func theColourScaleRunsFromViridisDarkToYellow() {
        #expect(SequentialColor.hex(0) == "#440154")
        #expect(SequentialColor.hex(1) == "#fde725")
        #expect(SequentialColor.hex(2) == "#fde725" && SequentialColor.hex(.nan) == "#440154")
        #expect(SequentialColor.hex(0.0625) == "#461767", "halfway between the first two stops")
    }

    @Test func domainsComeFromTheSearchBlockOrFromTheGrid() {
        let json = #"{"search":{"space":{"lr":{"log_uniform":[0.0003,0.01]},"cell":{"choice":["lstm","gru"]}}}}"#
        let lr = SearchObjective.Parameter(key: "lr", distribution: "log_uniform")
        #expect(
            ParameterDomain.of(lr, experimentJSON: json, observed: [.double(0.001)])
                == .numeric(lower: 0.0003, upper: 0.01, logarithmic: true))
        let cell = SearchObjective.Parameter(key: "cell", distribution: "choice")
        #expect(
            ParameterDomain.of(cell, experimentJSON: json, observed: [.string("gru")])
                == .categorical([.string("lstm"), .string("gru")]), "every choice, in the file's order")
        let units = SearchObjective.Parameter(key: "units", distribution: nil)
        #expect(
            ParameterDomain.of(units, experimentJSON: "{}", observed: [.int(64), .int(16), .int(64)])
                == .numeric(lower: 16, upper: 64, logarithmic: false))
        let optimizer = SearchObjective.Parameter(key: "optimizer", distribution: nil)
        let single = ParameterDomain.of(optimizer, experimentJSON: "{}", observed: [.string("sgd"), .string("sgd")])
        #expect(single == .categorical([.string("sgd")]) && single.isSingle)
    }

    /// The 2×2 grid of ``ReportFixture``: a section with a mark per row, and no importance (the rule wants at least 8
    /// configurations).
    @Test func aGridGetsTheSectionWithAMarkPerRow() throws {
        let fixture = try ReportFixture()
        let source = try ReportSource.load(store: fixture.store, sweepName: "book")
        let table = try ReportBuilder().build(from: source)
        let page = HTMLRenderer().render(table, source: source)
        let section = try #require(page.components(separatedBy: "<section id=\"search\">").dropFirst().first)
            .components(separatedBy: "</section>")[0]
        #expect(page.range(of: "id=\"results\"")!.lowerBound < page.range(of: "id=\"search\"")!.lowerBound)
        #expect(HTMLRendererTests.count("class=\"search-curve ", in: section) == 4)
        #expect(HTMLRendererTests.count("class=\"search-point ", in: section) == 4 * 2, "units and optimizer")
        #expect(HTMLRendererTests.count("class=\"search-line\"", in: section) == 4)
        #expect(HTMLRendererTests.count("class=\"importance-bar\"", in: section) == 0)
        #expect(section.contains("Not computed: too few configurations"))
        // Every trial completed its 3 epochs: every value is at epoch 3.
        #expect(section.contains("at epoch 3"))
        #expect(!section.contains("rung 1"), "no halving, no rungs")
    }

    @Test func oneConfigurationGetsNoSection() throws {
        let fixture = try ReportFixture()
        let source = try ReportSource.load(
            store: fixture.store, sweepName: "book",
            filters: [ReportFilter(key: "units", value: "128"), ReportFilter(key: "optimizer", value: "adam")])
        let page = HTMLRenderer().render(try ReportBuilder().build(from: source), source: source)
        #expect(!page.contains("id=\"search\""))
    }

    @Test func hostileParameterValuesStayTextInTheSection() throws {
        let page = try HTMLRendererTests.page()
        let section = try #require(page.components(separatedBy: "<section id=\"search\">").dropFirst().first)
            .components(separatedBy: "</section>")[0]
        #expect(HTMLRendererTests.count("class=\"search-curve ", in: section) == 2)
        #expect(!section.contains("<script") && !section.contains("<img"))
        #expect(section.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
}
