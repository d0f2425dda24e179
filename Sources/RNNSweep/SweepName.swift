import Foundation

/// What a sweep may be named: the name is a folder name under the results folder (`<db stem>.runs/<name>`), so
/// nothing that could climb out of it.
public enum SweepName {
    /// Why `name` cannot name a sweep, nil when it can.
    public static func problem(_ name: String) -> String? {
        guard name.range(of: "^[A-Za-z0-9._-]{1,100}$", options: .regularExpression) != nil, name != ".", name != ".."
        else {
            return "'\(name)' must be 1 to 100 letters, digits, '.', '_' and '-', and not '.' or '..'"
        }
        return nil
    }
}
