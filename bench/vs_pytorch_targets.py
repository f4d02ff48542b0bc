"""The targets of bench/vs-pytorch: the cases `--targets` runs, and whether a run's rows meet them.

Each target is a bound on a ratio, checked case by case. A case passes on its median ratio; the
worst paired ratio (the lowest, or for an upper bound the highest, ratio of one Rewind repetition
to the repetition of the other side that followed it) shows how close the machine's noise came to
the bound. Ratios are Rewind's throughput over the other side's unless a target says otherwise.
"""

import dataclasses

W1_CELLS = ("elman", "lstm", "gru")
DTYPES = ("f32", "f64")

# W1: Rewind / PyTorch (fused and loop) in the same dtype, at least this, by dtype and hidden size.
SPEED = {"f32": {32: 2.0, 128: 1.3, 512: 1.1}, "f64": {32: 2.0, 128: 1.2, 512: 1.0}}
# W5: Rewind's custom cell / PyTorch's loop of the same cell, at least this, in either dtype.
USER_CELL_SPEED = {32: 2.0, 128: 1.5}
# Rewind on two threads / Rewind on one, at least this, by hidden size, in either dtype.
TWO_THREADS = {128: 1.6, 512: 1.6}
CHECKPOINTED_HEAP = 0.1  # checkpointed / plain peak live heap above start, at most
CHECKPOINTED_TIME = 1.4  # checkpointed / plain time per step, at most
PEAK_RSS = 1.5  # Rewind's peak RSS / PyTorch fused's, at most
CUSTOM_VS_BUILTIN = 1 / 1.25  # W5's custom GRU / Rewind's GruCell, at least: within 1.25×


def runs():
    """(case, dtype, threads) of every case the targets read."""
    out = set()
    for dtype in DTYPES:
        out |= {(f"W1 {c}-{h}", dtype, 1) for c in W1_CELLS for h in (32, 128, 512)}
        out |= {(f"W1 {c}-{h}", dtype, 2) for c in W1_CELLS for h in (128, 512)}
        out |= {(f"W2 {c}-128 checkpointed T=4096", dtype, 1) for c in ("elman", "lstm")}
        out.add(("W2 elman-128 T=4096", dtype, 1))
        out |= {(f"W5 {c}-{h}", dtype, 1) for c in ("gru", "mgu") for h in (32, 128)}
    return out


@dataclasses.dataclass
class Check:
    """One bound on one figure of one case; value None when the run did not measure the case."""

    case: str
    dtype: str
    threads: int
    figure: str
    value: float
    worst: float
    bound: float
    at_most: bool = False

    @property
    def met(self):
        if self.value is None:
            return False
        return self.value <= self.bound if self.at_most else self.value >= self.bound


def key(row):
    """A row's case, dtype and threads; a row from before dtypes were recorded is float64."""
    return row["case"], row.get("dtype", "f64"), row.get("threads", 1)


def speed_checks(rows, case, dtype, threads, bound):
    """Rewind / PyTorch fused and / loop (W1), or / loop only (W5), at least `bound`."""
    row = rows.get((case, dtype, threads))
    sides = ["loop"] if case.startswith("W5") else ["fused", "loop"]
    checks = []
    for side in sides:
        value = row and row[f"ratio_vs_{side}"]
        worst = row and row[f"ratio_vs_{side}_range"][0]
        checks.append(Check(case, dtype, threads, f"Rewind / PyTorch {side}", value, worst, bound))
    return checks


def one_thread(rows, dtype):
    checks = []
    for hidden in (32, 128, 512):
        for cell in W1_CELLS:
            checks += speed_checks(rows, f"W1 {cell}-{hidden}", dtype, 1, SPEED[dtype][hidden])
    return checks


def two_threads(rows):
    """Rewind on two threads against itself on one, and against PyTorch at its faster count."""
    checks = []
    for dtype in DTYPES:
        for hidden in (128, 512):
            for cell in W1_CELLS:
                checks += two_thread_checks(rows, f"W1 {cell}-{hidden}", dtype, hidden)
    return checks


def two_thread_checks(rows, case, dtype, hidden):
    one, two = rows.get((case, dtype, 1)), rows.get((case, dtype, 2))
    labels = [
        ("rewind", "Rewind 2 threads / 1 thread", TWO_THREADS[hidden]),
        ("fused", "Rewind 2 threads / PyTorch fused, faster count", SPEED[dtype][hidden]),
        ("loop", "Rewind 2 threads / PyTorch loop, faster count", SPEED[dtype][hidden]),
    ]
    checks = []
    for side, label, bound in labels:
        value = worst = None
        if one is not None and two is not None:
            rate = "rewind_tokens_per_s" if side == "rewind" else f"torch_{side}_tokens_per_s"
            other = one if side == "rewind" else max((one, two), key=lambda r: r[rate])
            value = two["rewind_tokens_per_s"] / other[rate]
            worst = min(two["samples"]["rewind"]) / max(other["samples"][side])
        checks.append(Check(case, dtype, 2, label, value, worst, bound))
    return checks


