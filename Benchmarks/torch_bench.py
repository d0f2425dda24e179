#!/usr/bin/env python3
"""PyTorch peer benchmark for `rnnsweep bench`: nn.RNN(tanh)/nn.LSTM/nn.GRU -> Linear(10), cross-entropy, SGD.

Prints one JSON line with the same fields as `rnnsweep bench --json`. Paths timed (eager mode, as users train):
  training  -- zero_grad(); CrossEntropyLoss(model(x), y).backward(); SGD.step() per batch
               (CrossEntropyLoss on logits = softmax + categorical cross-entropy);
  inference -- `model(x)` under `torch.inference_mode()` with `model.eval()`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import (  # noqa: E402  (no framework imported yet)
    CLASSES,
    FEATURES,
    LEARNING_RATE,
    TIMESTEPS,
    emit,
    measure,
    parse_args,
)


def main():
    args = parse_args("PyTorch RNN training and inference benchmark")

    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            recurrent = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[args.cell]
            extra = {"nonlinearity": "tanh"} if args.cell == "simple_rnn" else {}
            self.rnn = recurrent(FEATURES, args.units, batch_first=True, **extra)
            self.head = nn.Linear(args.units, CLASSES)

        def forward(self, x):
            _, state = self.rnn(x)
            h_last = state[0] if isinstance(state, tuple) else state  # LSTM returns (h_n, c_n)
            return self.head(h_last[-1])  # logits; softmax lives in the loss

    model = Classifier()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    pool = max(args.batches, args.warmup, 1)
    generator = torch.Generator().manual_seed(args.seed)
    xs = [torch.rand(args.batch_size, TIMESTEPS, FEATURES, generator=generator) for _ in range(pool)]
    ys = [torch.randint(0, CLASSES, (args.batch_size,), generator=generator) for _ in range(pool)]

    def train(n):
        model.train()
        for i in range(n):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[i % pool]), ys[i % pool])
            loss.backward()
            optimizer.step()

    train_seconds = measure(train, args.warmup, args.batches, args.repeats)

    def evaluate(n):
        model.eval()
        with torch.inference_mode():
            for i in range(n):
                model(xs[i % pool])

    eval_seconds = measure(evaluate, args.warmup, args.batches, args.repeats)

    emit(
        f"pytorch {torch.__version__}",
        args,
        train_seconds,
        eval_seconds,
        {"train_path": "eager", "eval_path": "inference_mode"},
    )


if __name__ == "__main__":
    main()
