"""The answer box: a student pastes the formula of their write-up and learns whether it is right, in the
homework's terms. Core ipywidgets only (a dropdown, a text area, a button, the formula rendered back as it
was read, the verdict), so it runs in JupyterLab, Binder, VS Code and Colab alike; the judging is
:func:`helpers.written.check_answer`, the same function a script, a test or nbgrader calls.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers._validate import one_of
from helpers.written import QUESTIONS, check_answer


class AnswerBox:
    """Controls for checking written answers to ``questions`` (keys of :data:`helpers.written.QUESTIONS`).

    ``box.check()`` (what the button does) judges the text area against the chosen question and shows how the
    formula was read and the verdict; ``box.verdict`` is the last :class:`~helpers.verdict.Verdict`.
    """

    def __init__(self, questions, text=""):
        if isinstance(questions, str) or not questions:
            raise TypeError(f"questions must be a list of keys of helpers.written.QUESTIONS, got {questions!r}")
        for key in questions:
            one_of(key, tuple(QUESTIONS), "questions")
        self.question = widgets.Dropdown(options=[(QUESTIONS[k].key, k) for k in questions], description="question")
        self.text = widgets.Textarea(
            value=text,
            description="formula",
            placeholder=r"paste the LaTeX of your answer, e.g. 2(\hat y - y)^\top, or type it: 2*(y_hat - y).T",
            layout=widgets.Layout(width="95%", height="4.5em"),
        )
        self.button = widgets.Button(description="Check", tooltip="check this formula", button_style="primary")
        self.reading = widgets.HTMLMath(value="")
        self.message = widgets.HTMLMath(value="")  # a verdict may name a formula in LaTeX: rendered
        self.verdict = None
        self.button.on_click(lambda _: self.check())

    def check(self):
        """Judge the text against the chosen question; show the reading and the verdict. Returns the verdict."""
        self.verdict = check_answer(self.question.value, self.text.value)
        colour = "#1b5e20" if self.verdict.ok else "#8a1c1c"  # both over 7:1 on white
        self.message.value = (  # the verdict first: the reading below waits for MathJax to typeset it
            f'<div role="status" aria-live="polite" style="color:{colour}">{html.escape(str(self.verdict))}</div>'
        )
        self.reading.value = f"read as: $${self.verdict.reading}$$" if self.verdict.reading else ""
        return self.verdict

    def _ipython_display_(self):
        from IPython.display import display

        display(widgets.VBox([self.question, self.text, self.button, self.reading, self.message]))


def answer_box(*questions, text=""):
    """An :class:`AnswerBox` for the questions named (keys of :data:`helpers.written.QUESTIONS`)."""
    return AnswerBox(list(questions), text)
