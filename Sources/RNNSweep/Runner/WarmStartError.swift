/// Why a sweep's warm start could not be read: nothing was registered or trained.
public enum WarmStartError: Error, CustomStringConvertible, Equatable {
    /// A sweep named in `warm_start:` is not in the database (`known`: the sweeps it has).
    case unknownSweep(name: String, file: String, position: SourcePosition, database: String, known: [String])
    case store(String)

    public var description: String {
        switch self {
        case .unknownSweep(let name, let file, let position, let database, let known):
            "\(file):\(position): search: warm_start: no sweep named '\(name)' in \(database)"
                + (known.isEmpty ? " (it has no sweeps)" : " (its sweeps: \(known.joined(separator: ", ")))")
        case .store(let message): "warm start: database: \(message)"
        }
    }
}
