import Foundation
import Testing

extension EndToEnd {
    /// `run` on a real terminal (a tmux pane): the live block — one line per worker and the overall line with its
    /// ETA — is redrawn in place, and the summary replaces it at the end.
    @Suite struct LiveViewTests {
        static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        static var enabled: Bool { tmux != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

        /// A private tmux server for one test.
        struct Terminal {
            let tmux: String
            let socket = "rnnsweep-test-\(UUID().uuidString.prefix(8))"

            /// Runs tmux with no descriptor of ours but stdin/stdout/stderr: the server it forks would otherwise
            /// keep the socket by which Foundation learns that its child exited (swift-corelibs-foundation#4795).
            @discardableResult
            func run(_ arguments: [String]) throws -> CommandResult {
                let closeAndExec =
                    #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
                return try CommandProcess(
                    ["-c", closeAndExec, "bash", tmux, "-L", socket] + arguments,
                    in: FileManager.default.temporaryDirectory, executable: URL(fileURLWithPath: "/bin/bash")
                ).wait()
            }

            /// What a user sees in the pane now, one string per row.
            func screen() throws -> [String] {
                try run(["capture-pane", "-p", "-t", "live"]).stdout.split(
                    separator: "\n", omittingEmptySubsequences: false
                )
                .map(String.init)
            }
        }

        @Test(.enabled(if: LiveViewTests.enabled, "tmux is not installed (apt-get install tmux)"))
        func theLiveBlockIsRedrawnInPlace() throws {
            let terminal = Terminal(tmux: try #require(Self.tmux, "CI=true and tmux is missing"))
            let workspace = try SweepWorkspace()
            let sweep = TinySweep(name: "live", samples: 6000, epochs: 6, cells: ["gru", "lstm"], units: [32, 48])
            let file = try workspace.write("live.yaml", sweep.yaml)
            let command = [RNNSweepBinary.url.path, "run", file, "--db", workspace.database.path, "--workers", "2"]
                .map { "'\($0)'" }.joined(separator: " ")
            try terminal.run([
                "new-session", "-d", "-s", "live", "-x", "160", "-y", "24", "\(command); echo EXIT=$?; sleep 300",
            ])
            defer { _ = try? terminal.run(["kill-server"]) }

            // While it runs: both workers' lines and exactly one overall line, however many epochs have passed.
            let live = waitFor("the live block with an ETA") { () -> [String]? in
                guard let rows = try? terminal.screen() else { return nil }
                let workers = rows.filter { $0.contains("worker 1 │") || $0.contains("worker 2 │") }
                let eta = rows.filter {
                    $0.contains("trials done") && $0.contains("ETA") && !$0.contains("first epoch")
                }
                return workers.count == 2 && eta.count == 1 ? rows : nil
            }
            let rows = try #require(live)
            #expect(
                rows.filter { $0.contains("trials done") }.count == 1,
                "redrawn, not scrolled:\n\(rows.joined(separator: "\n"))")
            #expect(!rows.contains { $0.contains(": epoch ") }, "no log line per epoch on a terminal:\n\(rows)")
            let overall = try #require(rows.first { $0.contains("trials done") })
            #expect(
                overall.contains("/4 trials done") && overall.contains("epochs ") && overall.contains("/24"),
                "\(overall)")

            let end = waitFor("the end of the run") { () -> [String]? in
                guard let rows = try? terminal.screen(), rows.contains(where: { $0.hasPrefix("EXIT=") }) else {
                    return nil
                }
                return rows
            }
            let last = try #require(end)
            #expect(last.contains("EXIT=0"), "\(last)")
            #expect(last.contains { $0.hasPrefix("summary: 4 completed") }, "\(last)")
            #expect(!last.contains { $0.contains("trials done") || $0.contains(" │ ") }, "the block is gone:\n\(last)")
        }
    }
}
