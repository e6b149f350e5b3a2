"""Every stored output is the same on any machine: strict nbval again, under simulated other CPUs.

CI runs on whatever machine it gets. numpy picks its SIMD kernels at run time (AVX-512, AVX2 or the
baseline), and its float64 ``exp``, ``tanh``, ... can differ in the last bit between them; OpenBLAS
picks its kernels by CPU (``OPENBLAS_CORETYPE``) and thread count, which changes the summation order
of every matrix product and norm. A stored output that prints round-off, or all 17 digits of a
float, passes on one machine and fails on the next. Each run below makes this machine behave like
another one, and every notebook must still match its stored outputs exactly
(``../shared/notes/testing-notebooks.md`` measured that both catch such cells).

The simulations only take features away (x86-64: the baseline every numpy wheel needs), so they run
on any machine this project runs on; on a CPU without AVX the second one uses OpenBLAS's SSE kernels.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _has(feature):
    import numpy._core._multiarray_umath as umath  # numpy >= 2; 1.x keeps it in numpy.core

    return bool(umath.__cpu_features__.get(feature))


def machines():
    """{description: environment}: CPUs this one can pretend to be."""
    avx = "Sandybridge" if _has("AVX") else "Nehalem"
    return {
        "numpy baseline SIMD (no AVX2, no AVX-512), OpenBLAS Prescott kernels, 1 thread": {
            "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
            "OPENBLAS_CORETYPE": "Prescott",
            "OPENBLAS_NUM_THREADS": "1",
        },
        f"numpy without AVX-512, OpenBLAS {avx} kernels, 2 threads": {
            "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
            "OPENBLAS_CORETYPE": avx,
            "OPENBLAS_NUM_THREADS": "2",
        },
    }


def strict_nbval(notebooks, env):
    """Run strict nbval over ``notebooks`` (a directory) with ``env`` added; returns (ok, what failed)."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            str(notebooks),
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    return run.returncode == 0, "\n".join(failed) or run.stdout[-3000:]


@pytest.mark.parametrize("description", list(machines()))
def test_every_stored_output_is_the_same_on_another_cpu(description):
    ok, failed = strict_nbval(ROOT / "notebooks", machines()[description])
    assert ok, (
        f"on a simulated other machine ({description}) these stored outputs differ:\n{failed}\n"
        "print a bound (`< 1e-12`) for what is zero in exact arithmetic, and no more digits than every CPU gives"
    )
