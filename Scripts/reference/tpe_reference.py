"""Reference values for rnnsweep's TPE sampler, from Optuna's TPESampler (the version in /work/venv-peers).

Writes Tests/RNNSweepTests/Fixtures/tpe-reference.json:

- "estimators": for fixed observation sets, Optuna's below/above split and, per parameter, the Parzen estimators'
  kernel weights, mus and sigmas (numbers) or kernel probabilities (choices), and log l(x), log g(x) at given
  points; then the multivariate (joint) log l and log g of whole configurations, Optuna 5.1's default for one
  objective. TPESamplerReferenceTests compares rnnsweep's to 1e-9 relative.
- "quality": Optuna's TPESampler and RandomSampler (seeds 0-4, N trials, defaults) on closed-form objectives over
  the published search space (Experiments/search-fashion-mnist.yaml); the best value after N trials per seed.
  The objectives are defined identically in TPESearchQualityTests.swift.

Run: /work/venv-peers/bin/python Scripts/reference/tpe_reference.py
"""

import json
import math
import pathlib

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers import RandomSampler, TPESampler
from optuna.samplers._tpe.sampler import _split_trials, default_gamma
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)
OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/RNNSweepTests/Fixtures/tpe-reference.json"

# The space of the estimator cases: every kind of distribution rnnsweep has.
SPACE = [
    ("cell", "choice", ["simple_rnn", "lstm", "gru"]),
    ("units", "int_log_uniform", [16, 256]),
    ("layers", "int_uniform", [1, 4]),
    ("learning_rate", "log_uniform", [3.0e-4, 1.0e-2]),
    ("dropout", "uniform", [0.0, 0.4]),
]


def distribution(kind, args):
    if kind == "choice":
        return CategoricalDistribution(args)
    if kind == "uniform":
        return FloatDistribution(args[0], args[1])
    if kind == "log_uniform":
        return FloatDistribution(args[0], args[1], log=True)
    if kind == "int_uniform":
        return IntDistribution(args[0], args[1])
    return IntDistribution(args[0], args[1], log=True)


def random_config(rng, space):
    config = {}
    for key, kind, args in space:
        if kind == "choice":
            config[key] = args[int(rng.integers(len(args)))]
        elif kind == "uniform":
            config[key] = float(rng.uniform(args[0], args[1]))
        elif kind == "log_uniform":
            config[key] = float(math.exp(rng.uniform(math.log(args[0]), math.log(args[1]))))
        elif kind == "int_uniform":
            config[key] = int(rng.integers(args[0], args[1] + 1))
        else:
            config[key] = int(min(args[1], math.floor(math.exp(rng.uniform(math.log(args[0]), math.log(args[1] + 1))))))
    return config


def internal(kind, args, value):
    return float(args.index(value)) if kind == "choice" else float(value)


def estimator_json(mpe):
    mixture = mpe._mixture_distribution
    d = mixture.distributions[0]
    out = {"weights": mixture.weights.tolist()}
    if hasattr(d, "mu"):
        out["mus"] = d.mu.tolist()
        out["sigmas"] = d.sigma.tolist()
    else:
        out["probabilities"] = d.weights.tolist()
    return out


