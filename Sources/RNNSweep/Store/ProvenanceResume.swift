import RNNTraining

/// One entry of `trials.resumed_on`: a resume from the checkpoint after `fromEpoch` that ran with other result bits
/// than the attempt before it (another CPU kind, build or thread count), so epochs after `fromEpoch` come from
/// `provenance`. Stored flat: `from_epoch` beside the ``Provenance`` keys.
public struct ProvenanceResume: Codable, Sendable, Equatable {
    public var fromEpoch: Int
    public var provenance: Provenance

    public init(fromEpoch: Int, provenance: Provenance) {
        self.fromEpoch = fromEpoch
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case fromEpoch = "from_epoch"
    }

    public init(from decoder: any Decoder) throws {
        fromEpoch = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .fromEpoch)
        provenance = try Provenance(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fromEpoch, forKey: .fromEpoch)
        try provenance.encode(to: encoder)
    }

    /// What changed from `before` to this resume, for the trial's note: `resumed after epoch 3 on HOST with other
    /// result bits: CPU A (AVX-512 kernels) → B (AVX2 kernels)` (only the parts that differ).
    func note(after before: Provenance) -> String {
        var changes: [String] = []
        if before.cpuKind != provenance.cpuKind { changes.append("CPU \(before.cpuKind) → \(provenance.cpuKind)") }
        if before.software != provenance.software {
            changes.append("version \(before.software) → \(provenance.software)")
        }
        if before.threads != provenance.threads {
            changes.append("threads \(before.threads) → \(provenance.threads)")
        }
        return
            "resumed after epoch \(fromEpoch) on \(provenance.host) (before: \(before.host)) with other result bits: "
            + changes.joined(separator: "; ")
    }
}
