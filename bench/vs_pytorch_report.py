"""The results of bench/vs-pytorch: each case's JSON row, its console line, and the markdown table.

The driver (bench/vs-pytorch) runs the cases and hands each one's measurements to record(); its
module docstring describes the workloads, the sides and what the figures mean.
"""

import dataclasses
import math
import statistics

from vs_pytorch_targets import targets_table

BUILTIN = "rewind_builtin"  # W5's second Rewind side: the library's own cell on the same model
PLAIN = "rewind_plain"  # W2 checkpointed's second Rewind side: the same model unrolled plain


@dataclasses.dataclass
class Measured:
    """What one case's run gave, per side: rates, warm-ups, memory, and the workers' ready lines."""

    rates: dict
    warmups: dict
    memory: dict
    heap: dict
    start: dict
    plain_heap: dict = None  # W2 checkpointed: the plain side's live heap, as heap is Rewind's

    @property
    def rate(self):
        return {side: statistics.median(v) for side, v in self.rates.items()}

    def paired_range(self, side):
        """The lowest and highest ratio of a Rewind repetition to the PyTorch one that followed it."""
        ratios = [r / t for r, t in zip(self.rates["rewind"], self.rates[side])]
        return [round(min(ratios), 3), round(max(ratios), 3)]

    def peak_rss(self, side):
        return round(self.memory[side]["peak_rss_mb"], 1)

    def start_rss(self, side):
        return round(self.start[side]["rss_mb"], 1)



def dtype_of(row):
    """The dtype a row ran in: f64 or f32; results from before dtypes were recorded are f64."""
    return row.get("dtype", "f64")


def record(name, workload, args, threads, dtype, m):
    """One JSON object per case: throughput, ratios, memory and warm-up of each side."""
    if workload == "w2-checkpointed":
        return record_checkpointed(name, args, threads, dtype, m)
    tokens = workload in ("w1", "w2")
    torch_side = {"w1": "fused", "w2": "fused", "w3": "numpy", "w4": "autograd", "w5": "loop"}[workload]
    rate = m.rate
    peak_heap = m.heap["peak_heap_mb"] if m.heap["samples"] > 0 else None
    row = {
        "case": name,
        "dtype": dtype,
        "threads": threads,
        "rewind_threads": m.start["rewind"].get("threads"),
        "rewind_blas_threads": m.start["rewind"].get("blas_threads"),
        "shard_rows": m.start["rewind"].get("shard_rows") or None,
        "rewind_tokens_per_s": round(rate["rewind"], 1) if tokens or workload == "w5" else None,
        "torch_fused_tokens_per_s": round(rate["fused"], 1) if tokens else None,
        "torch_loop_tokens_per_s": round(rate["loop"], 1) if "loop" in rate else None,
        "rewind_peak_rss_mb": m.peak_rss("rewind"),
        "torch_peak_rss_mb": m.peak_rss(torch_side),
        "rewind_peak_heap_mb": peak_heap,
        "workload": workload,
        "args": args,
        "rewind_start_rss_mb": m.start_rss("rewind"),
        "torch_start_rss_mb": m.start_rss(torch_side),
        "rewind_start_heap_mb": m.start["rewind"]["heap_mb"],
        "rewind_max_heap_mb": m.memory["rewind"]["heap_max_mb"],
        "rewind_heap_samples": m.heap["samples"],
        "rewind_warmup_s": round(m.warmups["rewind"]["seconds"], 2),
        "torch_warmup_s": round(m.warmups[torch_side]["seconds"], 2),
        "warmup": {
            side: {
                "seconds": round(w["seconds"], 2),
                "settled": w["settled"],
                "window_rates": w["window_rates"],
            }
            for side, w in m.warmups.items()
        },
        "samples": {side: [round(v, 3) for v in values] for side, values in m.rates.items()},
    }
    if tokens:
        row["ratio_vs_fused"] = round(rate["rewind"] / rate["fused"], 3)
        row["ratio_vs_loop"] = round(rate["rewind"] / rate["loop"], 3)
        row["ratio_vs_fused_range"] = m.paired_range("fused")
        row["ratio_vs_loop_range"] = m.paired_range("loop")
        row["torch_loop_peak_rss_mb"] = m.peak_rss("loop")
        row["torch_loop_warmup_s"] = round(m.warmups["loop"]["seconds"], 2)
    if workload == "w5":
        row["ratio_vs_loop"] = round(rate["rewind"] / rate["loop"], 3)
        row["ratio_vs_loop_range"] = m.paired_range("loop")
        builtin = BUILTIN in rate
        row["rewind_builtin_tokens_per_s"] = round(rate[BUILTIN], 1) if builtin else None
        row["ratio_vs_builtin"] = round(rate["rewind"] / rate[BUILTIN], 3) if builtin else None
        row["ratio_vs_builtin_range"] = m.paired_range(BUILTIN) if builtin else None
        row["rewind_builtin_peak_rss_mb"] = m.peak_rss(BUILTIN) if builtin else None
    if workload == "w2":
        steps = int(args[1])
        batch = 16
        for side, key in [("rewind", "rewind"), ("fused", "torch_fused"), ("loop", "torch_loop")]:
            row[f"{key}_us_per_time_step"] = round(batch / rate[side] * 1e6, 2)
        for side, key in [("rewind", "rewind"), ("fused", "torch"), ("loop", "torch_loop")]:
            row[f"{key}_mb_per_time_step"] = round((m.peak_rss(side) - m.start_rss(side)) / steps, 4)
        row["rewind_heap_mb_per_time_step"] = (
            round((peak_heap - row["rewind_start_heap_mb"]) / steps, 4) if peak_heap else None
        )
    if workload == "w3":
        row["rewind_gflops"] = round(rate["rewind"] / 1e9, 3)
        row["numpy_gflops"] = round(rate["numpy"] / 1e9, 3)
        row["ratio"] = round(rate["rewind"] / rate["numpy"], 3)
        row["ratio_range"] = m.paired_range("numpy")
    if workload == "w4":
        row["rewind_ns_per_op"] = round(1e9 / rate["rewind"], 1)
        row["torch_ns_per_op"] = round(1e9 / rate["autograd"], 1)
        row["ratio"] = round(rate["rewind"] / rate["autograd"], 3)
        row["ratio_range"] = m.paired_range("autograd")
    if "baseline" in rate:
        row["baseline_rate"] = round(rate["baseline"], 3)
        row["ratio_vs_baseline"] = round(rate["rewind"] / rate["baseline"], 3)
        row["ratio_vs_baseline_range"] = m.paired_range("baseline")
        row["baseline_ratio_vs_torch"] = round(rate["baseline"] / rate[torch_side], 3)
        if tokens:
            row["baseline_ratio_vs_loop"] = round(rate["baseline"] / rate["loop"], 3)
    return row


