import RNNEngine
import RNNTraining

/// How parameters appear in the Markdown table (CSV and JSON always use raw keys and values).
///
/// Rules, one for all sweeps:
/// - Headers: `units` is shown as **Units** (the book's table 1.5.1 calls that column "Layers", which misreads as
///   the number of stacked layers), `layers` as **Depth**; every other key goes from snake_case to Title Case
///   (`batch_size` → `Batch Size`, `cell` → `Cell`).
/// - Values: optimizers and cells get their Keras class names (`sgd` → `SGD`, `rmsprop` → `RMSprop`,
///   `adam` → `Adam`, `simple_rnn` → `SimpleRNN`, `lstm` → `LSTM`, `gru` → `GRU`); other values print raw.
/// - `dropout` and `recurrent_dropout` share one **Regularizer** column: `Dropout(0.2)`, `RecDropout(0.1)`
///   (comma-separated when both are non-zero) or `None`. See ``ParameterColumn`` for when it appears.
/// - When `bidirectional` is a row key it joins `cell` in one **Cell** column, written as the Keras layers are:
///   `LSTM`, `Bidirectional(LSTM)`. When `network` is a row key, `network`, `cell` and `bidirectional` make one
///   **Network** column, each row as its kind's `ModelArchitecture.label` names it: `MLP`, `LSTM`, …
public enum ParameterDisplay {
    /// Keys rendered through the Regularizer column instead of their own.
    public static let regularizerKeys: Set<String> = ["dropout", "recurrent_dropout"]

    /// The optimizers `ParameterSchema` accepts, by their Keras class names.
    static let optimizerNames = ["sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam"]
    static let cellNames = ["simple_rnn": "SimpleRNN", "simplernn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"]

    /// The Markdown header of a parameter key.
    public static func header(for key: String) -> String {
        if key == "units" { return "Units" }
        // Stacked layers keep the name reports have used for them since units were headed "Layers".
        if key == "layers" { return "Depth" }
        if let machine = MachineAspect(rawValue: key) { return machine.title }
        return key.split(separator: "_").map { word in word.prefix(1).uppercased() + word.dropFirst() }
            .joined(separator: " ")
    }

    /// The Markdown text of a parameter value.
    public static func value(_ value: ParameterValue?, key: String) -> String {
        guard let value else { return "–" }
        if case .string(let text) = value {
            let names = key == "optimizer" ? optimizerNames : key == "cell" ? cellNames : [:]
            return names[text.lowercased()] ?? text
        }
        return value.description
    }

    /// `LSTM`, `Bidirectional(LSTM)`, `MLP`: the network as the Keras model code names it, from the registry entry
    /// of the row's `network` (the first kind when absent, as for trials stored before there was a choice).
    public static func layer(_ params: [String: ParameterValue]) -> String {
        var network = ModelRegistry.names[0]
        if case .string(let name) = params[ParameterSchema.network] { network = name }
        guard let kind = ModelRegistry.kind(named: network) else { return network }
        return kind.label(options: params)
    }

    /// The Regularizer text for one row's parameters.
    public static func regularizer(_ params: [String: ParameterValue]) -> String {
        var parts: [String] = []
        if let dropout = params["dropout"], let rate = dropout.numericValue, rate != 0 {
            parts.append("Dropout(\(dropout))")
        }
        if let recurrent = params["recurrent_dropout"], let rate = recurrent.numericValue, rate != 0 {
            parts.append("RecDropout(\(recurrent))")
        }
        return parts.isEmpty ? "None" : parts.joined(separator: ", ")
    }
}

/// A parameter column of a report.
public enum ParameterColumn: Sendable, Hashable {
    /// One raw parameter key.
    case parameter(String)
    /// `dropout` + `recurrent_dropout`, rendered as `Dropout(0.2), RecDropout(0.1)`.
    case regularizer
    /// `cell` + `bidirectional` (when bidirectional is a row key), rendered as `Bidirectional(LSTM)`.
    case cell
    /// `network` + `cell` + `bidirectional` (when network is a row key), rendered as `MLP`, `LSTM`, ….
    case network

    /// Builds the columns: `keys` in order, with `dropout`/`recurrent_dropout` merged into one Regularizer column
    /// at the first one's position. When `appendRegularizer` (default rows, i.e. no `--rows`) and some trial has a
    /// `dropout` parameter, a Regularizer column is appended even though dropout does not vary — the book's
    /// table states the regularizer of every row.
    public static func columns(keys: [String], allKeys: Set<String>, appendRegularizer: Bool) -> [ParameterColumn] {
        var columns: [ParameterColumn] = []
        let mergesCell = keys.contains("bidirectional")
        let mergesNetwork = keys.contains(ParameterSchema.network)
        let modelKeys: Set = [ParameterSchema.network, "cell", "bidirectional"]
        for key in keys {
            let column: ParameterColumn =
                ParameterDisplay.regularizerKeys.contains(key)
                ? .regularizer
                : mergesNetwork && modelKeys.contains(key)
                    ? .network : mergesCell && (key == "cell" || key == "bidirectional") ? .cell : .parameter(key)
            if !columns.contains(column) { columns.append(column) }
        }
        if appendRegularizer, allKeys.contains("dropout"), !columns.contains(.regularizer) {
            columns.append(.regularizer)
        }
        return columns
    }

    /// The Markdown header.
    public var title: String {
        switch self {
        case .parameter(let key): return ParameterDisplay.header(for: key)
        case .regularizer: return "Regularizer"
        case .cell: return "Cell"
        case .network: return "Network"
        }
    }

    /// The display text of this column for one row's parameters (Markdown escapes `|` on top of it).
    public func text(for parameters: [String: ParameterValue]) -> String {
        switch self {
        case .regularizer: return ParameterDisplay.regularizer(parameters)
        case .cell, .network: return ParameterDisplay.layer(parameters)
        case .parameter(let key): return ParameterDisplay.value(parameters[key], key: key)
        }
    }

    /// Whether every row has a number in this column (numbers are right-aligned and sort numerically).
    public func isNumeric(_ rows: [ReportRow]) -> Bool {
        guard case .parameter(let key) = self else { return false }
        return rows.allSatisfy { $0.parameters[key]?.numericValue != nil }
    }

    /// The raw keys this column stands for in CSV/JSON (`recurrent_dropout` only when some trial has it).
    public func machineKeys(allKeys: Set<String>) -> [String] {
        switch self {
        case .parameter(let key): return [key]
        case .regularizer: return ["dropout", "recurrent_dropout"].filter(allKeys.contains)
        case .cell: return ["cell", "bidirectional"].filter(allKeys.contains)
        case .network: return [ParameterSchema.network, "cell", "bidirectional"].filter(allKeys.contains)
        }
    }
}
