import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// Reports and `status` say when results come from several CPU kinds (or versions, or thread counts), name them with
/// their trial counts, and split rows by them on request; rows without provenance are "not recorded", not a kind.
@Suite("Machines in reports and status")
struct MachineReportTests {
    static let xeon = "Intel(R) Xeon(R) Platinum 8480+ (AVX-512 kernels)"
    static let epyc = "AMD EPYC 7763 64-Core Processor (AVX2 kernels)"

    /// The report fixture (4 grid points × 3 seeds) with seeds 1–2 on a Xeon and seed 3 on an EPYC, except the
    /// first trial, which an older rnnsweep ran (no provenance).
    static func mixed() throws -> ReportFixture {
        let fixture = try ReportFixture()
        for point in ReportFixture.grid.indices {
            for index in ReportFixture.seeds.indices {
                let machine = index == 2 ? TestMachine.epyc() : TestMachine.xeon()
                try fixture.store.setProvenance(
                    sweep: fixture.sweep, trial: ReportFixture.trialID(point, index),
                    point == 0 && index == 0 ? nil : machine)
            }
        }
        return fixture
    }

    static let cpuWarning =
        "trials from 2 CPU kinds: \(xeon): 7 trials, \(epyc): 4 trials; not recorded: 1 trial — the same seed gives "
        + "other last digits on each; `report --rows units,optimizer,cpu` splits the rows by it"

