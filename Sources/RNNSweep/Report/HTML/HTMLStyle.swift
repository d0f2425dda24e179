/// The page's only stylesheet, inline. Status marks are generated from ``ReportTone``, one rule set per tone.
enum HTMLStyle {
    /// Text and background colours of a tone's badge, and the colour of a marked row's left border.
    static func colors(_ tone: ReportTone) -> (text: String, background: String) {
        switch tone {
        case .ok: return ("#1a7f37", "#dafbe1")
        case .inProgress: return ("#175cd3", "#eff8ff")
        case .pruned: return ("#59636e", "#f6f8fa")
        case .warning: return ("#b54708", "#fffaeb")
        case .error: return ("#b42318", "#fef3f2")
        }
    }

    static var css: String {
        let tones = ReportTone.allCases.map { tone in
            let (text, background) = colors(tone)
            let badge = ".badge.tone-\(tone.rawValue){color:\(text);background:\(background);border-color:\(text)}"
            // Completed rows stay unmarked; every other tone marks its row and its chart.
            guard tone != .ok else { return badge }
            return badge + """

                tr.tone-\(tone.rawValue) td:first-child{box-shadow:inset 4px 0 \(text)}
                figure.tone-\(tone.rawValue){border-color:\(text)}
                """
        }
        return base + tones.joined(separator: "\n")
    }

    static let base = """
        :root{--train:#1f77b4;--val:#d95f02;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--mark:#0b5cad}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);
        margin:24px auto;max-width:1320px;padding:0 24px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
        .description{margin:0 0 6px;color:var(--muted)}.caption{margin:0 0 12px}
        .footnote,.note-text{color:var(--muted);font-size:13px;max-width:980px}
        .warning{color:#b54708;background:#fffaeb;border-left:4px solid #b54708;padding:6px 10px;max-width:980px}
        table.report{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0 8px}
        table.report th,table.report td{padding:5px 12px;border-bottom:1px solid var(--line);text-align:left;
        white-space:nowrap}
        table.report th{cursor:pointer;user-select:none;background:#f6f8fa;border-bottom:2px solid var(--line)}
        table.report th::after{content:" \\2195";color:#8c959f;font-size:12px}
        table.report th[aria-sort=ascending]::after{content:" \\2191";color:var(--ink)}
        table.report th[aria-sort=descending]::after{content:" \\2193";color:var(--ink)}
        table.report .num{text-align:right}
        table.report td.marked{font-weight:700;color:var(--mark)}
        table.report td.missing{color:var(--muted);font-style:italic}
        .badge{display:inline-block;padding:0 7px;border:1px solid;border-radius:10px;font-size:12.5px;
        line-height:18px}
        .multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(390px,1fr));gap:10px}
        figure{margin:0;padding:6px 8px 2px;border:1px solid var(--line);border-radius:6px}
        figcaption{font-size:13px;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
        figcaption .label{font-weight:600}figcaption .seeds{color:var(--muted)}
        svg.chart{display:block;width:100%;height:auto}
        svg text{font-family:inherit;fill:var(--ink)}
        .tick-label{font-size:10px;fill:var(--muted)}.axis-label{font-size:10.5px;fill:var(--muted)}
        .panel-title{font-size:11px;font-weight:600}.note{font-size:11px;fill:var(--muted);font-style:italic}
        .axis{stroke:#8c959f;stroke-width:1;fill:none}.grid{stroke:#eaeef2;stroke-width:1;fill:none}
        path.train,path.val{fill:none;stroke-width:1.8;stroke-linejoin:round}
        path.train{stroke:var(--train)}path.val{stroke:var(--val);stroke-dasharray:5 3}
        .train-band{fill:var(--train);opacity:.18}.val-band{fill:var(--val);opacity:.16}
        .train-dot{fill:var(--train)}.val-dot{fill:var(--val)}
        .legend{display:flex;gap:22px;font-size:13px;margin:0 0 8px;flex-wrap:wrap;color:var(--muted)}
        .key{display:inline-block;width:26px;height:0;border-top:2px solid;vertical-align:middle;margin-right:6px}
        .key.train{border-color:var(--train)}.key.val{border-color:var(--val);border-top-style:dashed}
        .key.band{height:10px;border:0;background:var(--train);opacity:.25}
        .dot{fill:#8c959f}.dot.marked{fill:var(--mark)}
        .error-bar{stroke:#8c959f;stroke-width:1.5;fill:none}.error-bar.marked{stroke:var(--mark)}
        .row-label{font-size:12px}.row-label.marked{font-weight:700;fill:var(--mark)}
        svg.dots{max-width:820px}
        dl.provenance{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}
        dl.provenance dt{font-weight:600}dl.provenance dd{margin:0}
        pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0;
        overflow:auto;font-size:13px;white-space:pre-wrap}
        .missing{color:var(--muted);font-style:italic}
        table.confusion th,table.confusion td{padding:3px 8px;cursor:default}
        table.confusion th::after{content:none}table.confusion td.diagonal{font-weight:700}
        table.by-class th{cursor:default}table.by-class th::after{content:none}
        details{margin:6px 0}summary{cursor:pointer;font-weight:600}
        table.leaderboard th{cursor:default}table.leaderboard th::after{content:none}
        table.leaderboard tr.winner td{font-weight:700;background:#eff8ff;color:var(--mark)}
        table.leaderboard td.stopped{color:var(--muted)}
        table.report td.marks{color:var(--muted)}table.report td.marks.best{color:var(--mark);font-weight:700}

        """
}
