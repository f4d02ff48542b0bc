"""The processes of bench/vs-pytorch: one worker per side of a case, a JVM or a Python process,
each serving the driver over a line protocol, and the command lines and environments they start
with. The driver (bench/vs-pytorch) describes what each side runs.
"""

import json
import os
import shlex
import subprocess
import sys
import zipfile

BENCH = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(BENCH, "target", "benchmarks.jar")
WORKER = os.path.join(BENCH, "vs_pytorch.py")
MAIN_CLASS = "dev.rewind.bench.SideBySide"
INSTALL = "apt-get update && apt-get install -y python3-torch libopenblas0-pthread"


class Worker:
    """One process serving one case over a line protocol: a JVM or a Python process."""

    def __init__(self, label, argv, env):
        self.label = label
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            bufsize=1,
        )
        self.ready = self._read()

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            error = self.process.stderr.read()
            raise RuntimeError(f"{self.label} stopped: {error.strip()[-2000:]}")
        return json.loads(line)

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self):
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def environment(threads):
    env = dict(os.environ)  # OPENBLAS_CORETYPE, if any, stays exactly as it is
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def shares_its_own_work(jar):
    """Whether a build of Rewind runs on rewind.threads threads (else only on OpenBLAS's)."""
    with zipfile.ZipFile(jar) as archive:
        return "dev/rewind/autodiff/tensor/Parallelism.class" in archive.namelist()


def java_environment(threads, jar=JAR):
    """Rewind shares out its own work and calls OpenBLAS on one thread; an older build, on N."""
    return environment(1 if shares_its_own_work(jar) else threads)


def java_argv(args, heap=None, jar=JAR, threads=1, dtype="f64", shard_rows=None):
    java = os.environ.get("REWIND_JAVA", "java")
    options = [f"-Xmx{heap}"] if heap else []
    options += [f"-Drewind.threads={threads}", f"-Drewind.bench.dtype={dtype}"]
    if shard_rows:
        options += [f"-Drewind.bench.shardRows={shard_rows}"]
    options += shlex.split(os.environ.get("REWIND_JAVA_OPTS", ""))
    return [java, *options, "-cp", jar, MAIN_CLASS, *args]


def python_argv(style, args, threads=1, dtype="f64"):
    return [sys.executable, WORKER, "--threads", str(threads), "--dtype", dtype, style, *args]


def check_torch(env):
    """PyTorch must import, and numpy and torch must run on OpenBLAS; else refuse."""
    try:
        probe = Worker("probe", python_argv("numpy", ["w3", "8"]), env)
    except RuntimeError as e:
        sys.exit(f"vs-pytorch: PyTorch does not load for {sys.executable}: {e}\ninstall it: {INSTALL}")
    info = probe.ask("blas")
    probe.close()
    libraries = info["libraries"]
    on_openblas = any("openblas" in p for p in libraries)
    if not (on_openblas or "openblas" in info["torch_config"].lower()):
        sys.exit(
            "vs-pytorch: refusing to compare: torch and numpy do not load OpenBLAS "
            f"(loaded: {', '.join(libraries) or 'no BLAS library'}).\n"
            f"install it: {INSTALL}  (or point libblas.so.3 at OpenBLAS with update-alternatives)"
        )
    return info
