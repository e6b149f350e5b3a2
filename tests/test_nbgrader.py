"""The student edition and nbgrader: it is current, leaks no solution, runs; autograde scores what it should.

The student edition (student/notebooks/) is what `nbgrader generate_assignment` makes of notebooks/
with nbgrader_config.py; tools/notebooks.py regenerates it. Everything here runs nbgrader in a
throwaway course directory with its own gradebook.
"""

import csv
import importlib.util
import os
import runpy
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_tools", ROOT / "tools" / "notebooks.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

ASSIGNMENT = tool.ASSIGNMENT
NOTEBOOKS = tool.source_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
_CATALOGUE = runpy.run_path(str(ROOT / "tests" / "exercise_mistakes.py"))
MISTAKES, TRICKS = _CATALOGUE["MISTAKES"], _CATALOGUE["TRICKS"]
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def exercises(path):
    """[(grade_id of the solution cell, grade_id of the grade cell after it, its points)] of a notebook."""
    cells = nbformat.read(path, as_version=4).cells
    found = []
    for cell, after in zip(cells, cells[1:] + [None]):
        if nbgrader_meta(cell).get("solution") and after is not None and nbgrader_meta(after).get("grade"):
            found.append(
                (nbgrader_meta(cell)["grade_id"], nbgrader_meta(after)["grade_id"], nbgrader_meta(after)["points"])
            )
    return found


EXERCISES = {p.stem: exercises(p) for p in NOTEBOOKS}
MISTAKE_CASES = [(stem, sol) for stem, found in EXERCISES.items() for sol, _, _ in found if (stem, sol) in MISTAKES]


def mistake_students():
    """{student: {notebook stem: solution grade_id}}: mistake_k makes each notebook's k-th listed mistake."""
    students = {}
    for stem, found in EXERCISES.items():
        listed = [sol for sol, _, _ in found if (stem, sol) in MISTAKES]
        for k, sol in enumerate(listed, 1):
            students.setdefault(f"mistake_{k}", {})[stem] = sol
    return students


def student_of(stem, sol):
    return next(student for student, plan in mistake_students().items() if plan.get(stem) == sol)


# --- the student edition -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory):
    return tool.generate_student(tmp_path_factory.mktemp("student") / ASSIGNMENT)


def test_the_committed_student_edition_is_current(student_edition):
    assert NOTEBOOKS, "no notebook in notebooks/"
    problems = tool.compare_trees(student_edition, tool.STUDENT)
    assert not problems, "student/notebooks/ is not what nbgrader makes of notebooks/ now:\n  " + "\n  ".join(
        problems + ["regenerate it: python tools/notebooks.py student"]
    )


def _solution_lines(cells):
    """The lines inside solution regions, less those the notebook also shows outside them."""
    inside, regions, elsewhere = False, set(), set()
    for cell in cells:
        for line in cell.source.splitlines():
            if BEGIN_SOLUTION in line:
                inside = True
            elif END_SOLUTION in line:
                inside = False
            elif line.strip():
                (regions if inside else elsewhere).add(line.strip())
    return regions - elsewhere


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_solution_line_reaches_the_student_edition(path, student_edition):
    """Neither the committed student edition nor a fresh one shows a line of a solution region."""
    cells = nbformat.read(path, as_version=4).cells
    solution = _solution_lines(cells)
    for edition in (tool.STUDENT / path.name, student_edition / path.name):
        assert edition.exists(), f"{edition} is missing: python tools/notebooks.py student"
        shown = {line.strip() for c in nbformat.read(edition, as_version=4).cells for line in c.source.splitlines()}
        leaked = sorted(solution & shown)
        assert not leaked, f"{edition}: {leaked}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_student_edition_runs_and_every_self_check_says_not_yet(path, student_edition):
    nb = tool.execute(student_edition / path.name)  # raises on the first cell that fails
    grade_cells = [c for c in nb.cells if nbgrader_meta(c).get("grade")]
    assert grade_cells, "no grade cell"
    for cell in grade_cells:
        text = "".join(text for _, text in tool.text_outputs(cell))
        assert text.startswith("not yet:"), f"{nbgrader_meta(cell)['grade_id']} printed {text[:200]!r}"


# --- autograde -----------------------------------------------------------------------------------


def test_every_exercise_has_a_typical_mistake():
    exercises_found = {(stem, sol) for stem, found in EXERCISES.items() for sol, _, _ in found}
    assert exercises_found, (
        "no exercise (a solution cell followed by a grade cell) in notebooks/ yet: mark them up as CONTRIBUTING.md "
        "says, then give each one a typical mistake in tests/exercise_mistakes.py"
    )
    missing = sorted(exercises_found - set(MISTAKES))
    stale = sorted(set(MISTAKES) - exercises_found)
    assert not (missing or stale), (
        f"exercises with no entry in tests/exercise_mistakes.py's MISTAKES: {missing}; "
        f"entries that name no exercise (notebook stem, solution cell's grade_id): {stale}"
    )


