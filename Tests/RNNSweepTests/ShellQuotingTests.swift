import Testing

@testable import RNNSweep

@Suite("Shell quoting of the recorded command")
struct ShellQuotingTests {
    @Test func quotesOnlyWhatNeedsIt() {
        #expect(ShellQuoting.quote("Experiments/table-1.5.1.yaml") == "Experiments/table-1.5.1.yaml")
        #expect(ShellQuoting.quote("--workers=2") == "--workers=2")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("my sweep.yaml") == "'my sweep.yaml'")
        #expect(ShellQuoting.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.quote("$HOME;rm") == "'$HOME;rm'")
        #expect(
            ShellQuoting.commandLine([".build/release/rnnsweep", "run", "a b.yaml", "--workers", "2"])
                == ".build/release/rnnsweep run 'a b.yaml' --workers 2")
    }
}
