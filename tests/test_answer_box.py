"""The answer box of the notebooks, and the hidden test of a written answer (helpers.written.grade)."""

import ast
import json
import re
from pathlib import Path

import pytest

from helpers.answer_box import answer_box
from helpers.selfcheck import NotPassed
from helpers.written import QUESTIONS, grade

RIGHT = r"5\big(W^{(1)}x + b^{(1)}\big)^+ \frac{\partial \ell}{\partial \hat y} \frac{\partial \hat y}{\partial z_3}"
SOURCES = r"\frac{\partial \ell}{\partial z_3} z_2^\top"  # the source's dl/dW2: z's, W-shaped


def test_the_button_judges_the_chosen_question_and_shows_the_reading_and_the_verdict():
    box = answer_box("1.2(c) dl/dW2", "1.2(c) dl/db2")
    assert box.question.options == (("1.2(c) dl/dW2", "1.2(c) dl/dW2"), ("1.2(c) dl/db2", "1.2(c) dl/db2"))
    box.text.value = RIGHT
    box.button.click()
    assert box.verdict.ok and box.message.value.count("correct: right") == 1
    assert box.reading.value.startswith("read as: $$") and r"\frac{\partial \ell}{\partial \hat y}" in box.reading.value
    assert 'role="status"' in box.message.value and 'aria-live="polite"' in box.message.value
    box.text.value = SOURCES
    box.button.click()
    assert not box.verdict.ok and "not yet: it uses z₂" in box.message.value
    box.question.value = "1.2(c) dl/db2"
    box.text.value = r"\frac{\partial \ell}{\partial \hat y} \frac{\partial \hat y}{\partial z_3}"
    assert box.check().ok


def test_what_it_cannot_read_is_shown_with_where_and_escaped():
    box = answer_box("1.2(b) y_hat", text=r"W^{(2)} <script> \frac{")
    box.check()
    assert not box.verdict.ok and "<script>" not in box.message.value and "&lt;script&gt;" in box.message.value


def test_bad_questions_are_refused_naming_them():
    with pytest.raises(ValueError, match="questions must be one of"):
        answer_box("1.9 nothing")
    with pytest.raises(TypeError, match="questions must be a list"):
        answer_box()


def test_grade_passes_a_right_answer_and_raises_the_verdict_for_a_wrong_one():
    assert grade("1.2(c) dl/dW2", RIGHT) is None
    with pytest.raises(NotPassed) as raised:
        grade("1.2(c) dl/dW2", SOURCES)
    assert not raised.value.verdict.ok and '"exercise": "1.2(c) dl/dW2"' in str(raised.value)


def test_every_question_has_a_box():
    assert answer_box(*QUESTIONS).question.options[-1][1] == list(QUESTIONS)[-1]


# --- the boxes in the notebooks ------------------------------------------------------------------------------

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _boxes(path):
    """[(cell index, the question keys of an answer_box(...) call)] of a notebook's code cells."""
    cells = json.loads(path.read_text())["cells"]
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code" or "answer_box(" not in "".join(cell["source"]):
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "answer_box":
                found.append((i, [arg.value for arg in node.args]))
    return cells, found


def _covers(cells, part):
    """Whether a notebook's title cell ('*Problem 1.2(b)-(d) of homework 1.*') names the problem ``part``
    ('1.2(c)', '1.4')."""
    named = re.search(r"\*Problems? (.*?) of homework 1", "".join(cells[0]["source"])).group(1)
    for item in named.split(" and "):
        number, first, last = re.fullmatch(r"(\d\.\d)(?:\((\w)\)(?:-\((\w)\))?)?", item).groups()
        letter = part[4:5]
        if part[:3] == number and (first is None or first <= letter <= (last or first)):
            return True
    return False


def test_every_formula_the_homework_asks_for_has_a_box_in_the_notebook_of_its_problem():
    placed = {}
    for path in NOTEBOOKS:
        cells, boxes = _boxes(path)
        for _, keys in boxes:
            for key in keys:
                assert key not in placed, f"{key} has a box in {placed[key]} and in {path.name}"
                placed[key] = path.name
                assert _covers(cells, QUESTIONS[key].part), f"{key} is in {path.name}, not a notebook of its problem"
    assert set(placed) == set(QUESTIONS), f"no box for {sorted(set(QUESTIONS) - set(placed))}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_notebook_says_what_its_box_accepts_and_does_not_judge_before_its_first_box(path):
    cells, boxes = _boxes(path)
    if not boxes:
        return
    before = "".join("".join(c["source"]) for c in cells[: boxes[0][0]] if c["cell_type"] == "markdown")
    for heading in ("**What it accepts**", "**How it judges**", "**What it does not judge**"):
        assert heading in before, f"{path.name}: no {heading} before its first answer box"
