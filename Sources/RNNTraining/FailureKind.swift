extension TrainingEvent.Failure {
    /// What kind of failure a worker's `error` event reports, typed so the coordinator judges it without matching
    /// strings. On the wire it is the same string as ever (`diverged`, `disk_full`, …); a kind this version does not
    /// know (a newer worker's) decodes as `other`, so an old or new events file still reads.
    public enum Kind: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// A non-finite loss.
        case diverged
        case data
        case configuration
        case checkpoint
        /// The disk is full: the machine's condition, not the trial's.
        case diskFull
        /// A folder cannot be written: the machine's condition, not the trial's.
        case unwritable
        case `internal`
        case other(String)

        public init(rawValue: String) {
            self =
                switch rawValue {
                case "diverged": .diverged
                case "data": .data
                case "configuration": .configuration
                case "checkpoint": .checkpoint
                case "disk_full": .diskFull
                case "unwritable": .unwritable
                case "internal": .internal
                default: .other(rawValue)
                }
        }

        public init(stringLiteral value: String) { self.init(rawValue: value) }

        /// The string workers write.
        public var rawValue: String {
            switch self {
            case .diverged: "diverged"
            case .data: "data"
            case .configuration: "configuration"
            case .checkpoint: "checkpoint"
            case .diskFull: "disk_full"
            case .unwritable: "unwritable"
            case .internal: "internal"
            case .other(let raw): raw
            }
        }

        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws {
            self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }
}
