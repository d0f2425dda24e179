"""Reference parameter importances from Optuna's fANOVA, for ParameterImportanceTests.

Regenerate (in a venv with optuna and scikit-learn):

    python Scripts/reference/importance_reference.py \
        --output Tests/RNNSweepTests/ImportanceReferenceValues.swift

For each case it writes the observations (each configuration's parameter values and target), the chosen epoch, and
Optuna's importances (mean and standard deviation over forest seeds 0-9):

- the published search (Results/search-fashion-mnist.sqlite) and its full grid (search-fashion-mnist-grid.sqlite),
  read with sqlite3 and turned into observations by the same rule as ImportanceObservations.swift:
  * configurations are the trials grouped by their parameters minus `seed`;
  * the metric is the early_stopping block's (else val_accuracy); the candidate epochs are the halving rungs
    (min_epochs * reduction_factor^k below the budget, then the budget), or the budget alone without halving;
  * a configuration's value at an epoch is the mean over its seeds that recorded a finite value there;
  * the epoch is the highest candidate that at least max(8, encoded columns + 2) configurations reached, where a
    choice parameter counts one column per category and a numeric one one column;
  * the parameters are the sweep's varying keys plus the search block's keys; a `choice` is categorical (its values
    in file order), uniform/log_uniform/int_uniform/int_log_uniform are numeric over their bounds (log=True for the
    log ones: Optuna's fANOVA still works on raw values, transform_log=False); a grid axis of numbers is numeric from
    its smallest to its largest value, any other axis categorical; single-valued parameters are left out;
- a synthetic case with a known answer: y = 10*x1 + 5*x2 + 0*x3 (+ noise of s.d. 0.01), x1..x3 uniform on [0, 1],
  60 samples: x1 >> x2 > x3.

Each case is handed to optuna.importance.get_param_importances(study,
evaluator=FanovaImportanceEvaluator(seed=s)) with trials made by optuna.trial.create_trial.
"""

import argparse
import json
import math
import platform
import shutil
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import optuna
import sklearn

SEEDS = range(10)
ROOT = Path(__file__).resolve().parents[2]


def halving_rungs(min_epochs, factor, epochs):
    rungs, epoch = [], min_epochs
    while epoch < epochs:
        rungs.append(epoch)
        epoch *= factor
    return rungs + [epochs]


def observations_from_database(path):
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite"
        shutil.copy(path, copy)
        for suffix in ("-wal", "-shm"):
            if Path(str(path) + suffix).exists():
                shutil.copy(str(path) + suffix, str(copy) + suffix)
        db = sqlite3.connect(copy)
        sweep_id, experiment, varying = db.execute("SELECT id, experiment, varying_keys FROM sweeps").fetchone()
        experiment = json.loads(experiment)
        space = (experiment.get("search") or {}).get("space", {})
        keys = json.loads(varying) + [k for k in sorted(space) if k not in json.loads(varying)]
        halving = experiment.get("early_stopping")
        metric = halving["metric"] if halving else "val_accuracy"
        trials = db.execute("SELECT id, params FROM trials WHERE sweep_id = ? ORDER BY ordinal", (sweep_id,)).fetchall()
        epochs = {}
        for trial_id, epoch, value in db.execute(
            f"SELECT trial_id, epoch, {metric} FROM epochs WHERE sweep_id = ?", (sweep_id,)
        ):
            epochs.setdefault(trial_id, {})[epoch] = value
    groups = {}
    for trial_id, params in trials:
        params = json.loads(params)
        params.pop("seed", None)
        key = json.dumps(params, sort_keys=True)
        groups.setdefault(key, (params, []))[1].append(trial_id)
    configurations = []
    for params, ids in groups.values():
        curve = {}
        for trial_id in ids:
            for epoch, value in epochs.get(trial_id, {}).items():
                if value is not None and math.isfinite(value):
                    curve.setdefault(epoch, []).append(value)
        configurations.append((params, {e: sum(v) / len(v) for e, v in curve.items()}))

    parameters = []
    for key in keys:
        observed = [c[0].get(key) for c in configurations if c[0].get(key) is not None]
        distinct = list(dict.fromkeys(observed))
        if key in space:
            (name, arguments), = space[key].items()
            if name == "choice":
                domain = ("categorical", arguments + [v for v in distinct if v not in arguments])
            else:
                bounds = [float(a) for a in arguments] + [float(v) for v in observed]
                domain = ("numeric", min(bounds), max(bounds), name in ("log_uniform", "int_log_uniform"), name)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in observed) and len(distinct) > 1:
            ints = all(isinstance(v, int) for v in observed)
            domain = ("numeric", min(observed), max(observed), False, "int_uniform" if ints else "uniform")
        else:
            domain = ("categorical", distinct)
        single = len(domain[1]) <= 1 if domain[0] == "categorical" else not domain[2] > domain[1]
        if not single:
            parameters.append((key, domain))
    columns = sum(len(d[1]) if d[0] == "categorical" else 1 for _, d in parameters)
    minimum = max(8, columns + 2)
    budget = max(e for _, curve in configurations for e in curve)
    candidates = halving_rungs(halving["min_epochs"], halving["reduction_factor"], budget) if halving else [budget]
    for epoch in reversed(candidates):
        reached = [(p, curve[epoch]) for p, curve in configurations if epoch in curve]
        if len(reached) >= minimum:
            values = [[p[key] for key, _ in parameters] for p, _ in reached]
            return dict(metric=metric, epoch=epoch, parameters=parameters, values=values, targets=[t for _, t in reached])
    raise SystemExit(f"{path}: too few configurations")


