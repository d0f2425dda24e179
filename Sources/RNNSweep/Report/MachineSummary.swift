import RNNTraining

/// Which CPU kinds, versions, thread counts and hosts a set of trials' results come from (their recorded
/// ``Provenance``), and the warnings `status` and every report format give when the results mix them.
///
/// Only trials with results count (an epoch or test metrics: what a table shows). The same seed gives other last
/// digits on another CPU kind (oneDNN and the C kernels pick AVX-512 or AVX2 code at load time), another build or
/// another thread count, so a table that mixes them compares more than its parameters; the host alone changes
/// nothing and only informs. Trials whose provenance was not recorded (an older rnnsweep) are counted apart and
/// are never a kind of their own. A trial resumed with other bits counts once, under its chain (`A → B`), and makes
/// both A and B kinds of the sweep.
public struct MachineSummary: Sendable, Equatable {
    /// A value of one aspect and how many trials have it.
    public struct Group: Sendable, Equatable {
        public var label: String
        public var trials: Int
    }

    /// Per aspect, the labels of the recorded trials, most trials first (first appearance on ties).
    public var groups: [MachineAspect: [Group]] = [:]
    /// Per aspect, the distinct recorded values (every part of a resumed trial).
    public var distinct: [MachineAspect: Int] = [:]
    /// Trials with results and provenance.
    public var recorded = 0
    /// Trials with results whose start was not recorded and that were never resumed by a recording rnnsweep.
    public var notRecorded = 0

    public init(trials: [TrialRow]) {
        let shown = trials.filter(\.hasResults)
        let known = shown.filter { $0.provenance != nil || !$0.resumedOn.isEmpty }
        recorded = known.count
        notRecorded = shown.count - known.count
        for aspect in MachineAspect.allCases {
            var counts: [String: Int] = [:]
            var order: [String] = []
            var values = Set<String>()
            for trial in known {
                let parts = aspect.parts(trial)
                let label = parts.joined(separator: " → ")
                if counts[label] == nil { order.append(label) }
                counts[label, default: 0] += 1
                values.formUnion(parts.filter { $0 != MachineAspect.notRecorded })
            }
            let ranked = order.enumerated().sorted { a, b in
                counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
            }
            groups[aspect] = ranked.map { Group(label: $0.element, trials: counts[$0.element]!) }
            distinct[aspect] = values.count
        }
    }

    /// The aspects that give the results more than one set of bits (CPU kind, version, thread count).
    public var mixedAspects: [MachineAspect] {
        [.cpu, .build, .threads].filter { (distinct[$0] ?? 0) > 1 }
    }

    /// One warning per mixed aspect not in `shown` (a column that shows it already tells the reader), e.g.
    /// "trials from 2 CPU kinds: A (AVX-512 kernels): 4 trials, B (AVX2 kernels): 2 trials — the same seed gives
    /// other last digits on each; `report --rows cell,units,cpu` splits the rows by it". `rowKeys` are the
    /// report's row keys, for the hint.
    public func warnings(shown: Set<String> = [], rowKeys: [String]) -> [String] {
        mixedAspects.filter { !shown.contains($0.rawValue) }.map { aspect in
            var text = "trials from \(aspect.counted(distinct[aspect]!)): " + list(aspect)
            if notRecorded > 0 { text += "; \(MachineAspect.notRecorded): \(Self.trials(notRecorded))" }
            let hint = rowKeys.filter { $0 != aspect.rawValue } + [aspect.rawValue]
            return text + " — the same seed gives other last digits on each; `report --rows "
                + "\(hint.joined(separator: ","))` splits the rows by it"
        }
    }

    /// One line for the machine the trials ran on: `CPU A (AVX-512 kernels); build rnnsweep 0.6.0 (commit abc),
    /// oneDNN 2.6.3; 1 thread; host vm (6 trials)` — counts where an aspect has several values (`threads` then
    /// reads `1 thread: 4 trials, 2 threads: 2 trials`), `not recorded` when no trial recorded anything.
    public var description: String {
        guard recorded > 0 else { return SweepProvenance.notRecorded }
        let oneHost = groups[.host]?.count == 1
        var parts = [
            "CPU \(list(.cpu))", "build \(list(.build))", list(.threads),
            oneHost ? "host \(list(.host)) (\(Self.trials(recorded)))" : "hosts \(list(.host))",
        ]
        if notRecorded > 0 { parts.append("\(MachineAspect.notRecorded): \(Self.trials(notRecorded))") }
        return parts.joined(separator: "; ")
    }

    /// A row's cell in the column CSV and JSON add for a mixed `aspect`: its one value, or each value with its
    /// count (`A: 2 trials, B: 1 trial`), `not recorded` counted like a value; `not run` when no trial has results.
    public func cell(_ aspect: MachineAspect) -> String {
        var groups = groups[aspect] ?? []
        if notRecorded > 0 { groups.append(Group(label: MachineAspect.notRecorded, trials: notRecorded)) }
        if groups.isEmpty { return MachineAspect.notRun }
        if groups.count == 1 { return groups[0].label }
        return groups.map { "\($0.label): \(Self.trials($0.trials))" }.joined(separator: ", ")
    }

    /// `A` when all recorded trials agree, else `A: 4 trials, B: 2 trials`.
    private func list(_ aspect: MachineAspect) -> String {
        let groups = groups[aspect] ?? []
        if groups.count == 1 { return aspect.prose(groups[0].label) }
        return groups.map { "\(aspect.prose($0.label)): \(Self.trials($0.trials))" }.joined(separator: ", ")
    }

    static func trials(_ n: Int) -> String { n == 1 ? "1 trial" : "\(n) trials" }
}
