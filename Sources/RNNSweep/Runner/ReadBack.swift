import Foundation

/// A run never reports success over a database it cannot read back: a fresh reader opens the file and finds every
/// completed trial's epochs.
enum ReadBack {
    /// What is wrong with the sweep's database as a fresh reader sees it, or nil when nothing is.
    static func problem(database: URL, sweep: SweepID) -> String? {
        do {
            let check = try MetricsStore.openExisting(at: database, waiting: { _ in })
            let holes = try check.epochHoles(sweep: sweep)
            if !holes.isEmpty {
                return "completed trials miss epochs: " + holes.map(\.description).joined(separator: "; ")
            }
            return nil
        } catch {
            return "the database cannot be read back after the run: \(error)"
        }
    }
}
