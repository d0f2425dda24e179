import Foundation
import RNNTraining
import Testing

@Suite struct ParameterSchemaTests {
    @Test func everyKeyHasAUniqueNameAndValidDefault() throws {
        #expect(Set(ParameterSchema.names).count == ParameterSchema.all.count)
        #expect(ParameterSchema.all.count == 42)
        for spec in ParameterSchema.all {
            switch spec.defaultValue {
            case .value(let value):
                #expect(try ParameterSchema.validate(spec.name, value) == value, "default of \(spec.name)")
            case .derived: #expect(["learning_rate", "vocabulary_size"].contains(spec.name))
            case .none: #expect(["clipnorm", "data_dir", "limit"].contains(spec.name))
            }
        }
    }

    @Test func validateCoercesNumbers() throws {
        #expect(try ParameterSchema.validate("dropout", .int(0)) == .double(0))
        #expect(try ParameterSchema.validate("units", .double(512)) == .int(512))
        #expect(try ParameterSchema.validate("dropout", .double(-0.0)).jsonLiteral == "0.0")
        #expect(try ParameterSchema.validate("cell", .string("gru")) == .string("gru"))
    }

    @Test(arguments: [
        ("dropout", ParameterValue.double(1.5), "dropout: 1.5 is out of range; allowed [0, 1)"),
        ("learning_rate", .int(0), "learning_rate: 0 is out of range; allowed (0, 10]"),
        ("units", .int(0), "units: 0 is out of range; allowed [1, 8192]"),
        ("limit", .int(0), "limit: 0 is out of range; allowed [1, inf)"),
        ("units", .double(2.5), "units: 2.5 is not an integer"),
        ("units", .string("many"), "units: 'many' is not an integer"),
        ("bidirectional", .int(1), "bidirectional: 1 is not true or false"),
        ("dropout", .double(.nan), "dropout: nan is out of range; allowed [0, 1)"),
        (
            "cell", .string("lstn"),
            "cell: 'lstn' is not allowed; allowed values: simple_rnn, lstm, gru (did you mean 'lstm'?)"
        ),
        ("dropot", .double(0.1), "unknown parameter 'dropot'; did you mean 'dropout'?"),
        ("colour", .int(1), "unknown parameter 'colour'"),
    ])
    func validateRejects(name: String, value: ParameterValue, message: String) {
        #expect(throws: ParameterError.self) { try ParameterSchema.validate(name, value) }
        do {
            _ = try ParameterSchema.validate(name, value)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func resolveFillsDefaultsAndLearningRatePerOptimizer() throws {
        let sgd = try TrainingParameters.resolve([:])
        // clipnorm, data_dir, limit and vocabulary_size are absent
        #expect(sgd.values.count == ParameterSchema.all.count - 4)
        #expect(sgd.string("network") == "rnn")
        #expect(sgd.int("data_seed") == 1)
        #expect(sgd.value("clipnorm") == nil)
        #expect(sgd.double("learning_rate") == 0.01)
        #expect(sgd.string("cell") == "simple_rnn")
        #expect(sgd.int("units") == 256)
        #expect(sgd.bool("reset_after"))
        #expect(try TrainingParameters.resolve(["optimizer": .string("adam")]).double("learning_rate") == 0.001)
        #expect(try TrainingParameters.resolve(["optimizer": .string("rmsprop")]).double("learning_rate") == 0.001)
        let explicit = try TrainingParameters.resolve(["optimizer": .string("adam"), "learning_rate": .int(1)])
        #expect(explicit.value("learning_rate") == .double(1))
        #expect(try TrainingParameters.resolve(["limit": .int(100)]).value("limit") == .int(100))
    }

    @Test func momentumAndNesterovNeedSGD() throws {
        let sgd = try TrainingParameters.resolve(["momentum": .double(0.9), "nesterov": .bool(true)])
        #expect(sgd.double("momentum") == 0.9)
        #expect(throws: ParameterError.self) {
            try TrainingParameters.resolve(["optimizer": .string("adam"), "momentum": .double(0.9)])
        }
        do {
            _ = try TrainingParameters.resolve(["optimizer": .string("rmsprop"), "nesterov": .bool(true)])
            Issue.record("nesterov with rmsprop was accepted")
        } catch {
            #expect(error.description == "nesterov: true is only allowed with optimizer sgd (optimizer is rmsprop)")
        }
        // Keys that only matter for some configurations are kept, not rejected.
        let gru = try TrainingParameters.resolve(["reset_after": .bool(false), "merge_mode": .string("sum")])
        #expect(gru.bool("reset_after") == false)
    }

    @Test func canonicalJSONAndIdentityAreFixed() throws {
        let parameters = try TrainingParameters.resolve([
            "cell": .string("gru"), "units": .int(64), "dropout": .double(0.2), "optimizer": .string("adam"),
            "data_dir": .string("/data/\"x\""),
        ])
        // The identity text of schema generation 1, unchanged since trial ids were defined: parameters added later
        // (network, data_seed) are left out at their defaults.
        let expected =
            #"{"activation":"tanh","batch_size":128,"bidirectional":false,"cell":"gru","data_dir":"/data/\"x\"","#
            + #""dataset":"fashion-mnist","dropout":0.2,"epochs":20,"layers":1,"learning_rate":0.001,"#
            + #""merge_mode":"concat","momentum":0.0,"nesterov":false,"optimizer":"adam","recurrent_dropout":0.0,"#
            + #""reset_after":true,"samples":4000,"seed":1,"sequence_length":20,"units":64,"validation_split":0.0,"#
            + #""view":"rows"}"#
        #expect(parameters.identityJSON == expected)
        // FNV-1a 64 of `expected`, computed independently with a few lines of Python.
        #expect(parameters.identity == "70ad3c429b8d3dd8")
        // The stored parameters hold every later one too, at its default.
        #expect(
            parameters.canonicalJSON
                == expected.replacingOccurrences(of: #""dataset":"#, with: #""data_seed":1,"dataset":"#)
                .replacingOccurrences(of: #""nesterov":false,"#, with: #""nesterov":false,"network":"rnn","#)
                .replacingOccurrences(
                    of: #""bidirectional":false,"#, with: #""bidirectional":false,"bucket_by_length":false,"#
                )
                .replacingOccurrences(of: #""dropout":0.2,"#, with: #""dropout":0.2,"embedding_dim":128,"#)
                .replacingOccurrences(
                    of: #""epochs":20,"#, with: #""epochs":20,"input":"values","input_scale":"auto","#
                )
                .replacingOccurrences(of: #""learning_rate":0.001,"#, with: #""learning_rate":0.001,"mask":"none","#)
                .replacingOccurrences(of: #""merge_mode":"concat","#, with: #""merge_mode":"concat","missing":"none","#)
                .replacingOccurrences(of: #""network":"rnn","#, with: #""network":"rnn","normalize":"none","#)
                .replacingOccurrences(
                    of: #""sequence_length":20,"#,
                    with: #""sequence_length":20,"task":"classification","tokens":"words","#
                )
                .replacingOccurrences(of: #""units":64,"#, with: #""units":64,"validation":"last","#)
                .replacingOccurrences(of: #""missing":"none","#, with: #""min_delta":0.0,"missing":"none","#)
                .replacingOccurrences(
                    of: #""optimizer":"adam","#, with: #""optimizer":"adam","patience":0,"patience_metric":"val_loss","#
                )
                .replacingOccurrences(of: #""reset_after":true,"#, with: #""reset_after":true,"restore_best":false,"#)
                .replacingOccurrences(of: #""cell":"gru","#, with: #""cell":"gru","checkpoint_every":1,"#))
        // A later parameter away from its default is part of the identity, unless it changes no result.
        let rarely = try TrainingParameters.resolve([
            "cell": .string("gru"), "units": .int(64), "dropout": .double(0.2), "optimizer": .string("adam"),
            "data_dir": .string("/data/\"x\""), "checkpoint_every": .int(7),
        ])
        #expect(rarely.identityJSON == expected)
        let reseeded = try TrainingParameters.resolve(["data_seed": .int(2)])
        #expect(reseeded.identity != TrainingParameters.defaults.identity)
        #expect(reseeded.identityJSON.contains(#""data_seed":2"#))
        let json = try JSONSerialization.jsonObject(with: Data(parameters.canonicalJSON.utf8)) as? [String: Any]
        #expect(json?["units"] as? Int == 64)
    }

    @Test func identityIgnoresOverrideSpellingButNotValues() throws {
        let a = try TrainingParameters.resolve(["dropout": .int(0), "units": .double(256)])
        #expect(a.identity == TrainingParameters.defaults.identity)
        let b = try TrainingParameters.resolve(["seed": .int(2)])
        #expect(b.identity != a.identity)
        #expect(a.identity.count == 16)
    }

    @Test func codableRoundTripRevalidates() throws {
        let parameters = try TrainingParameters.resolve(["clipnorm": .double(1), "optimizer": .string("adam")])
        let data = try JSONEncoder().encode(parameters)
        let decoded = try JSONDecoder().decode(TrainingParameters.self, from: data)
        #expect(decoded == parameters)
        #expect(decoded.identity == parameters.identity)
        let bad = Data(#"{"dropout": 3}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingParameters.self, from: bad) }
    }
}
