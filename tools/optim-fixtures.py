#!/usr/bin/python3
"""Writes the PyTorch reference trajectories and clipped gradients that the optim tests compare against.

Install PyTorch (Debian 12 ships 1.13 for the system Python; pip is not needed):

    apt-get update && apt-get install -y python3-torch libopenblas0-pthread

Rerun from the repository root, then commit the CSV files it rewrites:

    /usr/bin/python3 tools/optim-fixtures.py

Everything is float64. Each case starts from the same fixed parameters, computes the loss below
and its gradients with torch.autograd, and takes 30 optimizer steps; the trajectory file holds the
parameters before the first step (step 0) and after every step. The Java side builds the same loss
with its own tape, so a case checks the optimizer and the gradients together.

    loss(x, W, b) = sum_i [100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2]      (Rosenbrock, 4-dim x)
                  + 0.5 * sum((A @ W + b - T)^2)                         (least squares, W 2x3, b 3)

The clipping cases give fixed gradients to torch.nn.utils.clip_grad_norm_ (norm_type 2 and inf,
error_if_nonfinite=False) or clip_grad_value_, and record the gradients before and after and the
total norm clip_grad_norm_ returns; finite ones below, at and above the threshold, and ones holding
inf or nan, or overflowing the norm. No gradient has more than 32768 elements, so PyTorch sums each
norm in one thread and the result does not depend on its thread count.

Outputs (under optim/src/test/resources/dev/rewind/optim/):
    trajectories.csv   case,step,parameter,index,value
    schedules.csv      schedule,epoch,rate
    clipping.csv       case,role,parameter,index,value   (role: shape, gradient, clipped, total_norm;
                       a shape row's index is the dimension and its value the size; non-finite
                       values are spelled NaN, Infinity and -Infinity, as Java parses them)
"""

import math
import os
import random

import torch
from torch.optim import SGD, Adam, AdamW, Rprop
from torch.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR

torch.set_default_dtype(torch.float64)

STEPS = 30
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "optim", "src", "test",
                   "resources", "dev", "rewind", "optim")

X0 = [-1.2, 1.0, -0.5, 0.8]
W0 = [[0.5, -0.3, 0.8], [-0.7, 0.2, 0.4]]
B0 = [0.1, -0.2, 0.05]
A = [[1.0, 0.5], [-0.3, 2.0], [0.7, -1.1], [1.5, 0.2]]
T = [[0.3, -1.0, 0.5], [1.2, 0.4, -0.6], [-0.2, 0.9, 1.1], [0.8, -0.5, 0.0]]


def loss_of(x, w, b):
    rosenbrock = (100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2).sum()
    residual = torch.tensor(A) @ w + b - torch.tensor(T)
    return rosenbrock + 0.5 * (residual ** 2).sum()


# name -> (optimizer factory, scheduler factory or None); the Java test builds the same cases.
CASES = {
    "sgd": (lambda p: SGD(p, lr=1e-3), None),
    "sgd_momentum": (lambda p: SGD(p, lr=5e-4, momentum=0.9), None),
    "sgd_nesterov_weight_decay": (
        lambda p: SGD(p, lr=5e-4, momentum=0.9, nesterov=True, weight_decay=0.01), None),
    "sgd_dampening_weight_decay": (
        lambda p: SGD(p, lr=5e-4, momentum=0.8, dampening=0.3, weight_decay=0.05), None),
    "sgd_step_lr": (
        lambda p: SGD(p, lr=1e-3, momentum=0.5), lambda o: StepLR(o, step_size=7, gamma=0.5)),
    "sgd_exponential_lr": (lambda p: SGD(p, lr=1e-3), lambda o: ExponentialLR(o, gamma=0.9)),
    "adam": (lambda p: Adam(p, lr=0.01), None),
    "adam_weight_decay": (
        lambda p: Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), None),
    "adam_cosine_lr": (
        lambda p: Adam(p, lr=0.05), lambda o: CosineAnnealingLR(o, T_max=30, eta_min=0.001)),
    "adamw": (lambda p: AdamW(p, lr=0.01, weight_decay=0.1), None),
    "rprop": (lambda p: Rprop(p, lr=0.01), None),
    "rprop_note003": (
        lambda p: Rprop(p, lr=0.001, etas=(0.4, 1.3), step_sizes=(1e-4, 0.5)), None),
}


