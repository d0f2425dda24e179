import Foundation
import RNNTraining
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
                    valid: [
                        "batch_size", "bucket_by_length", "build", "cell", "checkpoint_every", "cpu", "data",
                        "data_seed", "dataset",
                        "dropout", "embedding_dim", "epochs", "host", "input", "input_scale", "mask", "min_delta",
                        "missing", "network", "normalize", "optimizer", "patience", "patience_metric", "restore_best",
                        "seed", "task", "threads", "tokens", "units",
                        "validation",
                    ]))
        #expect(
            error?.description.contains("valid keys: batch_size, bucket_by_length, build, cell, checkpoint_every, cpu")
                == true)
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

@Suite("Trial parameters")
struct TrialParametersTests {
    @Test func nullIsNotSetAndNumbersKeepTheirKind() throws {
        let params = try TrialParameters.decode(
            #"{"units":256,"dropout":0.2,"cell":"gru","nesterov":false,"clipnorm":null}"#)
        let given: [String: ParameterValue] = [
            "units": .int(256), "dropout": .double(0.2), "cell": .string("gru"), "nesterov": .bool(false),
        ]
        // The parameters added after this row was written are their defaults: it ran with them.
        let later: [String: ParameterValue] = [
            "network": .string("rnn"), "data_seed": .int(1), "input": .string("values"), "mask": .string("none"),
            "embedding_dim": .int(128), "bucket_by_length": .bool(false), "task": .string("classification"),
            "input_scale": .string("auto"), "validation": .string("last"), "missing": .string("none"),
            "normalize": .string("none"), "tokens": .string("words"), "patience": .int(0),
            "patience_metric": .string("val_loss"), "min_delta": .double(0), "restore_best": .bool(false),
            "checkpoint_every": .int(1),
        ]
        #expect(params == given.merging(later) { a, _ in a })
        // An MLP row gets only what applies to an MLP.
        let mlp = try TrialParameters.decode(#"{"network":"mlp","units":64}"#)
        #expect(mlp["mask"] == nil && mlp["input"] == nil && mlp["task"] == .string("classification"))
        #expect(params["units"]?.numericValue == 256 && params["cell"]?.numericValue == nil)
        #expect(throws: (any Error).self) { try TrialParameters.decode(#"{"units":[1,2]}"#) }
        #expect(throws: (any Error).self) { try TrialParameters.decode("[1]") }
    }

    @Test func aParameterThatIsNotSetMatchesAnEmptyFilter() throws {
        let dir = try StoreTemporaryDirectory()
        let store = try MetricsStore.create(at: dir.file("m.sqlite"))
        let sweep = try store.registerSweep(
            name: "clip", description: nil, experimentPath: nil, experimentJSON: "{}", varyingKeys: ["clipnorm"])
        try store.registerTrials(
            sweep: sweep,
            trials: [
                NewTrial(id: storeHexID("a"), ordinal: 0, gridPoint: 0, seed: 1, paramsJSON: #"{"clipnorm":1.0}"#),
                NewTrial(id: storeHexID("b"), ordinal: 1, gridPoint: 1, seed: 1, paramsJSON: #"{"units":8}"#),
            ])
        let source = try ReportSource.load(store: store, sweepName: "clip")
        #expect(try source.filtered(by: [.parse("clipnorm=")]).trials.map(\.row.id) == [storeHexID("b")])
        #expect(try source.filtered(by: [.parse("clipnorm=null")]).trials.map(\.row.id) == [storeHexID("b")])
        #expect(try source.filtered(by: [.parse("clipnorm=1")]).trials.map(\.row.id) == [storeHexID("a")])
    }
}
