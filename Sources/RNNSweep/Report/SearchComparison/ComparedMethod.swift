import Foundation

/// One search method of a comparison (`--searches 'random=s1,s2,s3'`): a label and the sweeps that ran it, one per
/// sampler seed, in the order given.
public struct ComparedMethod: Sendable, Equatable {
    public var label: String
    public var sweeps: [String]

    public init(label: String, sweeps: [String]) {
        self.label = label
        self.sweeps = sweeps
    }

    /// Parses `LABEL=SWEEP[,SWEEP…]`; spaces around names are dropped.
    public static func parse(_ text: String) throws -> ComparedMethod {
        guard let equals = text.firstIndex(of: "=") else { throw SearchComparisonError.badMethod(text) }
        let label = text[..<equals].trimmingCharacters(in: .whitespaces)
        let sweeps = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !label.isEmpty, !sweeps.contains(where: \.isEmpty) else { throw SearchComparisonError.badMethod(text) }
        return ComparedMethod(label: label, sweeps: sweeps)
    }

    /// Refuses a label or a sweep given twice: each sweep is one sampler seed of one method.
    public static func checkDistinct(_ methods: [ComparedMethod]) throws {
        guard !methods.isEmpty else { throw SearchComparisonError.noMethods }
        var labels: [String] = []
        var owners: [String: String] = [:]
        for method in methods {
            if labels.contains(method.label) { throw SearchComparisonError.duplicateLabel(method.label) }
            labels.append(method.label)
            for sweep in method.sweeps {
                if let owner = owners[sweep] {
                    throw SearchComparisonError.duplicateSweep(sweep, labels: [owner, method.label])
                }
                owners[sweep] = method.label
            }
        }
    }
}
