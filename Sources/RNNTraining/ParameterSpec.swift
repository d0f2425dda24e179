import Foundation
import RNNEngine

/// The kind of value a training parameter takes.
public enum ParameterKind: Sendable, Hashable {
    case int
    case double
    case bool
    /// A string restricted to the listed values.
    case choice([String])
    /// A free-form filesystem path.
    case path
    /// One of the listed words, or a number in the spec's range (`input_scale: auto | none | 0.5`).
    case choiceOrNumber([String])

    /// A short noun phrase for error messages ("an integer", "one of a, b").
    public var expectation: String {
        switch self {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .choice(let allowed): "one of " + allowed.joined(separator: ", ")
        case .path: "a path"
        case .choiceOrNumber(let allowed): allowed.joined(separator: ", ") + " or a number"
        }
    }
}

/// An interval of allowed numeric values; each bound is optional and inclusive or exclusive.
public struct ParameterRange: Sendable, Hashable, CustomStringConvertible {
    /// The lower bound, or nil for none.
    public var lower: Double?
    public var lowerInclusive: Bool
    /// The upper bound, or nil for none.
    public var upper: Double?
    public var upperInclusive: Bool

    /// `[lower, upper]` with both bounds inclusive.
    public static func closed(_ lower: Double, _ upper: Double) -> ParameterRange {
        ParameterRange(lower: lower, lowerInclusive: true, upper: upper, upperInclusive: true)
    }

    /// Whether `x` lies within the bounds.
    public func contains(_ x: Double) -> Bool {
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    /// Interval notation, e.g. `[0, 1)`, `(0, 10]`, `[1, inf)`.
    public var description: String {
        func bound(_ value: Double?, infinity: String) -> String {
            guard let value else { return infinity }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        return (lowerInclusive && lower != nil ? "[" : "(") + bound(lower, infinity: "-inf") + ", "
            + bound(upper, infinity: "inf") + (upperInclusive && upper != nil ? "]" : ")")
    }
}

/// Display grouping of parameters. `model` parameters are the options of a network kind (see `appliesTo`).
public enum ParameterGroup: String, Sendable, Hashable, CaseIterable {
    case model, optimizer, training, data
}

/// Where a parameter's value comes from when an experiment file or the command line does not give one.
public enum ParameterDefault: Sendable, Hashable {
    /// This value.
    case value(ParameterValue)
    /// Computed from other parameters by `TrainingParameters.resolve`; the text says how (for help and docs).
    case derived(String)
    /// Absent: the parameter is optional and off (`clipnorm`, `limit`, `data_dir`).
    case none
}

/// Everything known about one training parameter: the one definition the experiment files, the command line
/// (`train`, `summary`, `bench`), the README table and the trial identity are all derived from.
public struct ParameterSpec: Sendable, Hashable {
    /// The flat snake_case name used in experiment files; the command line spells it `--kebab-case`.
    public var name: String
    public var kind: ParameterKind
    public var defaultValue: ParameterDefault
    /// Allowed numeric range (int and double kinds only).
    public var range: ParameterRange?
    /// One line for `--help`, `rnnsweep parameters` and the README.
    public var help: String
    public var group: ParameterGroup
    /// The schema generation that added the parameter. Generation-1 parameters are always part of a trial's
    /// identity (trial ids were first defined as a hash of all of them); later ones only when they differ from
    /// their default, so adding a parameter whose default keeps today's behaviour re-keys no existing trial.
    public var generation: Int
    /// False for a parameter that says how a run is carried out, never what it computes (`checkpoint_every`): it
    /// is left out of the trial's identity and of a checkpoint's compatibility key, so any value keeps the ids.
    public var changesResults = true

    /// The value used when none is given, if it is a plain value.
    public var fixedDefault: ParameterValue? {
        if case .value(let v) = defaultValue { v } else { nil }
    }

    /// True for a parameter that may be absent from resolved parameters (no default).
    public var isOptional: Bool { defaultValue == .none }

    /// The network kinds (`network:` values) the parameter applies to: a model parameter applies to the kinds that
    /// read it (`ModelArchitecture.options`), every other parameter to all of them.
    public var appliesTo: [String] {
        guard group == .model, name != ParameterSchema.network else { return ModelRegistry.names }
        return ModelRegistry.kinds.filter { $0.options.contains(name) }.map { $0.kind }
    }

    /// The allowed values as text, e.g. `[0, 1)` or `simple_rnn, lstm, gru`.
    public var allowedDescription: String {
        switch kind {
        case .choice(let allowed): allowed.joined(separator: ", ")
        case .choiceOrNumber(let allowed):
            allowed.joined(separator: ", ") + (range.map { ", or a number in \($0)" } ?? "")
        case .int, .double: range?.description ?? kind.expectation
        case .bool, .path: kind.expectation
        }
    }

    /// The default as text: `256`, `none`, or how it is derived.
    public var defaultDescription: String {
        switch defaultValue {
        case .value(let v): v.description
        case .derived(let how): how
        case .none: "none"
        }
    }

    /// `--batch-size`.
    public var flag: String { "--" + name.replacingOccurrences(of: "_", with: "-") }
}
