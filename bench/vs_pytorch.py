"""PyTorch's side of bench/vs-pytorch: one case per process, so its peak RSS is that case's.

Usage: python3 vs_pytorch.py [--threads N] [--dtype f64|f32] fused|loop|numpy|autograd CASE-ARGS
  w1 elman|lstm|gru HIDDEN   character LM: vocab 65 one-hot, batch 32, 64 steps (fused or loop)
  w5 gru|mgu HIDDEN          the w1 model with a user's cell as a Python loop (loop only)
  w2 T                       Elman 128, batch 16, T steps (fused or loop)
  w3 N                       [N, N] x [N, N] through numpy (OpenBLAS)
  w4                         a chain of 100,000 scalar ops, forward + backward through autograd

It reads commands on stdin and answers each with one JSON line, like dev.rewind.bench.SideBySide:
`warmup SECONDS [CAP [TOLERANCE]]`, `run N`, `rss`, `blas`, `quit`. The dtype (float64 unless
--dtype f32) is torch's default dtype, so the models' parameters and the one-hot inputs take it,
and numpy's arrays' for w3 (float32: sgemm); w4 runs in float64 only. N compute threads (default 1)
for torch, OpenBLAS and OpenMP.
"""

import json
import os
import sys
import time


def _options():
    """`--threads N` and `--dtype f64|f32` ahead of the style, removed from argv: (N, dtype name)."""
    options = {"--threads": "1", "--dtype": "f64"}
    while len(sys.argv) > 2 and sys.argv[1] in options:
        options[sys.argv[1]] = sys.argv[2]
        del sys.argv[1:3]
    names = {"f64": "float64", "f32": "float32"}
    if options["--dtype"] not in names:
        raise SystemExit(f"--dtype must be f64 or f32, not {options['--dtype']}")
    return int(options["--threads"]), names[options["--dtype"]]


