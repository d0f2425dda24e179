/// POSIX shell quoting, for recording a command line so that pasting it into a shell runs the same command.
public enum ShellQuoting {
    /// Characters that never need quoting in `sh`.
    static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-")

    /// One word: as is when it has only safe characters, else in single quotes, each `'` written `'\''`.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `arguments` (e.g. `CommandLine.arguments`) as one line: each word quoted, separated by spaces.
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }
}
