"""Pass or fail, in words: the one result type of every check in the package.

A :class:`Verdict` is one judgement (an exercise's answer, a gradient against an oracle, a written
formula); a :class:`Report` prints titled groups of them, one line each. :func:`within` makes the
verdict of a measured error against a tolerance, as the oracle comparisons print it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """ok: the answer is right; message: what is right or wrong, in words.

    about: the quantity judged (``'dJdW1'``, ``'y_hat'``), '' if it is the whole answer;
    mistake: the id of the named mistake it recognised (a catalogue key), '' if none;
    reading: for a written formula, how it was read, in LaTeX (the echo a student checks).
    """

    ok: bool
    message: str
    about: str = ""
    mistake: str = ""
    reading: str = ""

    def __str__(self):
        return ("correct: " if self.ok else "not yet: ") + self.message


def within(about, error, tol, metric="max rel err") -> Verdict:
    """The verdict of ``error < tol`` for the quantity ``about``; NaN never passes.

    Its message is one line of a printed comparison: ``dJdW1      max rel err < 1e-10  ok`` (the bound,
    not the error itself, whose last digits vary with the CPU), or the error and the tolerance.
    """
    ok = bool(error < tol)
    if ok:
        return Verdict(True, f"{about:10s} {metric} < {tol:.0e}  ok", about)
    return Verdict(False, f"{about:10s} {metric} = {error:.1e}  FAIL (tol {tol:.0e})", about)


@dataclass(frozen=True)
class Report:
    """Titled groups of verdicts, ``[(title, [Verdict, ...]), ...]``; prints the title, then one line per verdict."""

    groups: list

    @property
    def ok(self) -> bool:
        return all(v.ok for _, verdicts in self.groups for v in verdicts)

    def __str__(self):
        return "\n".join(line for title, verdicts in self.groups for line in [title, *(v.message for v in verdicts)])