def solved(path):
    """{solution grade_id: the instructor's solution without the markers}: every other exercise done right."""
    cells = nbformat.read(path, as_version=4).cells
    return {
        nbgrader_meta(c)["grade_id"]: "\n".join(
            line for line in c.source.splitlines() if BEGIN_SOLUTION not in line and END_SOLUTION not in line
        )
        for c in cells
        if nbgrader_meta(c).get("solution")
    }


def submit(course):
    """Write every student's submission into ``course``/submitted/; {student: number of notebooks}."""
    release, submitted = course / "student" / ASSIGNMENT, course / "submitted"
    shutil.copytree(course / ASSIGNMENT, submitted / "instructor" / ASSIGNMENT)
    shutil.copytree(release, submitted / "blank" / ASSIGNMENT)
    for student, plan in mistake_students().items():
        (submitted / student / ASSIGNMENT).mkdir(parents=True)
        for stem, mistaken in plan.items():
            answers = solved(course / ASSIGNMENT / f"{stem}.ipynb")
            nb = nbformat.read(release / f"{stem}.ipynb", as_version=4)
            for cell in nb.cells:
                grade_id = nbgrader_meta(cell).get("grade_id")
                if grade_id == mistaken:
                    cell.source = MISTAKES[stem, mistaken][0].strip("\n")
                elif grade_id in answers:
                    cell.source = answers[grade_id]
            nbformat.write(nb, submitted / student / ASSIGNMENT / f"{stem}.ipynb")
    (submitted / "cheater" / ASSIGNMENT).mkdir(parents=True)
    for stem in EXERCISES:  # every exercise answered right, but those of TRICKS, which hold the trick
        answers = solved(course / ASSIGNMENT / f"{stem}.ipynb")
        nb = nbformat.read(release / f"{stem}.ipynb", as_version=4)
        for cell in nb.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if (stem, grade_id) in TRICKS:
                cell.source = TRICKS[stem, grade_id][1].strip("\n")
            elif grade_id in answers:
                cell.source = answers[grade_id]
        nbformat.write(nb, submitted / "cheater" / ASSIGNMENT / f"{stem}.ipynb")
    return {s.name: len(list((s / ASSIGNMENT).glob("*.ipynb"))) for s in submitted.iterdir()}


def shards(counts, workers):
    """The students split into at most ``workers`` groups with about as many notebooks each."""
    groups = [[] for _ in range(max(1, min(workers, len(counts))))]
    for student in sorted(counts, key=lambda s: -counts[s]):
        min(groups, key=lambda g: sum(counts[s] for s in g)).append(student)
    return groups


