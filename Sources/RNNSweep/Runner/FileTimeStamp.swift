import Foundation

/// A UTC time in file names (`20261207T134309Z`): sorts as it reads, and means the same on every machine.
enum FileTimeStamp {
    static func utc(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
