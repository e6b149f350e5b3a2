"""nbgrader's course layout for this repository (read by `nbgrader ...` run from the repository root).

The course root is the repository root. The one assignment, "notebooks", is notebooks/*.ipynb
itself (the instructor's source, with solutions and stored outputs); `nbgrader generate_assignment
notebooks --force` writes the student edition to student/notebooks/, which is committed.
`python tools/notebooks.py student` does the same with a throwaway gradebook; see CONTRIBUTING.md.
"""

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

c.CourseDirectory.source_directory = "."
c.CourseDirectory.release_directory = "student"

# A notebook runs in 2-10 s; give slow machines room before autograde gives up on a cell.
c.Execute.timeout = 300