def record_checkpointed(name, args, threads, dtype, m):
    """W2 checkpointed against plain, both Rewind: time per step, live heap and their ratios.

    Two live-heap figures per side: the peak sampled over whole training steps (LiveHeap.peak) and
    the most left right after the forward pass (forward-heap: what the tape holds for the backward
    pass). The ratios are checkpointed / plain, of time and of each heap figure above the heap at
    start (the model and its inputs, which both sides hold).
    """
    steps, batch = int(args[1]), 16
    rate = m.rate
    ckpt, plain = m.heap, m.plain_heap
    start = {"rewind": m.start["rewind"]["heap_mb"], PLAIN: m.start[PLAIN]["heap_mb"]}
    time_pairs = [p / r for r, p in zip(m.rates["rewind"], m.rates[PLAIN])]

    def above_start(mb, side):
        return round(mb - start[side], 1)

    peak = {
        "rewind": above_start(ckpt["peak_heap_mb"], "rewind"),
        PLAIN: above_start(plain["peak_heap_mb"], PLAIN),
    }
    forward = {
        "rewind": above_start(ckpt["forward_heap_mb"], "rewind"),
        PLAIN: above_start(plain["forward_heap_mb"], PLAIN),
    }
    return {
        "case": name,
        "dtype": dtype,
        "threads": threads,
        "workload": "w2-checkpointed",
        "args": args,
        "segment_steps": math.ceil(math.sqrt(steps)),
        "rewind_tokens_per_s": round(rate["rewind"], 1),
        "plain_tokens_per_s": round(rate[PLAIN], 1),
        "rewind_us_per_time_step": round(batch / rate["rewind"] * 1e6, 2),
        "plain_us_per_time_step": round(batch / rate[PLAIN] * 1e6, 2),
        "time_ratio_vs_plain": round(rate[PLAIN] / rate["rewind"], 3),
        "time_ratio_vs_plain_range": [round(min(time_pairs), 3), round(max(time_pairs), 3)],
        "rewind_peak_heap_mb": ckpt["peak_heap_mb"],
        "plain_peak_heap_mb": plain["peak_heap_mb"],
        "rewind_heap_samples": ckpt["samples"],
        "plain_heap_samples": plain["samples"],
        "rewind_forward_heap_mb": ckpt["forward_heap_mb"],
        "plain_forward_heap_mb": plain["forward_heap_mb"],
        "rewind_start_heap_mb": start["rewind"],
        "plain_start_heap_mb": start[PLAIN],
        "peak_heap_above_start_mb": {"rewind": peak["rewind"], "plain": peak[PLAIN]},
        "forward_heap_above_start_mb": {"rewind": forward["rewind"], "plain": forward[PLAIN]},
        "heap_ratio_vs_plain": round(peak["rewind"] / peak[PLAIN], 3),
        "forward_heap_ratio_vs_plain": round(forward["rewind"] / forward[PLAIN], 3),
        "rewind_peak_rss_mb": m.peak_rss("rewind"),
        "plain_peak_rss_mb": m.peak_rss(PLAIN),
        "rewind_max_heap_mb": m.memory["rewind"]["heap_max_mb"],
        "rewind_warmup_s": round(m.warmups["rewind"]["seconds"], 2),
        "plain_warmup_s": round(m.warmups[PLAIN]["seconds"], 2),
        "warmup": {
            side: {"seconds": round(w["seconds"], 2), "settled": w["settled"], "window_rates": w["window_rates"]}
            for side, w in m.warmups.items()
        },
        "samples": {side: [round(v, 3) for v in values] for side, values in m.rates.items()},
    }