    @Test func theSummaryNamesEachKindWithItsTrials() throws {
        let fixture = try Self.mixed()
        let summary = MachineSummary(trials: try fixture.store.trials(sweep: fixture.sweep))
        #expect(summary.recorded == 11 && summary.notRecorded == 1)
        #expect(summary.distinct[.cpu] == 2 && summary.distinct[.build] == 1 && summary.distinct[.host] == 2)
        #expect(summary.mixedAspects == [.cpu], "other hosts alone are no reason to warn")
        #expect(summary.warnings(rowKeys: ["units", "optimizer"]) == [Self.cpuWarning])
        #expect(summary.warnings(shown: ["cpu"], rowKeys: ["units", "cpu"]).isEmpty)
        #expect(
            summary.description
                == "CPU \(Self.xeon): 7 trials, \(Self.epyc): 4 trials; build rnnsweep 0.6.0 (commit 1a2b3c4), "
                + "oneDNN 3.5.3; 1 thread; hosts xeon-1: 7 trials, epyc-1: 4 trials; not recorded: 1 trial")
    }

    @Test func oneKindIsNoWarningAndNotRecordedIsNoKind() throws {
        let fixture = try ReportFixture()
        let trials = { try fixture.store.trials(sweep: fixture.sweep) }
        #expect(MachineSummary(trials: try trials()).description == "not recorded")
        for (offset, trial) in try trials().enumerated() {
            try fixture.store.setProvenance(
                sweep: fixture.sweep, trial: trial.id, offset == 0 ? nil : TestMachine.xeon())
        }
        let summary = MachineSummary(trials: try trials())
        #expect(summary.warnings(rowKeys: []).isEmpty)
        #expect(
            summary.description
                == "CPU \(Self.xeon); build rnnsweep 0.6.0 (commit 1a2b3c4), oneDNN 3.5.3; 1 thread; "
                + "host xeon-1 (11 trials); not recorded: 1 trial")
        #expect(try fixture.table().machineWarnings.isEmpty)
        #expect(!MarkdownRenderer().render(try fixture.table()).contains("Warning"))
    }

    @Test func versionsAndThreadCountsWarnToo() throws {
        let fixture = try ReportFixture()
        let newer = BuildIdentity(version: "0.6.1", commit: nil, dirty: false)
        for (offset, trial) in try fixture.store.trials(sweep: fixture.sweep).enumerated() {
            let machine = offset < 10 ? TestMachine.xeon() : TestMachine.xeon(threads: 2, build: newer)
            try fixture.store.setProvenance(sweep: fixture.sweep, trial: trial.id, machine)
        }
        let warnings = try fixture.table().machineWarnings
        #expect(warnings.count == 2)
        #expect(
            warnings.first?.hasPrefix(
                "trials from 2 versions: rnnsweep 0.6.0 (commit 1a2b3c4), oneDNN 3.5.3: 10 trials, rnnsweep 0.6.1 "
                    + "(commit unknown), oneDNN 3.5.3: 2 trials — ") == true, "\(warnings)")
        #expect(
            warnings.last?.hasPrefix("trials from 2 thread counts: 1 thread: 10 trials, 2 threads: 2 trials") == true)
    }

    @Test func everyFormatSaysIt() throws {
        let fixture = try Self.mixed()
        let table = try fixture.table()
        #expect(table.machineWarnings == [Self.cpuWarning])
        #expect(table.machineColumns == ["cpu"])
        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.hasSuffix("\n**Warning:** \(Self.cpuWarning)\n"), "\(markdown)")

        let csv = parseReportCSV(CSVRenderer().render(table))
        #expect(csv[0].last == "cpu")
        #expect(csv[1].last == "\(Self.xeon): 1 trial, \(Self.epyc): 1 trial, not recorded: 1 trial")
        #expect(csv[2].last == "\(Self.xeon): 2 trials, \(Self.epyc): 1 trial")

        let json = try JSONSerialization.jsonObject(with: Data(try JSONRenderer().render(table).utf8))
        let rows = try #require(json as? [[String: Any]])
        #expect(rows.map { $0["cpu"] as? String }.allSatisfy { $0?.contains(Self.epyc) == true })

        let page = HTMLRenderer().render(table, source: try ReportSource.load(store: fixture.store, sweepName: "book"))
        #expect(page.contains("<p class=\"warning\"><strong>Warning: </strong>trials from 2 CPU kinds: "))
        #expect(page.contains("<dd id=\"machine\">CPU \(Self.xeon): 7 trials, \(Self.epyc): 4 trials; build"))

        let status = try SweepStatus.render(store: fixture.store, sweep: "book")
        #expect(status.contains("\nwarning: trials from 2 CPU kinds: \(Self.xeon): 7 trials, "), "\(status)")
        #expect(status.contains("\nmachine: CPU \(Self.xeon): 7 trials, "), "\(status)")
    }

    @Test func rowsSplitByCPUKindOnRequest() throws {
        let fixture = try Self.mixed()
        let table = try fixture.table(ReportOptions(rows: ["units", "optimizer", "cpu"]))
        #expect(table.machineWarnings.isEmpty && table.machineColumns.isEmpty, "the CPU column says it")
        #expect(table.rows.count == 9)
        #expect(
            table.rows.prefix(3).map { $0.parameters["cpu"] } == [
                .string("not recorded"), .string(Self.xeon), .string(Self.epyc),
            ])
        #expect(table.rows.map(\.trialCount) == [1, 1, 1, 2, 1, 2, 1, 2, 1])
        let markdown = MarkdownRenderer().render(table)
        #expect(markdown.contains("| Units | Optimizer | CPU "), "\(markdown)")
        #expect(!markdown.contains("Warning"))
        // Rows stay grid points (as with any --rows): a machine key only splits them further.
        let byHost = try fixture.table(ReportOptions(rows: ["host"]))
        #expect(byHost.rows.map(\.trialCount) == [1, 1, 1, 2, 1, 2, 1, 2, 1])
        #expect(
            byHost.rows.prefix(3).map { $0.parameters["host"] } == [
                .string("not recorded"), .string("xeon-1"), .string("epyc-1"),
            ])
        let hint = Self.cpuWarning.replacingOccurrences(of: "units,optimizer,cpu", with: "host,cpu")
        #expect(byHost.machineWarnings == [hint])
        let byThreads = try fixture.table(ReportOptions(rows: ["threads"]))
        #expect(
            byThreads.rows.map { $0.parameters["threads"] } == [
                .string("not recorded"), .int(1), .int(1), .int(1), .int(1),
            ])
        #expect(MarkdownRenderer().render(byThreads).contains("| Threads "))
    }

    @Test func whereFiltersByMachine() throws {
        let fixture = try Self.mixed()
        let epyc = try fixture.table(ReportOptions(filters: [ReportFilter(key: "cpu", value: Self.epyc.uppercased())]))
        #expect(epyc.rows.map(\.trialCount) == [1, 1, 1, 1])
        #expect(epyc.machineWarnings.isEmpty, "the filtered results come from one kind")
        let host = try fixture.table(ReportOptions(filters: [ReportFilter(key: "host", value: "xeon-1")]))
        #expect(host.rows.map(\.trialCount) == [1, 2, 2, 2])
    }

    @Test func aResumedTrialCountsUnderItsChainAndMakesBothKinds() throws {
        let fixture = try ReportFixture()
        let trials = try fixture.store.trials(sweep: fixture.sweep)
        for trial in trials {
            try fixture.store.setProvenance(sweep: fixture.sweep, trial: trial.id, TestMachine.xeon())
        }
        let resume = ProvenanceResume(fromEpoch: 2, provenance: TestMachine.epyc())
        let json = String(decoding: try JSONEncoder().encode([resume]), as: UTF8.self)
        try fixture.store.pool.write { db in
            try db.execute(sql: "UPDATE trials SET resumed_on = ? WHERE id = ?", arguments: [json, trials[0].id])
        }
        let table = try fixture.table()
        #expect(table.machines.distinct[.cpu] == 2)
        #expect(
            table.machineWarnings.first?.hasPrefix(
                "trials from 2 CPU kinds: \(Self.xeon): 11 trials, \(Self.xeon) → \(Self.epyc): 1 trial — ") == true)
        let byKind = try fixture.table(ReportOptions(rows: ["cpu"]))
        #expect(byKind.rows.map(\.trialCount) == [1, 2, 3, 3, 3])
        #expect(byKind.rows[0].parameters["cpu"] == .string("\(Self.xeon) → \(Self.epyc)"))
    }

    @Test func aTrialStartedByAnOlderRnnsweepReadsNotRecordedThenWhereItResumed() throws {
        let fixture = try ReportFixture()
        let trials = try fixture.store.trials(sweep: fixture.sweep)
        for trial in trials.dropFirst() {
            try fixture.store.setProvenance(sweep: fixture.sweep, trial: trial.id, TestMachine.xeon())
        }
        let json = String(
            decoding: try JSONEncoder().encode([ProvenanceResume(fromEpoch: 2, provenance: TestMachine.xeon())]),
            as: UTF8.self)
        try fixture.store.pool.write { db in
            try db.execute(sql: "UPDATE trials SET resumed_on = ? WHERE id = ?", arguments: [json, trials[0].id])
        }
        let first = try #require(try fixture.store.trials(sweep: fixture.sweep).first)
        #expect(MachineAspect.cpu.parts(first) == ["not recorded", Self.xeon])
        // One recorded kind, so no warning: "not recorded" is no kind of its own.
        let table = try fixture.table()
        #expect(table.machines.distinct[.cpu] == 1 && table.machineWarnings.isEmpty)
        #expect(table.machines.groups[.cpu]?.map(\.label) == [Self.xeon, "not recorded → \(Self.xeon)"])
    }

    @Test func machineKeysAreNoParameterNames() {
        #expect(MachineAspect.keys.isDisjoint(with: ParameterSchema.names))
    }
}