def checkpointed(rows):
    checks = []
    for dtype in DTYPES:
        for cell in ("elman", "lstm"):
            case = f"W2 {cell}-128 checkpointed T=4096"
            row = rows.get((case, dtype, 1))
            heap = row and row["heap_ratio_vs_plain"]
            time = row and row["time_ratio_vs_plain"]
            worst_time = row and row["time_ratio_vs_plain_range"][1]
            label = "live heap above start, checkpointed / plain"
            checks.append(Check(case, dtype, 1, label, heap, heap, CHECKPOINTED_HEAP, at_most=True))
            label = "time per step, checkpointed / plain"
            checks.append(Check(case, dtype, 1, label, time, worst_time, CHECKPOINTED_TIME, at_most=True))
    return checks


def peak_rss(rows):
    """Every W1 and W2 (plain) case the run measured, at any thread count."""
    checks = []
    for (case, dtype, threads), row in rows.items():
        if row["workload"] in ("w1", "w2"):
            ratio = row["rewind_peak_rss_mb"] / row["torch_peak_rss_mb"]
            label = "peak RSS, Rewind / PyTorch fused"
            checks.append(Check(case, dtype, threads, label, ratio, ratio, PEAK_RSS, at_most=True))
    return checks


def user_cells(rows):
    checks = []
    for dtype in DTYPES:
        for hidden in (32, 128):
            for cell in ("gru", "mgu"):
                case = f"W5 {cell}-{hidden}"
                checks += speed_checks(rows, case, dtype, 1, USER_CELL_SPEED[hidden])
                if cell == "gru":
                    row = rows.get((case, dtype, 1))
                    value = row and row["ratio_vs_builtin"]
                    worst = row and row["ratio_vs_builtin_range"][0]
                    label = "custom / Rewind's GruCell"
                    checks.append(Check(case, dtype, 1, label, value, worst, CUSTOM_VS_BUILTIN))
    return checks


TARGETS = [
    ("W1 float32, one thread", "≥ 2× PyTorch float32 at hidden 32, 1.3× at 128, 1.1× at 512, fused and loop",
     lambda rows: one_thread(rows, "f32")),
    ("W1 float64, one thread", "≥ 2× PyTorch float64 at hidden 32, 1.2× at 128, 1× at 512, fused and loop",
     lambda rows: one_thread(rows, "f64")),
    ("W1 two threads", "hidden 128, 512, both dtypes: Rewind 2 / 1 thread ≥ 1.6×; "
     "against PyTorch at its faster thread count, fused and loop, the one-thread bounds", two_threads),
    ("W2 checkpointed", "Elman and LSTM 128, T = 4096: live heap ≤ 1/10 of plain's, time ≤ 1.4× plain's",
     checkpointed),
    ("W1 and W2 peak RSS", "Rewind's peak RSS ≤ 1.5× PyTorch fused's", peak_rss),
    ("W5 a user's cells", "GRU and MGU via RecurrentCell.of, hidden 32, 128, both dtypes: ≥ 2× "
     "PyTorch's loop at 32, 1.5× at 128; the custom GRU within 1.25× of Rewind's GruCell", user_cells),
]


def number(value, suffix="x"):
    return "–" if value is None else f"{value:.2f}{suffix}"


def verdict(checks):
    missing = sum(c.value is None for c in checks)
    failed = [c for c in checks if c.value is not None and not c.met]
    if missing:
        return f"incomplete ({missing} of {len(checks)} not measured)"
    return "**met**" if not failed else f"**not met** ({len(failed)} of {len(checks)})"


def worst_of(checks):
    """The paired ratio closest to (or furthest past) its bound, relative to the bound."""
    measured = [c for c in checks if c.worst is not None]
    if not measured:
        return "–"
    worst = min(measured, key=lambda c: c.bound / c.worst if c.at_most else c.worst / c.bound)
    return f"{number(worst.worst)} ({worst.case} {worst.dtype}, {worst.threads} th: {worst.figure})"


def targets_table(cases):
    """Markdown: a summary of every target the run has rows for, then each target's cases."""
    rows = {key(row): row for row in cases}
    groups = [(title, rule, checks(rows)) for title, rule, checks in TARGETS]
    groups = [(t, r, c) for t, r, c in groups if any(check.value is not None for check in c)]
    if not groups:
        return []
    lines = [
        "",
        "Against the targets (`bench/vs_pytorch_targets.py`): each case meets a bound by its "
        "median ratio; worst is the paired ratio furthest toward (or past) its bound, relative to "
        "it. Two threads against one (and against PyTorch at another thread count) come from cases "
        "run apart, so their worst is the lowest repetition of one over the highest of the other; "
        "memory is measured once per side, so its worst is the figure itself.",
        "",
        "| target | bound | result | worst paired ratio |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t} | {r} | {verdict(c)} | {worst_of(c)} |" for t, r, c in groups]
    for title, _, checks in groups:
        lines += [
            "",
            f"{title}:",
            "",
            "| case | dtype | threads | ratio | median | worst paired | bound | met |",
            "|---|---|---:|---|---:|---:|---:|---|",
        ]
        for c in checks:
            bound = ("≤ " if c.at_most else "≥ ") + number(c.bound)
            met = "not measured" if c.value is None else ("yes" if c.met else "**no**")
            lines.append(
                f"| {c.case} | {c.dtype} | {c.threads} | {c.figure} | {number(c.value)} "
                f"| {number(c.worst)} | {bound} | {met} |"
            )
    return lines
