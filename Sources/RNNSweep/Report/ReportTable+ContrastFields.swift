import RNNTraining

/// The marks as machine fields, for CSV and JSON.
extension BestContrast {
    /// The machine names CSV and JSON give the contrast of each row, in column order.
    public static let fieldNames = ["diff_vs_best", "ci95_low", "ci95_high", "seeds_for_80_power", "at_chance"]
}

extension ReportTable {
    /// Row `index`'s values of ``BestContrast/fieldNames``: the difference and interval as fractions (nil for the
    /// best row and rows not compared), the seeds for 80 % power only for a row the seeds cannot tell from the best,
    /// and whether it is at chance (nil when the table compares no test accuracy or the chance rate is unknown).
    public func contrastFields(row index: Int) -> [ParameterValue?] {
        let row = rows[index]
        let contrast = row.contrast
        let chanceKnown = significance?.metric == .testAccuracy && row.chanceLevel != nil
        return [
            contrast.map { .double($0.difference) }, contrast.map { .double($0.low) },
            contrast.map { .double($0.high) },
            row.versusBest.isUnresolved ? contrast?.seedsFor80Power.map(ParameterValue.int) : nil,
            chanceKnown ? .bool(isAtChance(row: index)) : nil,
        ]
    }
}
