import RNNCore

/// Metrics in events' JSON: one number per `MetricKey.recordName` (`loss`, `val_mae`, `test_accuracy`), the
/// split's metrics that were measured and no others.
extension KeyedDecodingContainer where Key == NameKey {
    /// The metrics of `split` present in the object; its loss must be (every split a model is evaluated on has one).
    func decodeMetrics(_ split: MetricSplit, requiringLoss: Bool) throws -> [Metric: Double] {
        var metrics: [Metric: Double] = [:]
        for metric in Metric.allCases {
            let key = NameKey(MetricKey(split, metric).recordName)
            if let value = try decodeIfPresent(Double.self, forKey: key) { metrics[metric] = value }
        }
        if requiringLoss && metrics[.loss] == nil {
            let name = MetricKey(split, .loss).recordName
            throw DecodingError.keyNotFound(
                NameKey(name), .init(codingPath: codingPath, debugDescription: "no \(name)"))
        }
        return metrics
    }
}

extension KeyedEncodingContainer where Key == NameKey {
    mutating func encode(_ metrics: [Metric: Double], split: MetricSplit) throws {
        for (metric, value) in metrics { try encode(value, forKey: NameKey(MetricKey(split, metric).recordName)) }
    }
}