def checkpointed_line(row):
    """The console line of a W2 checkpointed case: time and live heap against plain."""
    low, high = row["time_ratio_vs_plain_range"]
    peak, forward = row["peak_heap_above_start_mb"], row["forward_heap_above_start_mb"]
    return (
        f"{row['case']:<24} {dtype_of(row):<3} {row.get('threads', 1):>2} µs/step {row['rewind_us_per_time_step']:.0f} "
        f"vs plain {row['plain_us_per_time_step']:.0f} ({row['time_ratio_vs_plain']:.2f}x, "
        f"{low:.2f}–{high:.2f}); live heap above start: peak {peak['rewind']:.0f} vs "
        f"{peak['plain']:.0f} MB ({row['heap_ratio_vs_plain']:.2f}), after forward "
        f"{forward['rewind']:.0f} vs {forward['plain']:.0f} MB ({row['forward_heap_ratio_vs_plain']:.2f})"
    )


def checkpointed_table(rows):
    """W2 checkpointed against plain, Rewind only, when the run had such cases."""
    rows = [r for r in rows if r["workload"] == "w2-checkpointed"]
    if not rows:
        return []
    lines = [
        "",
        "Checkpointed BPTT (Rewind only): the W2 model at T = 4096, unrolled with "
        "`Recurrent.checkpointed().runWithLoss` (the readout and the loss of each step inside the "
        "segments) against the same model unrolled plain, alternating.",
        "",
        "| case | dtype | threads | segment | µs per step: checkpointed / plain | time ratio (range) "
        "| peak live heap MB: checkpointed / plain | above start: checkpointed / plain (ratio) "
        "| after forward, above start (ratio) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        low, high = row["time_ratio_vs_plain_range"]
        peak, forward = row["peak_heap_above_start_mb"], row["forward_heap_above_start_mb"]
        lines.append(
            f"| {row['case']} | {dtype_of(row)} | {row.get('threads', 1)} | {row['segment_steps']} "
            f"| {row['rewind_us_per_time_step']:.0f} / {row['plain_us_per_time_step']:.0f} "
            f"| {row['time_ratio_vs_plain']:.2f}x ({low:.2f}–{high:.2f}) "
            f"| {row['rewind_peak_heap_mb']:.0f} / {row['plain_peak_heap_mb']:.0f} "
            f"| {peak['rewind']:.0f} / {peak['plain']:.0f} ({row['heap_ratio_vs_plain']:.2f}) "
            f"| {forward['rewind']:.0f} / {forward['plain']:.0f} ({row['forward_heap_ratio_vs_plain']:.2f}) |"
        )
    lines += [
        "",
        "Time ratio is checkpointed / plain time per step (median; range over paired repetitions). "
        "Peak live heap is sampled over whole training steps (full collections forced while the work "
        "repeats); after forward is the live heap right after the forward pass, the tape still open "
        "(largest of two steps). Above start subtracts the heap before any work (the model and its "
        "inputs, about the same on both sides).",
    ]
    return lines


def figures(row):
    """(unit, Rewind, PyTorch, PyTorch loop, Rewind/PyTorch, Rewind/loop) as text, '' if none."""
    w = row["workload"]
    if w in ("w1", "w2"):
        return (
            "tokens/s",
            f"{row['rewind_tokens_per_s']:,.0f}",
            f"{row['torch_fused_tokens_per_s']:,.0f}",
            f"{row['torch_loop_tokens_per_s']:,.0f}",
            f"{row['ratio_vs_fused']:.2f}x",
            f"{row['ratio_vs_loop']:.2f}x",
        )
    if w == "w5":
        loop = f"{row['torch_loop_tokens_per_s']:,.0f}"
        return "tokens/s", f"{row['rewind_tokens_per_s']:,.0f}", "", loop, "", f"{row['ratio_vs_loop']:.2f}x"
    if w == "w3":
        unit, rewind, torch = "GFLOP/s", f"{row['rewind_gflops']:.2f}", f"{row['numpy_gflops']:.2f}"
    else:
        unit, rewind, torch = "ns/op", f"{row['rewind_ns_per_op']:.1f}", f"{row['torch_ns_per_op']:.1f}"
    return unit, rewind, torch, "", f"{row['ratio']:.2f}x", ""


def ratio_ranges(row):
    """The paired ratios' lowest–highest, against PyTorch (fused / loop); '' for older results."""
    keys = ["ratio_vs_fused_range", "ratio_vs_loop_range", "ratio_range"]
    spans = [f"{row[k][0]:.2f}–{row[k][1]:.2f}" for k in keys if row.get(k)]
    return " / ".join(spans)


def megabytes(value):
    return "–" if value is None else f"{value:.0f}"


def builtin_ratio(row):
    """W5's custom cell over Rewind's built-in one, with the paired range; '' where there is none."""
    if row.get("ratio_vs_builtin") is None:
        return ""
    low, high = row["ratio_vs_builtin_range"]
    return f"{row['ratio_vs_builtin']:.2f}x ({low:.2f}–{high:.2f})"


def torch_rss(row):
    loop = row.get("torch_loop_peak_rss_mb")
    return megabytes(row["torch_peak_rss_mb"]) + ("" if loop is None else f"/{megabytes(loop)}")


def format_row(row):
    if row["workload"] == "w2-checkpointed":
        return checkpointed_line(row)
    unit, rewind, torch, loop, ratio, ratio_loop = figures(row)
    return (
        f"{row['case']:<24} {dtype_of(row):<3} {row.get('threads', 1):>2} {unit:<9}{rewind:>10} {torch:>10} {loop:>10} "
        f"{ratio:>8} {ratio_loop:>8} {megabytes(row.get('rewind_peak_heap_mb')):>6} "
        f"{megabytes(row['rewind_peak_rss_mb']):>6} {torch_rss(row):>11}"
    )


HEADER = (
    f"{'case':<24} {'dt':<3} {'th':>2} {'unit':<9}{'Rewind':>10} {'torch':>10} {'torch loop':>10} "
    f"{'R/torch':>8} {'R/loop':>8} {'heap':>6} {'RSS':>6} {'torch RSS':>11}   "
    "(MB: Rewind's peak live heap and RSS; torch fused/loop)"
)

MARKDOWN_COLUMNS = [
    "case",
    "dtype",
    "threads",
    "unit",
    "Rewind",
    "PyTorch",
    "PyTorch loop",
    "Rewind / PyTorch",
    "Rewind / loop",
    "range over repetitions",
    "Rewind peak heap MB",
    "Rewind peak RSS MB",
    "PyTorch peak RSS MB",
    "MB per step: Rewind heap / PyTorch",
    "warm-up s: Rewind / PyTorch",
]


def markdown(document):
    """The run as markdown: the machine, the command, one table of the cases against PyTorch and one
    of checkpointed BPTT against plain, each when the run had such cases."""
    ordered = sorted(document["cases"], key=lambda r: r.get("threads", 1))  # stable within a count
    lines = [
        f"Machine: {document.get('machine', '(not recorded)')}",
        "",
        f"Software: {document.get('software', '(not recorded)')}",
        "",
        f"Command: `{document.get('command', '(not recorded)')}`",
    ]
    lines += comparison_table([r for r in ordered if r["workload"] != "w2-checkpointed"])
    unsettled = [
        f"{row['case']} ({dtype_of(row)}, {row.get('threads', 1)} threads): {', '.join(sides)}"
        for row in ordered
        for sides in [[s for s, w in row.get("warmup", {}).items() if not w["settled"]]]
        if sides
    ]
    if unsettled:
        lines += ["", "Warm-up reached its cap before two windows agreed: " + "; ".join(unsettled) + "."]
    lines += checkpointed_table(ordered)
    lines += baseline_table(document)
    lines += targets_table(ordered)
    for label, key in [("Left out", "skipped"), ("Failed", "failed")]:
        if document.get(key):
            lines += ["", f"{label}: " + "; ".join(document[key]) + "."]
    return "\n".join(lines) + "\n"


def comparison_table(rows):
    """The cases against PyTorch: one row each, and what the columns mean; none without such cases."""
    if not rows:
        return []
    builtin = any(row.get("ratio_vs_builtin") is not None for row in rows)
    columns = MARKDOWN_COLUMNS + (["Rewind custom / built-in"] if builtin else [])
    lines = [
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" if c in ("case", "dtype", "unit") else "---:" for c in columns) + "|",
    ]
    for row in rows:
        unit, rewind, torch, loop, ratio, ratio_loop = figures(row)
        per_step = ""
        if row.get("rewind_heap_mb_per_time_step") is not None:
            per_step = f"{row['rewind_heap_mb_per_time_step']:.3f} / {row['torch_mb_per_time_step']:.3f}"
        warmup = ""
        if "rewind_warmup_s" in row:
            warmup = f"{row['rewind_warmup_s']:.0f} / {row['torch_warmup_s']:.0f}"
        cells = [
            row["case"],
            dtype_of(row),
            str(row.get("threads", 1)),
            unit,
            rewind,
            torch,
            loop,
            ratio,
            ratio_loop,
            ratio_ranges(row),
            megabytes(row.get("rewind_peak_heap_mb")),
            megabytes(row["rewind_peak_rss_mb"]),
            torch_rss(row),
            per_step,
            warmup,
        ] + ([builtin_ratio(row)] if builtin else [])
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Both sides run in the row's dtype (f64: float64; f32: float32). "
        "PyTorch is its fused nn.RNN/nn.LSTM/nn.GRU for W1 and W2, numpy (OpenBLAS dgemm; sgemm in "
        "f32) for W3 and autograd for W4 (float64 only); PyTorch loop is the same cell as a Python loop over time. Ratios are "
        "Rewind's throughput over PyTorch's (above 1: Rewind is faster), medians of alternating "
        "repetitions; the range is the lowest and highest ratio of one Rewind repetition to the "
        "PyTorch repetition that followed it, which shows how far the machine moved. Peak heap is "
        "the most live data on Rewind's Java heap; peak RSS (VmHWM) is per process, PyTorch's as "
        "fused/loop. MB per step (W2) is (peak − start) / T: Rewind's live heap, PyTorch fused's "
        "RSS.",
    ]
    if any(row["workload"] == "w5" for row in rows):
        lines += [
            "",
            "W5 is a user's own cell: Rewind's is written with RecurrentCell.of over generic ops, "
            "PyTorch's is the Python loop; there is no fused PyTorch side. Rewind custom / built-in "
            "(GRU only) is the custom cell's throughput over Rewind's GruCell on the same model, "
            "with its range over paired repetitions.",
        ]
    return lines


def baseline_table(document):
    """Before and after: the baseline build's ratios beside Rewind's, when the run had one."""
    rows = [r for r in document["cases"] if "ratio_vs_baseline" in r]
    if not rows:
        return []
    lines = [
        "",
        f"Before and after, in the same alternation: before is `{document['settings']['baseline']}`.",
        "",
        "| case | dtype | threads | before / PyTorch | after / PyTorch | before / loop | after / loop "
        "| after / before | range of after / before |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: r.get("threads", 1)):
        ratio = row.get("ratio_vs_fused", row.get("ratio", row.get("ratio_vs_loop")))
        loop = row.get("ratio_vs_loop")
        before_loop = row.get("baseline_ratio_vs_loop")
        low, high = row["ratio_vs_baseline_range"]
        lines.append(
            f"| {row['case']} | {dtype_of(row)} | {row.get('threads', 1)} | {row['baseline_ratio_vs_torch']:.2f}x "
            f"| {ratio:.2f}x | {'' if before_loop is None else f'{before_loop:.2f}x'} "
            f"| {'' if loop is None else f'{loop:.2f}x'} | {row['ratio_vs_baseline']:.2f}x "
            f"| {low:.2f}–{high:.2f} |"
        )
    return lines