def distribution(domain):
    if domain[0] == "categorical":
        return optuna.distributions.CategoricalDistribution(domain[1])
    _, lower, upper, log, name = domain
    if name.startswith("int"):
        return optuna.distributions.IntDistribution(int(lower), int(upper), log=log)
    return optuna.distributions.FloatDistribution(lower, upper, log=log)


def optuna_importances(case):
    distributions = {key: distribution(domain) for key, domain in case["parameters"]}
    runs = []
    for seed in SEEDS:
        study = optuna.create_study(direction="maximize")
        for values, target in zip(case["values"], case["targets"]):
            params = {key: value for (key, _), value in zip(case["parameters"], values)}
            study.add_trial(optuna.trial.create_trial(params=params, distributions=distributions, value=target))
        evaluator = optuna.importance.FanovaImportanceEvaluator(seed=seed)
        runs.append(optuna.importance.get_param_importances(study, evaluator=evaluator))
    keys = [key for key, _ in case["parameters"]]
    matrix = np.array([[run[key] for key in keys] for run in runs])
    return matrix.mean(axis=0).tolist(), matrix.std(axis=0).tolist()


def synthetic():
    rng = np.random.default_rng(7)
    values = [[round(float(v), 6) for v in row] for row in rng.uniform(0, 1, size=(60, 3))]
    noise = rng.normal(0, 0.01, size=60)
    targets = [10 * row[0] + 5 * row[1] + float(e) for row, e in zip(values, noise)]
    parameters = [(f"x{i + 1}", ("numeric", 0.0, 1.0, False, "uniform")) for i in range(3)]
    return dict(metric="val_accuracy", epoch=1, parameters=parameters, values=values, targets=targets)


def swift_value(value):
    if isinstance(value, bool):
        return f".bool({'true' if value else 'false'})"
    if isinstance(value, int):
        return f".int({value})"
    if isinstance(value, float):
        return f".double({value!r})"
    return ".string(" + json.dumps(value) + ")"


def swift_domain(domain):
    if domain[0] == "categorical":
        return ".categorical([" + ", ".join(swift_value(v) for v in domain[1]) + "])"
    _, lower, upper, log, _ = domain
    return f".numeric(lower: {float(lower)!r}, upper: {float(upper)!r}, logarithmic: {'true' if log else 'false'})"


def swift_case(name, case, mean, std):
    lines = [f"    ImportanceReferenceCase("]
    lines.append(f"        name: {json.dumps(name)}, metric: {json.dumps(case['metric'])}, epoch: {case['epoch']},")
    lines.append("        parameters: [")
    lines += [f"            ({json.dumps(k)}, {swift_domain(d)})," for k, d in case["parameters"]]
    lines.append("        ],")
    lines.append("        values: [")
    lines += ["            [" + ", ".join(swift_value(v) for v in row) + "]," for row in case["values"]]
    lines.append("        ],")
    lines.append("        targets: [")
    lines += [f"            {float(t)!r}," for t in case["targets"]]
    lines.append("        ],")
    # One number per line, as swift-format leaves a long array.
    lines.append("        optunaMean: [")
    lines += [f"            {v!r}," for v in mean]
    lines.append("        ],")
    lines.append("        optunaDeviation: [")
    lines += [f"            {v!r}," for v in std]
    lines.append("        ]),")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=True)
    arguments = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    cases = [
        ("search-fashion-mnist", observations_from_database(ROOT / "Results/search-fashion-mnist.sqlite")),
        ("search-fashion-mnist-grid", observations_from_database(ROOT / "Results/search-fashion-mnist-grid.sqlite")),
        ("synthetic", synthetic()),
    ]
    body = []
    for name, case in cases:
        mean, std = optuna_importances(case)
        print(name, case["epoch"], len(case["targets"]), dict(zip([k for k, _ in case["parameters"]], np.round(mean, 4))))
        body.append(swift_case(name, case, mean, std))
    text = f"""// Reference values for ParameterImportanceTests; regenerate with
// `python Scripts/reference/importance_reference.py --output Tests/RNNSweepTests/ImportanceReferenceValues.swift`
// (a venv with optuna and scikit-learn).
import RNNSweep

// BEGIN GENERATED by Scripts/reference/importance_reference.py
// Optuna {optuna.__version__}, scikit-learn {sklearn.__version__}, Python {platform.python_version()}:
// get_param_importances with FanovaImportanceEvaluator(seed=s), s = 0...9; mean and population s.d. over s.
let importanceReference: [ImportanceReferenceCase] = [
{chr(10).join(body)}
]
// END GENERATED
"""
    Path(arguments.output).write_text(text)


if __name__ == "__main__":
    main()
