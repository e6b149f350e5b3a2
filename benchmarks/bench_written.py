"""How long a written answer takes to check: helpers.written.check_answer on every question.

For each question, two typical answers: the right one (its reference, as the notebooks write it) and a
wrong one (the first mistake of its catalogue, which is matched after the right answer is ruled out).
"first" is the first check of the question in a fresh process, which also draws the question's random
values and evaluates its reference and mistakes there; "median" and "max" are over the repeats after it.
Run:
    python benchmarks/bench_written.py
"""

import statistics
import time

from helpers.written import QUESTIONS, check_answer

REPEATS = 15


def timed(key, text):
    start = time.perf_counter()
    check_answer(key, text)
    return 1e3 * (time.perf_counter() - start)


def main():
    print("| question | first (ms) | right: median (ms) | right: max (ms) | wrong: median (ms) | wrong: max (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    right_all, wrong_all, first_all = [], [], []
    for key, q in QUESTIONS.items():
        wrong = q.mistakes[0].formula if q.mistakes else "0"
        first = timed(key, q.reference)
        right = [timed(key, q.reference) for _ in range(REPEATS)]
        wrong_times = [timed(key, wrong) for _ in range(REPEATS)]
        first_all.append(first)
        right_all += right
        wrong_all += wrong_times
        print(
            f"| {key} | {first:.1f} | {statistics.median(right):.1f} | {max(right):.1f} | "
            f"{statistics.median(wrong_times):.1f} | {max(wrong_times):.1f} |"
        )
    print(
        f"\nAll {len(QUESTIONS)} questions: right answers median {statistics.median(right_all):.1f} ms, "
        f"max {max(right_all):.1f} ms; wrong answers median {statistics.median(wrong_all):.1f} ms, "
        f"max {max(wrong_all):.1f} ms; first check median {statistics.median(first_all):.1f} ms, "
        f"max {max(first_all):.1f} ms."
    )


if __name__ == "__main__":
    main()
