import Foundation
import Testing

@testable import RNNSweep

@Suite("Report --where filters")
struct ReportFilterTests {
    @Test func filtersByTypedParameterValues() throws {
        let fixture = try ReportFixture()
        let adam = try fixture.table(ReportOptions(filters: [try ReportFilter.parse("optimizer=adam")]))
        #expect(adam.rows.map { $0.parameters["optimizer"] } == [.string("adam"), .string("adam")])
        let upper = try fixture.table(ReportOptions(filters: [ReportFilter(key: "optimizer", value: "ADAM")]))
        #expect(upper.rows.count == 2)
        let both = try fixture.table(
            ReportOptions(filters: [try .parse("units=256.0"), try .parse("dropout = 0.20")]))
        #expect(both.rows.map { $0.parameters["units"] } == [.int(256), .int(256)])
        let seed = try fixture.table(ReportOptions(filters: [try .parse("seed=2")]))
        #expect(seed.rows.map(\.trialCount) == [1, 1, 1, 1])
        #expect(seed.rows[0].statistics[.trainAccuracy]?.values == [0.83])
    }

    @Test func unknownKeyListsTheValidKeys() throws {
        let fixture = try ReportFixture()
        let error = #expect(throws: ReportError.self) {
            try fixture.table(ReportOptions(filters: [ReportFilter(key: "optimiser", value: "adam")]))
        }
        #expect(
            error
                == .unknownKey(
                    "optimiser", option: "--where",
                    valid: ["batch_size", "cell", "dropout", "epochs", "optimizer", "seed", "units"]))
        #expect(error?.description.contains("valid keys: batch_size, cell") == true)
    }

    @Test func malformedAndEmptyFilters() throws {
        #expect(throws: ReportError.badFilter("adam")) { try ReportFilter.parse("adam") }
        #expect(throws: ReportError.badFilter("=adam")) { try ReportFilter.parse("=adam") }
        #expect(try ReportFilter.parse("note=a=b") == ReportFilter(key: "note", value: "a=b"))
        let fixture = try ReportFixture()
        #expect(throws: ReportError.self) {
            try fixture.table(ReportOptions(filters: [ReportFilter(key: "units", value: "999")]))
        }
    }

    @Test func unknownSweepNamesTheAvailableOnes() throws {
        let fixture = try ReportFixture()
        #expect(throws: ReportError.unknownSweep("nope", available: ["book"])) {
            try ReportBuilder().build(store: fixture.store, sweepName: "nope")
        }
    }
}
