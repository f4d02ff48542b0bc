#!/usr/bin/python3
"""Writes the PyTorch reference trajectories that the optim tests compare against.

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

Outputs (under optim/src/test/resources/dev/rewind/optim/):
    trajectories.csv   case,step,parameter,index,value
    schedules.csv      schedule,epoch,rate
"""

import math
import os

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


if __name__ == "__main__":
    main()