def scores(course, students):
    """{(student, stem): (score, max)}, {(student, stem, grade_id): (score, max)} from a course's gradebook."""
    from nbgrader.api import Gradebook

    notebooks, grades = {}, {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            for path in sorted((course / "submitted" / student / ASSIGNMENT).glob("*.ipynb")):
                nb = gb.find_submission_notebook(path.stem, ASSIGNMENT, student)
                notebooks[student, path.stem] = (nb.score, nb.max_score)
                for _, grade_id, _ in EXERCISES[path.stem]:
                    grade = gb.find_grade(grade_id, path.stem, ASSIGNMENT, student)
                    grades[student, path.stem, grade_id] = (grade.score, grade.max_score)
    return notebooks, grades


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Autograde instructor (the source), blank (the student edition) and mistake_k; their scores.

    mistake_k submits the student edition of each notebook with a k-th MISTAKES entry, every exercise
    answered with the instructor's solution but that one, which holds the mistake. autograde runs one
    notebook at a time, so the students are split over copies of the course, one per core, graded at once.
    """
    if not any(EXERCISES.values()):
        pytest.fail("no exercise in notebooks/ yet: nothing to autograde (CONTRIBUTING.md, 'Add an exercise')")
    tmp = tmp_path_factory.mktemp("autograde")
    template = tool.make_course(tmp / "template")
    tool.nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=template)
    counts = submit(template)
    courses = {}
    for i, group in enumerate(shards(counts, os.cpu_count() or 1)):
        course = tmp / f"course_{i}"
        shutil.copytree(template, course, ignore=shutil.ignore_patterns("submitted"))
        for student in group:
            shutil.copytree(template / "submitted" / student, course / "submitted" / student)
        courses[course] = group

    def autograde(course):
        tool.nbgrader("autograde", ASSIGNMENT, cwd=course)
        tool.nbgrader("export", cwd=course)

    with ThreadPoolExecutor(len(courses)) as pool:
        list(pool.map(autograde, courses))
    result = {"notebooks": {}, "grades": {}, "csv": {}, "courses": list(courses)}
    for course, group in courses.items():
        notebooks, grades = scores(course, group)
        result["notebooks"].update(notebooks)
        result["grades"].update(grades)
        with open(course / "grades.csv", newline="") as f:
            result["csv"].update({row["student_id"]: row for row in csv.DictReader(f)})
    return result


def _total(stem):
    return sum(points for _, _, points in EXERCISES[stem])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_autograde_gives_the_instructor_full_marks(path, graded):
    assert _total(path.stem) > 0, "no exercise"
    assert graded["notebooks"]["instructor", path.stem] == (_total(path.stem), _total(path.stem))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_autograde_gives_the_untouched_student_edition_zero(path, graded):
    assert graded["notebooks"]["blank", path.stem] == (0, _total(path.stem))


@pytest.mark.parametrize(("stem", "solution"), MISTAKE_CASES, ids=[f"{s}-{g}" for s, g in MISTAKE_CASES])
def test_autograde_takes_exactly_the_mistaken_exercises_points(stem, solution, graded):
    student = student_of(stem, solution)
    for sol, grade_id, points in EXERCISES[stem]:
        expected = 0 if sol == solution else points
        assert graded["grades"][student, stem, grade_id] == (expected, points), f"{grade_id} of {student}"
    lost = next(points for sol, _, points in EXERCISES[stem] if sol == solution)
    assert graded["notebooks"][student, stem] == (_total(stem) - lost, _total(stem))


@pytest.mark.parametrize(("stem", "function"), sorted(TRICKS), ids=[f"{s}-{f}" for s, f in sorted(TRICKS)])
def test_autograde_gives_no_point_to_a_cheap_trick(stem, function, graded):
    """A trick in one exercise takes that exercise's points, and no other's."""
    for sol, grade_id, points in EXERCISES[stem]:
        expected = 0 if (stem, sol) in TRICKS else points
        assert graded["grades"]["cheater", stem, grade_id] == (expected, points), (
            f"{grade_id}: {TRICKS[stem, function][0]}"
        )


def test_exported_grades_csv_has_each_students_total(graded):
    total = sum(_total(stem) for stem in EXERCISES)
    rows = graded["csv"]
    assert total > 0, "no exercise"
    assert (float(rows["instructor"]["score"]), float(rows["instructor"]["max_score"])) == (total, total)
    assert float(rows["blank"]["score"]) == 0
    for student, plan in mistake_students().items():
        lost = sum(points for stem, sol in plan.items() for s, _, points in EXERCISES[stem] if s == sol)
        kept = sum(_total(stem) for stem in plan)  # notebooks a mistake_k student did not submit score 0
        assert float(rows[student]["score"]) == kept - lost, student


def test_the_class_report_counts_each_students_outcome_and_names_the_mistakes(graded, tmp_path):
    """tools/misconceptions.py on the autograded class: every exercise's count of each outcome is the one the
    submissions' plans give: instructor right, blank not written, mistake_k its mistake, the cheater's tricks
    anything but right."""
    report = runpy.run_path(str(ROOT / "tools" / "misconceptions.py"))
    counts, messages = {}, {}
    for course in graded["courses"]:
        course_counts, course_messages = report["read_class"](course / "autograded", ASSIGNMENT)
        messages.update(course_messages)
        for exercise, outcomes in course_counts.items():
            counts.setdefault(exercise, Counter()).update(outcomes)
    for stem, found in EXERCISES.items():
        for function, _, _ in found:
            expected = Counter({"correct": 1, "not-written": 1})
            for plan in mistake_students().values():
                if stem in plan:
                    expected[MISTAKES[stem, plan[stem]][1] if plan[stem] == function else "correct"] += 1
            if (stem, function) not in TRICKS:
                expected["correct"] += 1
            tricked = counts[function] - expected  # what the cheater's trick got: any outcome but "correct"
            assert sum(tricked.values()) == ((stem, function) in TRICKS) and "correct" not in tricked, function
            assert counts[function] - tricked == expected, function
    report["write_csv"](counts, messages, tmp_path / "report.csv")
    rows = list(csv.DictReader(open(tmp_path / "report.csv")))
    assert {r["exercise"] for r in rows} == {f for found in EXERCISES.values() for f, _, _ in found}
    stale = next(r for r in rows if r["exercise"] == "train_epoch" and r["outcome"] == "stale-gradients")
    assert stale["students"] == "1" and "zero them" in stale["message"]
    report["draw"](counts, tmp_path / "report.png")
    assert (tmp_path / "report.png").stat().st_size > 1000
