import Testing

@testable import RNNSweep

@Suite("Terminal text")
struct TerminalTextTests {
    @Test func controlCharactersAreEscapedAndOtherTextIsKept() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(
            TerminalText.escaped("bell\u{07} cr\r del\u{7F} c1\u{9B}") == "bell\\u{7} cr\\u{D} del\\u{7F} c1\\u{9B}")
        #expect(TerminalText.escaped("left \u{202E}right\u{2066}") == "left \\u{202E}right\\u{2066}")
        #expect(TerminalText.escaped("two\nlines\tand tab") == "two\nlines\tand tab")
        #expect(TerminalText.escaped("Ünïcode × — 漢字 🙂") == "Ünïcode × — 漢字 🙂")
        #expect(TerminalText.escapedLine("cell\nwith\ttab\u{1B}") == "cell\\nwith\\ttab\\u{1B}")
    }
}