# Before numpy or torch load OpenBLAS: N threads. OPENBLAS_CORETYPE is left as the caller set it.
THREADS, DTYPE = _options()
os.environ["OPENBLAS_NUM_THREADS"] = str(THREADS)
os.environ["OMP_NUM_THREADS"] = str(THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(THREADS)
torch.set_default_dtype(getattr(torch, DTYPE))

VOCABULARY = 65
W1_BATCH, W1_STEPS = 32, 64
W2_HIDDEN, W2_BATCH = 128, 16
W4_OPS = 100_000
LEARNING_RATE = 0.1


def memory(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def loaded_blas():
    """The BLAS and LAPACK libraries mapped into this process, resolved through their symlinks."""
    a = torch.ones(8, 8)
    (a @ a).sum().item()
    np.ones((8, 8)) @ np.ones((8, 8))
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if path.startswith("/") and ("blas" in name or "lapack" in name):
                found.add(os.path.realpath(path))
    return sorted(found)


class LoopCell(nn.Module):
    """The cell as a researcher composing a new one writes it: nn.Linear and a Python loop."""

    def __init__(self, kind, inputs, hidden):
        super().__init__()
        gates = {"elman": 1, "lstm": 4, "gru": 3}[kind]
        self.kind, self.hidden = kind, hidden
        self.ih = nn.Linear(inputs, gates * hidden)
        self.hh = nn.Linear(hidden, gates * hidden)

    def forward(self, x):
        batch, steps, _ = x.shape
        h = x.new_zeros(batch, self.hidden)
        c = x.new_zeros(batch, self.hidden)
        outputs = []
        for t in range(steps):
            xt = x[:, t]
            if self.kind == "elman":
                h = torch.tanh(self.ih(xt) + self.hh(h))
            elif self.kind == "lstm":
                i, f, g, o = (self.ih(xt) + self.hh(h)).chunk(4, 1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                xr, xz, xn = self.ih(xt).chunk(3, 1)
                hr, hz, hn = self.hh(h).chunk(3, 1)
                r = torch.sigmoid(xr + hr)
                z = torch.sigmoid(xz + hz)
                n = torch.tanh(xn + r * hn)
                h = (1 - z) * n + z * h
            outputs.append(h)
        return torch.stack(outputs, 1)


class MguLoopCell(nn.Module):
    """The minimal gated unit (Zhou et al., 2016), written like LoopCell: nn.Linear and a loop.

    f = σ(x W_f + h U_f + b_f), h̃ = tanh(x W_h + (f ⊙ h) U_h + b_h), h' = (1 − f) ⊙ h + f ⊙ h̃.
    """

    def __init__(self, inputs, hidden):
        super().__init__()
        self.hidden = hidden
        self.ih = nn.Linear(inputs, 2 * hidden)  # [W_f W_h] and [b_f b_h]
        self.forget = nn.Linear(hidden, hidden, bias=False)  # U_f
        self.candidate = nn.Linear(hidden, hidden, bias=False)  # U_h

    def forward(self, x):
        batch, steps, _ = x.shape
        h = x.new_zeros(batch, self.hidden)
        outputs = []
        for t in range(steps):
            xf, xh = self.ih(x[:, t]).chunk(2, 1)
            f = torch.sigmoid(xf + self.forget(h))
            candidate = torch.tanh(xh + self.candidate(f * h))
            h = (1 - f) * h + f * candidate
            outputs.append(h)
        return torch.stack(outputs, 1)


class FusedCell(nn.Module):
    def __init__(self, kind, inputs, hidden):
        super().__init__()
        if kind == "elman":
            self.rnn = nn.RNN(inputs, hidden, nonlinearity="tanh", batch_first=True)
        elif kind == "lstm":
            self.rnn = nn.LSTM(inputs, hidden, batch_first=True)
        else:
            self.rnn = nn.GRU(inputs, hidden, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0]


def language_model(style, kind, hidden, batch, steps):
    generator = torch.Generator().manual_seed(42)
    torch.manual_seed(42)
    stream = torch.randint(0, VOCABULARY, (batch, steps + 1), generator=generator)
    x = F.one_hot(stream[:, :-1], VOCABULARY).to(torch.get_default_dtype())
    y = stream[:, 1:].reshape(-1)
    if kind == "mgu":
        cell = MguLoopCell(VOCABULARY, hidden)
    else:
        cell = (FusedCell if style == "fused" else LoopCell)(kind, VOCABULARY, hidden)
    output = nn.Linear(hidden, VOCABULARY)
    sgd = torch.optim.SGD(list(cell.parameters()) + list(output.parameters()), lr=LEARNING_RATE)

    def once():
        sgd.zero_grad(set_to_none=True)
        states = cell(x).reshape(batch * steps, hidden)
        loss = F.cross_entropy(output(states), y)
        loss.backward()
        sgd.step()
        return loss

    return once, float(batch * steps)


def matmul(n):
    rng = np.random.default_rng(42)
    left = rng.standard_normal((n, n)).astype(DTYPE)  # float32: numpy calls sgemm
    right = rng.standard_normal((n, n)).astype(DTYPE)
    return (lambda: left @ right), 2.0 * n * n * n


def chain():
    x = torch.tensor(0.5, requires_grad=True)
    scale = torch.tensor(0.999)
    shift = torch.tensor(0.0005)

    def once():
        y = x
        for _ in range(W4_OPS // 2):
            y = y * scale + shift
        return torch.autograd.grad(y, x)

    return once, float(W4_OPS)


def build(style, args):
    if args[0] == "w1":
        return language_model(style, args[1], int(args[2]), W1_BATCH, W1_STEPS)
    if args[0] == "w5":
        if style != "loop" or args[1] not in ("gru", "mgu"):
            raise SystemExit(f"w5 runs a user's gru or mgu as a loop, not {style} {args[1]}")
        return language_model(style, args[1], int(args[2]), W1_BATCH, W1_STEPS)
    if args[0] == "w2":
        return language_model(style, "elman", W2_HIDDEN, W2_BATCH, int(args[1]))
    if args[0] == "w3":
        return matmul(int(args[1]))
    if args[0] == "w4":
        if DTYPE != "float64":
            raise SystemExit(f"w4 runs in float64 only, not {DTYPE}")
        return chain()
    raise SystemExit("unknown workload " + args[0])


def warm_up(once, units, minimum, cap, tolerance):
    """At least `minimum` seconds, then until two consecutive ~1 s windows agree, or `cap` seconds.

    Agree: within `tolerance` of each other, and neither further than that below the fastest window
    so far. The same rule as Rewind's side, so that both sides are timed at a steady rate.
    """
    start = time.perf_counter()
    rates = []
    repetitions = 0
    while True:
        window_start = time.perf_counter()
        window_repetitions = 0
        while True:
            once()
            window_repetitions += 1
            if time.perf_counter() - window_start >= 1.0:
                break
        window_seconds = time.perf_counter() - window_start
        repetitions += window_repetitions
        rates.append(units * window_repetitions / window_seconds)
        last_two = rates[-2:]
        settled = (
            len(rates) > 1
            and abs(last_two[0] - last_two[1]) <= tolerance * max(last_two)
            and min(last_two) >= (1 - tolerance) * max(rates)
        )
        elapsed = time.perf_counter() - start
        if (settled and elapsed >= minimum) or elapsed >= cap:
            break
    return {
        "repetitions": repetitions,
        "seconds": elapsed,
        "work": units * repetitions,
        "window_repetitions": window_repetitions,
        "window_seconds": window_seconds,
        "settled": settled,
        "window_rates": [round(r, 3) for r in rates],
    }


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    style, args = sys.argv[1], sys.argv[2:]
    once, units = build(style, args)
    reply(
        {
            "ready": True,
            "work": units,
            "rss_mb": memory("VmRSS"),
            "dtype": str(torch.get_default_dtype()).replace("torch.", ""),
            "threads": torch.get_num_threads(),
        }
    )
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "warmup":
            minimum = float(command[1])
            cap = float(command[2]) if len(command) > 2 else 20.0
            tolerance = float(command[3]) if len(command) > 3 else 0.05
            reply(warm_up(once, units, minimum, cap, tolerance))
        elif command[0] == "run":
            repetitions = int(command[1])
            start = time.perf_counter()
            for _ in range(repetitions):
                once()
            elapsed = time.perf_counter() - start
            reply({"repetitions": repetitions, "seconds": elapsed, "work": units * repetitions})
        elif command[0] == "rss":
            reply({"peak_rss_mb": memory("VmHWM"), "rss_mb": memory("VmRSS")})
        elif command[0] == "blas":
            reply(
                {
                    "libraries": loaded_blas(),
                    "torch_config": torch.__config__.show(),
                    "torch": torch.__version__,
                    "numpy": np.__version__,
                    "torch_threads": torch.get_num_threads(),
                }
            )
        elif command[0] == "quit":
            return
        else:
            reply({"error": "unknown command"})


if __name__ == "__main__":
    main()
