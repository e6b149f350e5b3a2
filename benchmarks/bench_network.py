"""Forward + backward of the MLP (2 -> 256 -> 5, ReLU/identity, mean MSE): one batched pass
against a plain loop over the samples, and the time of ``import helpers``.

Run: python benchmarks/bench_network.py

At batch 1024 each (1024, 256) temporary is 2 MB; glibc hands such blocks back to the kernel on
free and page-faults them in again on the next pass, which on a VM costs more than the arithmetic.
The script therefore prints the table twice: as a student runs it, and in a child process with
glibc's trim and mmap thresholds raised (MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_), which
keeps freed blocks for reuse; the code is the same.
"""

import os
import statistics
import subprocess
import sys
import time

import numpy as np

from helpers import MLP, mse_loss

BATCHES = (1, 64, 1024, 8192)


def batched(net, x, y):
    net.clear_grad_and_cache()
    _, dJ = mse_loss(y, net.forward(x))
    net.backward(dJ)


def per_sample(net, x, y):
    net.clear_grad_and_cache()
    for i in range(len(x)):
        _, dJ = mse_loss(y[i : i + 1], net.forward(x[i : i + 1]))
        net.backward(dJ / len(x))  # same mean over the batch


def median_seconds(fn, *args, min_total=0.5, min_reps=5):
    times = []
    while len(times) < min_reps or sum(times) < min_total:
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
        if len(times) >= 200:
            break
    return statistics.median(times)


def import_seconds(reps=7):
    code = "import time; t = time.perf_counter(); import helpers; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(reps)]  # fmt: skip
    return statistics.median(runs)


TUNED = {"MALLOC_TRIM_THRESHOLD_": "1000000000", "MALLOC_MMAP_THRESHOLD_": "1000000000"}


def table():
    net = MLP(2, 256, "relu", 256, 5, "identity", seed=0)
    rng = np.random.default_rng(0)
    print("| batch | batched (ms) | per-sample loop (ms) | speed-up |")
    print("|---:|---:|---:|---:|")
    for n in BATCHES:
        x, y = rng.standard_normal((n, 2)), rng.standard_normal((n, 5))
        tb = median_seconds(batched, net, x, y)
        tl = median_seconds(per_sample, net, x, y, min_reps=3)
        print(f"| {n} | {tb * 1e3:.3f} | {tl * 1e3:.1f} | {tl / tb:.0f}x |")


def main():
    if "--table-only" in sys.argv:
        table()
        return
    print("Default allocator settings:\n")
    table()
    print("\nglibc keeping freed blocks (" + ", ".join(f"{k}={v}" for k, v in TUNED.items()) + "):\n")
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, "--table-only"], env={**os.environ, **TUNED}, check=True)
    print(f"\nimport helpers: {import_seconds() * 1e3:.0f} ms (median of 7 fresh interpreters)")


if __name__ == "__main__":
    main()
