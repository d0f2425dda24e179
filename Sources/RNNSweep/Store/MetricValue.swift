import GRDB

/// Stores an optional metric so that NaN, ±infinity and "missing" stay distinct.
///
/// SQLite turns a bound NaN into NULL, so NaN is stored as the TEXT `'NaN'` in the otherwise REAL column;
/// ±infinity is a REAL (SQLite keeps it, the `sqlite3` shell prints `Inf`/`-Inf`); NULL means missing.
/// In SQL, `typeof(col)` is `'real'`, `'text'` (NaN) or `'null'`.
public enum MetricValue {
    /// The text stored for NaN.
    public static let nanText = "NaN"

    /// The value to bind for `value`.
    public static func databaseValue(_ value: Double?) -> DatabaseValue {
        guard let value else { return .null }
        return value.isNaN ? nanText.databaseValue : value.databaseValue
    }

    /// Decodes a stored metric; throws on text other than `'NaN'` or a blob (a hand-edited or corrupt row).
    public static func decode(_ dbValue: DatabaseValue, column: String) throws -> Double? {
        switch dbValue.storage {
        case .null: return nil
        case .int64(let int): return Double(int)
        case .double(let double): return double
        case .string(let text) where text == nanText: return .nan
        case .string(let text): throw MetricsStoreError.badMetric(column: column, stored: text)
        case .blob: throw MetricsStoreError.badMetric(column: column, stored: "<blob>")
        }
    }

    /// Reads column `column` of `row` as a metric.
    public static func read(_ row: Row, _ column: String) throws -> Double? {
        try decode(row[column] as DatabaseValue? ?? .null, column: column)
    }
}
