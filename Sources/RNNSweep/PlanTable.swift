extension ExpandedSweep {
    /// The plan as an aligned text table (`#`, id, the varying parameters, seed, and with `memory` each trial's
    /// ``MemoryEstimate``, `!` marking one beyond the limit), followed by `N trials (G grid points × S seeds)`.
    /// Absent optional parameters show as `-`.
    public func planTable(memory: SweepMemory? = nil) -> String {
        // Values are user text (a data_dir, a file's strings): escaped for the terminal (``TerminalText``).
        let header = ["#", "id"] + varyingKeys + ["seed"] + (memory == nil ? [] : ["memory"])
        let rows = trials.map { trial in
            [String(trial.ordinal), trial.id]
                + varyingKeys.map { TerminalText.escapedLine(trial.parameters.value($0)?.description ?? "-") }
                + [String(trial.seed)]
                + (memory.map { memory in
                    [
                        memory.estimates[trial.ordinal].map {
                            MemoryEstimate.format($0.bytes) + (memory.fits(trial) ? "" : " !")
                        } ?? "-"
                    ]
                } ?? [])
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        let lines = ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // Numbers in the first column read best right-aligned.
                return column == 0 ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let seedWord = seeds.count == 1 ? "seed" : "seeds"
        let pointWord = gridPointCount == 1 ? "grid point" : "grid points"
        let trialWord = trials.count == 1 ? "trial" : "trials"
        return (lines + ["\(trials.count) \(trialWord) (\(gridPointCount) \(pointWord) × \(seeds.count) \(seedWord))"])
            .joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}
