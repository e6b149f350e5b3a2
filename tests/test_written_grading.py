"""Written answers graded by nbgrader: a toy assignment made with ``tools/notebooks.py written``, autograded
for a student who answers right (in other forms than the reference), one with typical mistakes, and one who
answers nothing. The hidden test is helpers.written.grade, the judge of the answer box."""

import importlib.util
import json
import runpy
from pathlib import Path

import nbformat
import pytest

from helpers.written import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)
ASSIGNMENT = tool.ASSIGNMENT

# ANSWERS: question -> (points, a right answer written otherwise than the reference, a mistake, its id)
ANSWERS = {
    "1.2(d) dl/dy_hat": (1, "2*(y_hat - y).T", r"2(\hat y - y)", "column"),
    "1.2(c) dl/dW2": (
        2,
        r"5\left(W_1 x + b_1\right)^+ \frac{\partial \ell}{\partial \hat y} \frac{\partial \hat y}{\partial z_3}",
        r"\frac{\partial \ell}{\partial z_3}^\top z_2^\top",
        "W-shaped",  # the source's: z's the question does not permit, and the shape of W2, not its transpose
    ),
    "1.5(c) GELU'": (1, r"\Phi(x) + \frac{x}{\sqrt{2\pi}} e^{-x^2/2}", r"\Phi(x)", "product-rule-half"),
}
SLUGS = {q: tool.written_question_cells(q, 1)[1].metadata["nbgrader"]["grade_id"] for q in ANSWERS}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("written")
    (course / ASSIGNMENT).mkdir()
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    source = course / ASSIGNMENT / "written.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, source)
    for question, (points, *_) in ANSWERS.items():
        tool.add_written_question(source, question, points)
    tool.nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=course)
    release = nbformat.read(course / "student" / ASSIGNMENT / "written.ipynb", as_version=4)
    for student, column in (("right", 1), ("mistaken", 2), ("blank", None)):
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        for cell in nb.cells:
            for question, answers in ANSWERS.items():
                if column and cell.metadata.get("nbgrader", {}).get("grade_id") == SLUGS[question]:
                    cell.source = f'answer = r"{answers[column]}"'
        (course / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / student / ASSIGNMENT / "written.ipynb")
    tool.nbgrader("autograde", ASSIGNMENT, cwd=course)
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in ("right", "mistaken", "blank"):
            for question in ANSWERS:
                grade = gb.find_grade(f"{SLUGS[question]}-check", "written", ASSIGNMENT, student)
                scores[student, question] = (grade.score, grade.max_score)
    return course, scores


def test_the_student_edition_keeps_no_reference_answer(graded):
    course, _ = graded
    nb = nbformat.read(course / "student" / ASSIGNMENT / "written.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in nb.cells)
    assert "_grade_" not in text
    for question in ANSWERS:
        assert QUESTIONS[question].reference not in text


@pytest.mark.parametrize("question", list(ANSWERS))
def test_autograde_gives_a_right_answer_its_points_and_a_mistake_or_a_blank_none(graded, question):
    _, scores = graded
    points = ANSWERS[question][0]
    assert scores["right", question] == (points, points)
    assert scores["mistaken", question] == (0, points)
    assert scores["blank", question] == (0, points)


def test_a_failed_written_answer_shows_its_verdict_and_names_its_mistake_for_the_class_report(graded):
    course, _ = graded
    nb = nbformat.read(course / "autograded" / "mistaken" / ASSIGNMENT / "written.ipynb", as_version=4)
    errors = {
        cell.metadata.get("nbgrader", {}).get("grade_id", ""): output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    }
    for question, (_, _, _, mistake) in ANSWERS.items():
        error = errors[f"{SLUGS[question]}-check"]
        record = json.loads(error.evalue)
        assert (record["exercise"], record["mistake"]) == (question, mistake or "differs")
        assert error.traceback == [f"NotPassed: not yet: {record['message']}"]  # the verdict, no traceback


def test_feedback_shows_the_verdict_not_the_hidden_test(graded):
    course, _ = graded
    tool.nbgrader("generate_feedback", ASSIGNMENT, cwd=course)
    html = (course / "feedback" / "mistaken" / ASSIGNMENT / "written.html").read_text()
    assert "the product rule gives two terms" in html
    assert "Traceback (most recent call last)" not in html and "NotPassed: not yet:" in html


def test_the_class_report_counts_the_written_answers_mistakes(graded):
    course, _ = graded

    report = runpy.run_path(str(ROOT / "tools" / "misconceptions.py"))
    counts, _ = report["read_class"](course / "autograded", ASSIGNMENT)
    for question, (_, _, _, mistake) in ANSWERS.items():
        assert counts[SLUGS[question]] == {"correct": 1, mistake: 1, "did-not-run": 1}, question


def test_the_readme_counts_the_questions():
    text = (ROOT / "README.md").read_text()
    assert f"{len(QUESTIONS)} questions from 1.2(b) to 1.5(e)" in text
