import Foundation

/// When a run must end: `--until HH:MM` (the next such local time, or a full local `YYYY-MM-DDTHH:MM`) or
/// `--budget 6h` (a duration from the run's start), from the command line or the experiment file's top-level
/// `until:` / `budget:` (the command line wins). Parsed here only, once; the run turns it into an instant when it
/// begins (``instant(start:calendar:)``).
public enum DeadlineSpec: Sendable, Hashable {
    /// A wall-clock time of day: the next one after the run's start.
    case timeOfDay(hour: Int, minute: Int)
    /// A full local date and time.
    case date(Date)
    /// Seconds from the run's start.
    case budget(seconds: Double)

    /// Why a deadline text was refused; the message names what is expected.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a duration: one or more `<integer><unit>` with units `h`, `m`, `s` in that order (`90s`, `45m`, `6h`,
    /// `1h30m`); zero is refused (a run that may start nothing).
    public static func budget(_ text: String) throws(ParseError) -> DeadlineSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var seconds = 0
        var digits = ""
        var lastUnit = -1
        var sawUnit = false
        let units: [Character: (rank: Int, seconds: Int)] = ["h": (0, 3600), "m": (1, 60), "s": (2, 1)]
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits), unit.rank > lastUnit {
                let (product, overflow) = value.multipliedReportingOverflow(by: unit.seconds)
                guard !overflow else { throw ParseError(message: "'\(text)' is too long") }
                seconds += product
                lastUnit = unit.rank
                digits = ""
                sawUnit = true
            } else {
                throw ParseError(message: "'\(text)' is not a duration such as 90s, 45m, 6h or 1h30m")
            }
        }
        guard sawUnit, digits.isEmpty else {
            throw ParseError(message: "'\(text)' is not a duration such as 90s, 45m, 6h or 1h30m")
        }
        guard seconds > 0 else { throw ParseError(message: "'\(text)' is zero: nothing could start") }
        return .budget(seconds: Double(seconds))
    }

    /// Parses `HH:MM` (24-hour, the next such local time) or `YYYY-MM-DDTHH:MM` (local), refusing a full date
    /// that is not after `now`.
    public static func until(_ text: String, now: Date = Date(), calendar: Calendar = .current) throws(ParseError)
        -> DeadlineSpec
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let clock = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        if clock.count == 2, clock[0].count <= 2, clock[1].count == 2, let hour = Int(clock[0]),
            let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        {
            return .timeOfDay(hour: hour, minute: minute)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        guard let date = formatter.date(from: trimmed) else {
            throw ParseError(message: "'\(text)' is not a local time HH:MM (e.g. 07:00) or YYYY-MM-DDTHH:MM")
        }
        guard date > now else { throw ParseError(message: "'\(text)' is in the past") }
        return .date(date)
    }

    /// The deadline of a run that starts at `start`.
    public func instant(start: Date, calendar: Calendar = .current) -> Date {
        switch self {
        case .budget(let seconds): return start.addingTimeInterval(seconds)
        case .date(let date): return date
        case .timeOfDay(let hour, let minute):
            return calendar.nextDate(
                after: start, matching: DateComponents(hour: hour, minute: minute, second: 0),
                matchingPolicy: .nextTime)!
        }
    }

    /// `07:00`, `2026-12-08T07:00` or `6h` (the deadline line of the run's end).
    public var label: String {
        switch self {
        case .timeOfDay(let hour, let minute): return String(format: "%02d:%02d", hour, minute)
        case .date(let date):
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            return formatter.string(from: date)
        case .budget(let seconds): return "budget " + PlanEstimate.duration(seconds)
        }
    }
}
