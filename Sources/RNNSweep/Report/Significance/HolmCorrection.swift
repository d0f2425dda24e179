/// Holm's step-down correction for m simultaneous tests (Holm 1979): it controls the family-wise error rate
/// at α like Bonferroni's, and rejects at least as often.
public enum HolmCorrection {
    /// Holm-adjusted p-values, in the order given: with p₍₁₎ ≤ … ≤ p₍ₘ₎,
    /// p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1) p₍ⱼ₎). Hypothesis i is rejected at level α when p̃ᵢ ≤ α, which is the
    /// step-down rule "reject while p₍ᵢ₎ ≤ α/(m − i + 1)". Ties keep their input order (the result is the same).
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var result = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            result[index] = running
        }
        return result
    }
}
