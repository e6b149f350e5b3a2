"""What the class got wrong: per exercise, how many students made each named mistake, from nbgrader's autograded
notebooks. nbgrader's gradebook holds scores only; the hidden test of each exercise (helpers.selfcheck.grade)
leaves the check's verdict in the autograded notebook, the mistake it named included.

Usage, from the course root (the repository, or wherever nbgrader_config.py is):

    python tools/misconceptions.py [AUTOGRADED_DIR] [--assignment notebooks] [--out misconceptions]

writes OUT.csv (exercise, outcome, students, share of the class) and OUT.png (a chart of each exercise's
mistakes), and prints the table. An outcome is "correct", a mistake id of the exercise's check (its message
in the CSV), "not-written" (the stub left), or "did-not-run" (the cell raised something else, or never ran).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

import nbformat

CORRECT, DID_NOT_RUN = "correct", "did-not-run"


def outcome(cell):
    """(outcome, message) of one autograded grade cell: what its hidden test found."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return CORRECT, ""
    error = errors[0]
    if error.get("ename") == "NotPassed":
        try:
            verdict = json.loads(error.get("evalue", ""))
            return verdict["mistake"] or "differs", verdict["message"]
        except (ValueError, KeyError, TypeError):
            pass
    return DID_NOT_RUN, f"{error.get('ename')}: {error.get('evalue', '')}"[:200]


def read_class(autograded, assignment="notebooks"):
    """{exercise: Counter(outcome)} and {(exercise, outcome): an example message}, over every student's notebooks."""
    counts, messages = {}, {}
    for path in sorted(Path(autograded).glob(f"*/{assignment}/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade") or not meta.get("grade_id", "").endswith("-check"):
                continue
            exercise = meta["grade_id"].removesuffix("-check")
            result, message = outcome(cell)
            counts.setdefault(exercise, Counter())[result] += 1
            messages.setdefault((exercise, result), message)
    return counts, messages


def write_csv(counts, messages, path):
    """One row per (exercise, outcome): the number of students and their share of those graded on the exercise."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["exercise", "outcome", "students", "share", "message"])
        for exercise, outcomes in sorted(counts.items()):
            total = sum(outcomes.values())
            for result, n in outcomes.most_common():
                out.writerow([exercise, result, n, f"{n / total:.3f}", messages.get((exercise, result), "")])


def draw(counts, path):
    """A horizontal bar per (exercise, outcome that is not "correct"), longest first within each exercise."""
    from helpers import plotting

    rows = [(f"{exercise}: {result}", n) for exercise, outcomes in sorted(counts.items())
            for result, n in outcomes.most_common() if result != CORRECT]  # fmt: skip
    fig, ax = plotting.figure(size=(7.5, 0.32 * max(len(rows), 3) + 1.2))
    ax.barh(range(len(rows)), [n for _, n in rows], color=plotting.BLUE)
    ax.set(yticks=range(len(rows)), xlabel="students", title="what the class got wrong, by exercise and mistake")
    ax.set_yticklabels([label for label, _ in rows], fontsize=7)
    ax.invert_yaxis()
    fig.savefig(path, dpi=110)
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("autograded", nargs="?", default="autograded", help="nbgrader's autograded/ directory")
    parser.add_argument("--assignment", default="notebooks")
    parser.add_argument("--out", default="misconceptions", help="writes OUT.csv and OUT.png")
    args = parser.parse_args(argv)
    counts, messages = read_class(args.autograded, args.assignment)
    if not counts:
        sys.exit(f"no autograded notebook under {args.autograded}/*/{args.assignment}/: run nbgrader autograde first")
    write_csv(counts, messages, f"{args.out}.csv")
    draw(counts, f"{args.out}.png")
    for exercise, outcomes in sorted(counts.items()):
        print(f"{exercise}: " + ", ".join(f"{result} {n}" for result, n in outcomes.most_common()))
    print(f"wrote {args.out}.csv and {args.out}.png")


if __name__ == "__main__":
    main()
