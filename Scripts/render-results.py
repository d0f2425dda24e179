#!/usr/bin/env python3
"""Re-renders every report published in Results/ from the database it was rendered from.

A Markdown file marks each rendered report with the command that made it:

    <!-- rendered: report SWEEP --db Results/X.sqlite [options] -->
    ...the report, replaced on every run...
    <!-- end rendered -->

so the prose around it (how the sweep ran, on which machine) stays as written and the tables follow the current
renderer. CSV and HTML files are rendered whole, from the list below. Usage, from the repository's root:

    Scripts/render-results.py [path/to/rnnsweep]     (default: .build/release/rnnsweep)
"""
import pathlib
import re
import shlex
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".build/release/rnnsweep")

def searches(dataset):
    """`report --searches` over the sweeps Scripts/search-comparison.sh ran for `dataset` (grid once, then five
    sampler seeds per method)."""
    methods = ["random", "halving", "async_halving", "hyperband", "tpe", "tpe_halving"]
    parts = [f"--searches grid={dataset}-grid"] + [
        f"--searches {m}=" + ",".join(f"{dataset}-{m}-s{k}" for k in range(1, 6)) for m in methods
    ]
    return "report " + " ".join(parts) + f" --db Results/search-comparison-{dataset}.sqlite"


# Whole files: output path → the `rnnsweep` arguments that render it.
WHOLE = {
    "Results/search-comparison-fashion-mnist.md": searches("fashion-mnist"),
    "Results/search-comparison-fashion-mnist.csv": searches("fashion-mnist") + " --format csv",
    "Results/search-comparison-fashion-mnist.html": searches("fashion-mnist") + " --format html",
    "Results/search-comparison-japanese-vowels.md": searches("japanese-vowels"),
    "Results/search-comparison-japanese-vowels.csv": searches("japanese-vowels") + " --format csv",
    "Results/search-comparison-japanese-vowels.html": searches("japanese-vowels") + " --format html",
    "Results/table-1.5.1-fashion-mnist.csv": "report table-1.5.1 --db Results/fashion-mnist.sqlite --format csv",
    "Results/table-1.5.1-fashion-mnist.html": "report table-1.5.1 --db Results/fashion-mnist.sqlite --format html",
    "Results/networks-fashion-mnist.csv": "report networks --db Results/fashion-mnist.sqlite --format csv",
    "Results/networks-fashion-mnist.html": "report networks --db Results/fashion-mnist.sqlite --format html",
    "Results/cells-fashion-mnist.csv": "report cells --db Results/fashion-mnist.sqlite --format csv",
    "Results/cells-fashion-mnist.html": "report cells --db Results/fashion-mnist.sqlite --format html",
    "Results/search-fashion-mnist.csv": "report search-fashion-mnist --db Results/search-fashion-mnist.sqlite --format csv",
    "Results/search-fashion-mnist.html":
        "report search-fashion-mnist --db Results/search-fashion-mnist.sqlite --format html",
    "Results/search-fashion-mnist-grid.csv":
        "report search-fashion-mnist-grid --db Results/search-fashion-mnist-grid.sqlite --format csv",
    "Results/search-fashion-mnist-grid.html":
        "report search-fashion-mnist-grid --db Results/search-fashion-mnist-grid.sqlite --format html",
    "Results/japanese-vowels.md":
        "report japanese-vowels --db Results/sequences.sqlite --metrics train_accuracy,test_accuracy,seconds",
    "Results/japanese-vowels.csv": "report japanese-vowels --db Results/sequences.sqlite --format csv"
        " --metrics train_accuracy,test_accuracy,test_loss,seconds",
    "Results/japanese-vowels.html": "report japanese-vowels --db Results/sequences.sqlite --format html",
    "Results/rotten-tomatoes.md":
        "report rotten-tomatoes --db Results/sequences.sqlite --metrics train_accuracy,test_accuracy,seconds",
    "Results/rotten-tomatoes.csv": "report rotten-tomatoes --db Results/sequences.sqlite --format csv"
        " --metrics train_accuracy,test_accuracy,test_loss,seconds",
    "Results/rotten-tomatoes.html": "report rotten-tomatoes --db Results/sequences.sqlite --format html",
    "Results/covid3month.md":
        "report covid3month --db Results/sequences.sqlite --metrics train_mae,test_mae,test_rmse,seconds",
    "Results/covid3month.csv": "report covid3month --db Results/sequences.sqlite --format csv"
        " --metrics train_mae,test_mae,test_rmse,test_loss,seconds",
    "Results/covid3month.html": "report covid3month --db Results/sequences.sqlite --format html",
    "Results/japanese-vowels-ts.md": "report japanese-vowels-ts --db Results/data-files.sqlite",
    "Results/japanese-vowels-ts.csv": "report japanese-vowels-ts --db Results/data-files.sqlite --format csv",
    "Results/japanese-vowels-ts.html": "report japanese-vowels-ts --db Results/data-files.sqlite --format html",
    "Results/rotten-tomatoes-text.md": "report rotten-tomatoes-text --db Results/data-files.sqlite",
    "Results/rotten-tomatoes-text.csv": "report rotten-tomatoes-text --db Results/data-files.sqlite --format csv",
    "Results/rotten-tomatoes-text.html": "report rotten-tomatoes-text --db Results/data-files.sqlite --format html",
    "Results/compare-japanese-vowels-npz-ts.md": "report japanese-vowels --db Results/sequences.sqlite"
        " --compare japanese-vowels-ts --compare-db Results/data-files.sqlite",
    "Results/compare-japanese-vowels-npz-ts.html": "report japanese-vowels --db Results/sequences.sqlite"
        " --compare japanese-vowels-ts --compare-db Results/data-files.sqlite --format html",
    "Results/search-fashion-mnist-grid-tradeoffs.md": "report search-fashion-mnist-grid"
        " --db Results/search-fashion-mnist-grid.sqlite --objectives test_accuracy,seconds,params",
}

MARKED = re.compile(r"(<!-- rendered: (.*?) -->\n)(.*?)(<!-- end rendered -->)", re.S)


def render(arguments: str) -> str:
    result = subprocess.run(
        [BINARY, *shlex.split(arguments)], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"rnnsweep {arguments}: exit {result.returncode}\n{result.stderr}")
    return result.stdout


def main() -> None:
    changed = []
    for path, arguments in WHOLE.items():
        target = ROOT / path
        if not (ROOT / shlex.split(arguments)[shlex.split(arguments).index("--db") + 1]).exists():
            continue
        text = render(arguments)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            changed.append(path)
    for target in sorted((ROOT / "Results").glob("*.md")):
        original = target.read_text()
        updated = MARKED.sub(lambda m: m.group(1) + "\n" + render(m.group(2)).rstrip("\n") + "\n\n" + m.group(4),
                             original)
        if updated != original:
            target.write_text(updated)
            changed.append(str(target.relative_to(ROOT)))
    print("\n".join(changed) if changed else "every rendered report is current")


if __name__ == "__main__":
    main()