def trajectory(make_optimizer, make_scheduler):
    x = torch.tensor(X0, requires_grad=True)
    w = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    named = [("x", x), ("W", w), ("b", b)]
    optimizer = make_optimizer([x, w, b])
    scheduler = make_scheduler(optimizer) if make_scheduler else None
    rows = []

    def record(step):
        for name, p in named:
            for index, value in enumerate(p.detach().reshape(-1).tolist()):
                rows.append((step, name, index, value))

    record(0)
    for step in range(1, STEPS + 1):
        optimizer.zero_grad()
        loss_of(x, w, b).backward()
        optimizer.step()
        if scheduler:
            scheduler.step()
        record(step)
    return rows


def schedule_rates():
    def rates(make_scheduler):
        p = torch.zeros(1, requires_grad=True)
        optimizer = SGD([p], lr=0.1)
        scheduler = make_scheduler(optimizer)
        out = []
        for epoch in range(STEPS):
            out.append((epoch, scheduler.get_last_lr()[0]))
            optimizer.step()
            scheduler.step()
        return out

    return {
        "step": rates(lambda o: StepLR(o, step_size=7, gamma=0.5)),
        "exponential": rates(lambda o: ExponentialLR(o, gamma=0.9)),
        "cosine": rates(lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    }


def _uniform(rng, n, scale):
    return [rng.uniform(-scale, scale) for _ in range(n)]


def _mixed(rng, n):
    """Elements from 0.1 to 10 in size, where a norm's last bits depend on how it is summed."""
    return [rng.uniform(-1, 1) * 10.0 ** rng.randint(-1, 1) for _ in range(n)]


def clipping_cases():
    """name -> (function, threshold, norm_type, [(parameter, shape, gradient values)]).

    The Java test (TorchClippingTest) mirrors the function, threshold and norm type of each case.
    """
    rng = random.Random(20240613)
    order = random.Random(8)
    inf, nan = math.inf, math.nan
    l2, linf = 2.0, inf
    return {
        "norm_l2_below": ("norm", 1.0, l2, [
            ("a", [2, 3], _uniform(rng, 6, 0.2)), ("b", [4], _uniform(rng, 4, 0.2))]),
        "norm_l2_above": ("norm", 1.0, l2, [
            ("a", [2, 3], _uniform(rng, 6, 3.0)), ("b", [4], _uniform(rng, 4, 3.0))]),
        "norm_l2_at_threshold": ("norm", 5.0, l2, [("a", [2], [3.0, 4.0]), ("b", [1], [0.0])]),
        # Seed 8 is one for which summing the squares without fused multiply-adds, in 4 or 8
        # lanes (with or without), or scaled by the largest element each gives another total
        # norm, and max_norm / (total + 1e-6) as one division another coefficient than PyTorch's
        # reciprocal times max_norm; so this case tells PyTorch's arithmetic from all of those.
        "norm_l2_order": ("norm", 0.75, l2, [
            ("a", [7, 9], _mixed(order, 63)), ("b", [37], _mixed(order, 37)),
            ("c", [2, 2, 3], _mixed(order, 12)), ("d", [], _mixed(order, 1))]),
        "norm_l2_zero": ("norm", 1.0, l2, [("a", [3], [0.0, -0.0, 0.0]), ("b", [], [0.0])]),
        "norm_l2_inf": ("norm", 1.0, l2, [
            ("a", [3], [0.5, inf, -2.0]), ("b", [2], [-0.25, 3.0])]),
        "norm_l2_nan": ("norm", 1.0, l2, [
            ("a", [3], [0.5, 1.0, -2.0]), ("b", [2], [nan, 3.0])]),
        "norm_l2_overflow": ("norm", 1.0, l2, [("a", [2], [1e200, -3e200]), ("b", [1], [2.0])]),
        "norm_max_above": ("norm", 2.0, linf, [
            ("a", [2, 3], _uniform(rng, 6, 5.0)), ("b", [4], _uniform(rng, 4, 5.0))]),
        "norm_max_single": ("norm", 0.75, linf, [("a", [5], _uniform(rng, 5, 2.0))]),
        "norm_max_inf": ("norm", 1.0, linf, [("a", [3], [0.5, -inf, 2.0]), ("b", [1], [-4.0])]),
        "norm_max_nan": ("norm", 1.0, linf, [("a", [3], [0.5, 1.0, -2.0]), ("b", [1], [nan])]),
        "value_finite": ("value", 0.5, None, [
            ("a", [2, 3], _uniform(rng, 6, 1.0)), ("b", [3], [0.5, -0.5, -0.0])]),
        "value_nonfinite": ("value", 1.0, None, [
            ("a", [4], [inf, -inf, nan, -0.0]), ("b", [3], [1.5, -1.0, 0.25])]),
    }


def clipped(function, threshold, norm_type, gradients):
    """The gradients after clipping in place, and the total norm (None for clip_grad_value_)."""
    parameters = []
    for _, shape, values in gradients:
        p = torch.zeros(shape, requires_grad=True)
        p.grad = torch.tensor(values).reshape(shape)
        parameters.append(p)
    total = None
    if function == "norm":
        total = torch.nn.utils.clip_grad_norm_(parameters, threshold, norm_type).item()
    else:
        torch.nn.utils.clip_grad_value_(parameters, threshold)
    return [p.grad.reshape(-1).tolist() for p in parameters], total


def _java(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def clipping_rows():
    for name, (function, threshold, norm_type, gradients) in clipping_cases().items():
        after, total = clipped(function, threshold, norm_type, gradients)
        for (parameter, shape, before), values in zip(gradients, after):
            for dimension, size in enumerate(shape):
                yield name, "shape", parameter, dimension, str(size)
            for index, value in enumerate(before):
                yield name, "gradient", parameter, index, _java(value)
            for index, value in enumerate(values):
                yield name, "clipped", parameter, index, _java(value)
        if total is not None:
            yield name, "total_norm", "", 0, _java(total)


def main():
    os.makedirs(OUT, exist_ok=True)
    header = "# Written by tools/optim-fixtures.py with PyTorch %s; float64, %d steps.\n" % (
        torch.__version__, STEPS)
    with open(os.path.join(OUT, "trajectories.csv"), "w") as out:
        out.write(header)
        out.write("case,step,parameter,index,value\n")
        for name, (make_optimizer, make_scheduler) in CASES.items():
            for step, parameter, index, value in trajectory(make_optimizer, make_scheduler):
                assert math.isfinite(value), (name, step, parameter, index)
                out.write("%s,%d,%s,%d,%r\n" % (name, step, parameter, index, value))
    with open(os.path.join(OUT, "schedules.csv"), "w") as out:
        out.write(header)
        out.write("schedule,epoch,rate\n")
        for name, rows in schedule_rates().items():
            for epoch, rate in rows:
                out.write("%s,%d,%r\n" % (name, epoch, rate))
    with open(os.path.join(OUT, "clipping.csv"), "w") as out:
        out.write("# Written by tools/optim-fixtures.py with PyTorch %s; float64.\n"
                  % torch.__version__)
        out.write("case,role,parameter,index,value\n")
        for row in clipping_rows():
            out.write("%s,%s,%s,%d,%s\n" % row)


if __name__ == "__main__":
    main()