def estimator_case(name, direction, n, pruned, seed):
    rng = np.random.default_rng(seed)
    distributions = {key: distribution(kind, args) for key, kind, args in SPACE}
    study = optuna.create_study(direction=direction)
    observations = []
    for i in range(n):
        config = random_config(rng, SPACE)
        value = float(rng.normal())
        stopped = None
        if i in pruned:
            stopped = int(rng.integers(1, 4)) * 2
            study.add_trial(create_trial(params=config, distributions=distributions, state=TrialState.PRUNED,
                                         intermediate_values={stopped: value}))
        else:
            study.add_trial(create_trial(params=config, distributions=distributions, value=value))
        observations.append({
            "configuration": {key: internal(kind, args, config[key]) for key, kind, args in SPACE},
            "value": value, "stoppedAt": stopped})
    trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED))
    below, above = _split_trials(study, trials, default_gamma(len(trials)))
    sampler = TPESampler()
    params = {}
    for key, kind, args in SPACE:
        space = {key: distributions[key]}
        l = sampler._build_parzen_estimator(study, space, below, handle_below=True)
        g = sampler._build_parzen_estimator(study, space, above, handle_below=False)
        if kind == "choice":
            points = [float(i) for i in range(len(args))]
        elif kind in ("int_uniform", "int_log_uniform"):
            points = sorted({float(args[0]), float(args[1]), float((args[0] + args[1]) // 2),
                             float(args[0] + 1)})
        else:
            points = [float(x) for x in (args[0], args[1], rng.uniform(args[0], args[1]),
                                          rng.uniform(args[0], args[1]), args[0] * 1.0001)]
        xs = {key: np.asarray(points)}
        params[key] = {
            "below": estimator_json(l), "above": estimator_json(g), "points": points,
            "logBelow": l.log_pdf(xs).tolist(), "logAbove": g.log_pdf(xs).tolist()}
    # The multivariate estimators (Optuna 5.1's default for one objective): log l and log g of whole configurations.
    l = sampler._build_parzen_estimator(study, distributions, below, handle_below=True)
    g = sampler._build_parzen_estimator(study, distributions, above, handle_below=False)
    points = [random_config(rng, SPACE) for _ in range(6)]
    xs = {key: np.asarray([internal(kind, args, p[key]) for p in points]) for key, kind, args in SPACE}
    joint = {
        "points": [{key: internal(kind, args, p[key]) for key, kind, args in SPACE} for p in points],
        "logBelow": l.log_pdf(xs).tolist(), "logAbove": g.log_pdf(xs).tolist()}
    return {
        "name": name, "higherIsBetter": direction == "maximize", "observations": observations,
        "below": sorted(t.number for t in below), "parameters": params, "joint": joint}


# The published space (Experiments/search-fashion-mnist.yaml) and closed-form objectives (maximized, like a
# validation accuracy), written identically in TPESearchQualityTests.swift.
QUALITY_SPACE = [
    ("cell", "choice", ["simple_rnn", "lstm", "gru"]),
    ("units", "choice", [32, 64, 128]),
    ("optimizer", "choice", ["adam", "rmsprop"]),
    ("learning_rate", "log_uniform", [3.0e-4, 1.0e-2]),
    ("dropout", "uniform", [0.0, 0.4]),
]
CELL = {"simple_rnn": -0.05, "lstm": 0.01, "gru": 0.02}
UNITS = {32: -0.02, 64: 0.0, 128: 0.01}
OPTIMIZER = {"adam": 0.01, "rmsprop": 0.0}


def smooth(c):
    u = math.log10(c["learning_rate"]) + 2.5
    return 0.9 - 0.3 * u * u - 2.0 * (c["dropout"] - 0.15) ** 2 + CELL[c["cell"]] + UNITS[c["units"]] \
        + OPTIMIZER[c["optimizer"]]


def interacting(c):
    # The best learning rate depends on the optimizer, the best units on the cell, with a ripple in dropout.
    centre = -2.2 if c["optimizer"] == "adam" else -3.0
    u = math.log10(c["learning_rate"]) - centre
    units_best = {"simple_rnn": 32, "lstm": 128, "gru": 64}[c["cell"]]
    return 0.85 - 0.12 * u * u + (0.03 if c["units"] == units_best else 0.0) \
        + 0.02 * math.cos(25 * c["dropout"]) - 0.1 * c["dropout"] ** 2 + CELL[c["cell"]]


OBJECTIVES = {"smooth": smooth, "interacting": interacting}
N = 40


def run(sampler_factory, objective, seed):
    study = optuna.create_study(direction="maximize", sampler=sampler_factory(seed))

    def f(trial):
        c = {}
        for key, kind, args in QUALITY_SPACE:
            if kind == "choice":
                c[key] = trial.suggest_categorical(key, args)
            elif kind == "log_uniform":
                c[key] = trial.suggest_float(key, args[0], args[1], log=True)
            else:
                c[key] = trial.suggest_float(key, args[0], args[1])
        return objective(c)

    study.optimize(f, n_trials=N)
    return study.best_value


def summary(values):
    mean = float(np.mean(values))
    se = float(np.std(values, ddof=1) / math.sqrt(len(values)))
    return {"best": values, "mean": mean, "standardError": se}


def main():
    estimators = [
        estimator_case("12 completed, maximize", "maximize", 12, set(), 1),
        estimator_case("40 with 6 pruned, minimize", "minimize", 40, {3, 7, 11, 20, 28, 33}, 2),
        estimator_case("60 completed, maximize (weights ramp)", "maximize", 60, set(), 3),
        estimator_case("1 completed", "maximize", 1, set(), 4),
    ]
    quality = {"trials": N, "seeds": [0, 1, 2, 3, 4], "objectives": {}}
    for name, objective in OBJECTIVES.items():
        quality["objectives"][name] = {
            "optuna": summary([run(lambda s: TPESampler(seed=s), objective, s) for s in range(5)]),  # defaults
            "random": summary([run(lambda s: RandomSampler(seed=s), objective, s) for s in range(5)]),
        }
    document = {"optuna": optuna.__version__, "space": [[k, kind, args] for k, kind, args in SPACE],
                "estimators": estimators, "quality": quality}
    OUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    for name, q in quality["objectives"].items():
        print(name, "optuna", q["optuna"]["mean"], q["optuna"]["standardError"],
              "random", q["random"]["mean"], q["random"]["standardError"])


if __name__ == "__main__":
    main()
