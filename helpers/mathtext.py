r"""Formulas as a student types them: one small grammar for LaTeX and a plain syntax, read without ``eval``.

:func:`parse` reads a formula into an :class:`Expr`; ``Expr.latex()`` writes back how it was understood
(⊙ and · where they were inferred, transposes explicit, names canonical), ``Expr.plain()`` the same in
the plain syntax, ``Expr.names()`` the symbols it uses and ``Expr.functions()`` the functions;
:func:`evaluate` computes it with numpy; :func:`resolve_products` decides, for given values, the products
that only shapes can decide (for the echo); :func:`substitute` replaces names by formulas;
:func:`name_latex` and :func:`name_text` spell a canonical name in LaTeX and in Unicode.

Shapes. Vectors are columns (n, 1), as the homework writes them; a row is (1, n); a number is 0-d, and
a (1, 1) result counts as a number. Matrix products need inner sizes that agree; element-wise
operations need equal shapes or a number: a column is never broadcast against a row, which would hide
a layout mistake. A shape mistake raises :class:`ShapeError` naming both sub-expressions in LaTeX.

Names. ``vocabulary`` maps every name a question knows to its kind: 'matrix', 'vector' (a column),
'row', 'scalar', 'function' (a callable value, applied as f(u)), 'index' (of a sum or an entry) or
'samples' (N vectors y_1..y_N, indexed y_i). Canonical names are the package's: x, y, y_hat, W1, b1,
W2, b2, z1, z2, z3, dl_dy_hat, dz2_dz1, dy_hat_dz3, ... Every spelling resolves to them:
``W^{(1)}``, ``W^{[1]}``, ``W_1``, ``W_{1}``, ``W1``; ``\hat{y}``, ``\hat y``, ``\hat{\mathbf y}``, ``y_hat``,
``ŷ``; ``z_1``, ``z1``;
``\frac{\partial \ell}{\partial \hat y}``, ``\partial\ell/\partial\hat y``, ``dl/dy_hat``, ``dl_dy_hat``.
A run of letters that is no name is read as a product of names (``xy`` is x y); a letter subscript
that does not make a name is an index (``y_k``, ``\hat y_k``, ``z_i``: entry k, i; ``\hat y_i``: sample i
of a 'samples' name).

Grammar (EBNF-like). Juxtaposition is a product; ⊙ binds looser than products, products looser than
powers and postfixes:

    formula    = [lhs "="] expr {"=" expr} {sep definition} ["\in" ...] ["." | ","]
    definition = name "=" expr                        a where-clause: an abbreviation used above
    sep        = "," | ";" | "\quad" | "\qquad" | "where" | "with" | "and"      (top level only)
    expr       = sum ["if" condition ("else" | "otherwise") expr]
    sum        = ["+" | "-"] hadamard {("+" | "-") hadamard}
    hadamard   = product {("\odot" | "\circ" | "*" | "\oslash") product}         element-wise
    product    = unary {("\cdot" | "\times" | "@" | "/") unary | power}            power: juxtaposed
    unary      = {"-" | "+"} power
    power      = postfix ["**" unary]
    postfix    = primary {"^" sup | "_+" | "_{+}" | "'" | ".T"}
    sup        = "T" | "\top" | "\intercal" | "+" | "\prime" | "{" expr "}" | one character (w^Tx is w^T x)
    primary    = number | symbol | function | "(" expr [rel expr] ")" | "[" ... "]" | "\{" ... "\}"
               | "{" expr "}" | "\frac" arg arg | "\sqrt" arg | "\sum" ["_" index] ["^" upper] product
               | "|" expr "|" | "\|" expr "\|" [^2] | indicator | cases | matrix | derivative
               | "e" "^" sup | "\pi" | "I" ["_" size | "_{" size "\times" size "}"]
    symbol     = name {"_" sub | "^{(" digits ")}" | "^{[" digits "]}"}
    function   = fname ["^" sup] ["'"] (group | postfix)     \sigma \tanh \exp \ln \log \max(a, b) ...
    indicator  = ("\mathbf 1" | "\mathbb 1") ("_{" ["\{"] condition ["\}"] "}" | "[" condition "]" | "(" ... ")")
    cases      = "\begin{cases}" value "&" (["\text{if}"] condition | "\text{otherwise}") {"\\" ...} "\end{cases}"
    matrix     = "\begin{bmatrix}" ... "\end{bmatrix}"   entries, or a pattern with \vdots, \cdots, \ddots
    derivative = "\frac{\partial A}{\partial B}" | "\partial A / \partial B" | "dA/dB" | "dA_dB"
    condition  = sum rel sum;   rel = ">" | "<" | ">=" | "<=" | "\ge" | "\le" | "\geq" | "\leq" | "=" | "\ne"

Readings. ``\cdot``, ``\times`` and juxtaposition are a product: a matrix product, or a number times
anything; of two columns (or two rows), where no matrix product exists, they are read as element-wise
and echoed with ⊙ (``\hat y (1 - \hat y)``). ``@`` is always the matrix product; ``*``, ``\odot``,
``\circ`` are element-wise, ``/``, ``\oslash`` and ``\frac`` element-wise division (``a / b c`` is
(a/b) c). With ``number=True`` (a loss, a number), ``u \cdot v`` of two columns is their dot product, echoed
``u^\top v``; juxtaposed they stay element-wise. A power of a vector is element-wise (echoed ``^{\circ 2}``),
of a square matrix the matrix power (``\operatorname{diag}(v)^2``, a whole power); ``\tanh^2(u)`` is (tanh u)^2;
``(u)^+`` and ``(u)_+`` are max(u, 0); ``\log`` is the natural logarithm; ``\Phi``, ``\varphi`` (``\phi``) are the
standard normal CDF and density. ``^T`` is always a transpose, even where T is a temperature.
``I`` is the identity of the size its product needs; ``I_K`` (``I_{K \times K}``) of size K. ``\mathbf 1``
alone is refused (a vector of ones or an indicator?), and so is ``'`` after a value (a transpose or a
derivative?) and ``f'`` of a function of the vocabulary (its derivative is not known).

Plain syntax, in the same grammar: names as the package spells them (``W1``, ``y_hat``, ``dl_dy_hat``,
``dl/dy_hat``), ``@`` the matrix product, ``*`` and ``/`` element-wise, ``**`` a power, ``.T`` a transpose,
functions by name (``sigmoid``, ``tanh``, ``exp``, ``log``, ``relu``, ``max(0, u)``, ``diag``, ``abs``,
``sqrt``, ``Phi``, ``phi``, ``erf``, ``softplus``, ``eye(K)``; a ``np.`` before them is dropped), ``(u > 0)``
an indicator, ``a if c else b`` a case, ``sum(v)`` the sum of the entries of v and ``sum_k(...)`` a sum
over k, ``pi`` and ``e`` the constants.

Ignored: ``\left``, ``\right``, ``\big(`` and its kin, ``\,`` ``\;`` ``\:`` ``\!`` ``\ `` ``~``,
``\displaystyle``, ``$``, ``\[ \]``, ``\( \)``, bold (``\mathbf{x}``), a trailing ``.`` or ``,``, and a
trailing ``\in \mathbb R^{...}``. A left-hand side (``\frac{\partial \ell}{\partial W^{(1)}} = ...``) is
dropped when it names one of ``asked``; a chain ``a = b = c`` keeps every side.

Unicode pasted from a PDF is mapped (σ ŷ ⊙ ᵀ ℓ ∂ − · × √ ∑ ‖ ≤ ⁽¹⁾ ² ₖ, math italic letters and fullwidth
forms after NFKC; a ⊤ that is not raised is a transpose, (ŷ − y)⊤); a look-alike of a Latin letter
(Cyrillic х, Greek ο) is refused, naming it.

Bounds. At most :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting and
:data:`MAX_DEFINITIONS` where-clauses; TeX commands that define or run things (``\input``, ``\def`` ...)
and unknown commands are refused when the lexer meets them, before any parsing; the parser is
depth-bounded (no RecursionError), its regular expressions linear; evaluation stops after
:data:`MAX_EVAL_STEPS` steps (within :func:`step_budget`, all evaluations together stop after its steps) and
sums after :data:`MAX_RANGE` terms. Every refusal is a :class:`FormulaError`
(a ValueError) with the position and a caret under it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

MAX_LENGTH = 2000  # characters
MAX_DEPTH = 40  # nested brackets, functions, fractions, sums
MAX_HEIGHT = 160  # height of the parsed tree
MAX_EVAL_STEPS = 200_000  # nodes evaluated by one evaluate()
MAX_RANGE = 1000  # terms of one sum
MAX_DEFINITIONS = 8  # where-clauses of one formula

KINDS = ("matrix", "vector", "row", "scalar", "function", "index", "samples")


class FormulaError(ValueError):
    """A text that cannot be read: ``message``, the ``position`` in the text, and the text with a caret."""

    def __init__(self, message: str, position: int, text: str):
        self.message, self.position, self.text = message, position, text
        super().__init__(f"{message}\n{caret(text, position)}")


class EvalError(ValueError):
    """A formula that reads but cannot be computed with the values given (an index out of range, ...)."""


class ShapeError(EvalError):
    """Two sub-expressions whose shapes do not fit: ``left``, ``right`` (LaTeX), their ``shapes``, the ``op``."""

    def __init__(self, op: str, left: str, right: str, shapes: tuple, reason: str):
        self.op, self.left, self.right, self.shapes, self.reason = op, left, right, shapes, reason
        super().__init__(self.describe())

    def describe(self, shape_text=None) -> str:
        """The message, with shapes written by ``shape_text(shape)`` (default: '4×2', 'a number')."""
        show = shape_text or shape_str
        a, b = (show(s) for s in self.shapes)
        if self.op in ("diag", "power", "index", "apply"):
            return f"${self.left}$ is {a}: {self.reason}"
        return f"${self.left}$ ({a}) {self.op} ${self.right}$ ({b}): {self.reason}"


def caret(text: str, position: int, width: int = 36) -> str:
    """Two lines: the text around ``position`` (newlines as spaces) and a caret under that position."""
    start = max(0, position - width)
    end = min(len(text), position + width)
    head = "..." if start else ""
    line = head + text[start:end].replace("\n", " ").replace("\t", " ") + ("..." if end < len(text) else "")
    return f"  {line}\n  {' ' * (len(head) + position - start)}^"


def shape_str(shape) -> str:
    """(4, 2) -> '4×2'; () -> 'a number'; a stack of samples (N, K, 1) -> '3 samples of 2×1'."""
    if len(shape) == 0:
        return "a number"
    if len(shape) == 2:
        return f"{shape[0]}×{shape[1]}"
    if len(shape) == 1:
        return f"{shape[0]} numbers"
    return f"{shape[0]} samples of {shape_str(shape[1:])}"


# ----------------------------------------------------------------------------------------------------
# Unicode: what a rendered PDF pastes, mapped to the ASCII LaTeX the lexer reads.

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁱⁿᵏ", "0123456789+-()ink")) | {"ᵀ": r"\top "}
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₍₎ᵢⱼₖₙₕₘ", "0123456789+-()ijknhm"))
_SYMBOLS = {
    "σ": r"\sigma ", "ŷ": r"\hat{y}", "⊙": r"\odot ", "∘": r"\circ ", "⊘": r"\oslash ", "ℓ": r"\ell ",
    "∂": r"\partial ", "−": "-", "–": "-", "·": r"\cdot ", "⋅": r"\cdot ", "∙": r"\cdot ", "×": r"\times ",
    "√": r"\sqrt ", "∑": r"\sum ", "Σ": r"\sum ", "‖": r"\|", "∥": r"\|", "≤": r"\le ", "≥": r"\ge ",
    "≠": r"\ne ", "⊤": r"\top ", "φ": r"\varphi ", "ϕ": r"\phi ", "∈": r"\in ", "ℝ": r"\mathbb{R}",
    "𝟙": r"\mathbb{1}", "⋯": r"\cdots ", "…": r"\dots ", "⋮": r"\vdots ", "⋱": r"\ddots ", "⁄": "/",
    "∕": "/", "÷": "/", "∗": "*", "′": "'", "ℒ": r"\mathcal{L}", "∣": "|", "\u200b": "", "\ufeff": "",
}  # fmt: skip
_CONFUSABLE = {
    "а": "a", "в": "B", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "ο": "o", "Ο": "O", "Α": "A",
    "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ρ": "P", "Τ": "T",
    "Υ": "Y", "Χ": "X", "ι": "i", "ϲ": "c",
}  # fmt: skip


def _refuse_character(ch: str, position: int, text: str):
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    if ch in _CONFUSABLE:
        hint = f"type the Latin {_CONFUSABLE[ch]}"
    elif name.startswith("CYRILLIC"):
        hint = "type it in Latin letters"
    else:
        hint = "a formula here uses Latin letters, digits, LaTeX and the usual math symbols"
    raise FormulaError(f"position {position}: {ch!r} is {name}; {hint}", position, text)


_WHITESPACE = str.maketrans("\t\n\r\f\v", "     ")


def _in_superscript(head: str) -> bool:
    """Whether text that follows ``head`` is raised: after a ^, or inside a ^{ ... group (W^{(1)⊤})."""
    depth = 0
    for j in range(len(head) - 1, -1, -1):
        if head[j] == "}":
            depth += 1
        elif head[j] == "{":
            if depth == 0:
                return head[:j].rstrip().endswith("^")
            depth -= 1
    return head.rstrip().endswith("^")


def _ascii(text: str) -> tuple[str, list[int]]:
    """The text in ASCII LaTeX, and for each of its characters the position it came from."""
    if text.isascii():
        return text.translate(_WHITESPACE), range(len(text))
    out: list[str] = []
    origin: list[int] = []

    def emit(s, pos):
        out.extend(s)
        origin.extend([pos] * len(s))

    i = 0
    while i < len(text):
        ch = text[i]
        for table, mark in ((_SUPERSCRIPTS, "^"), (_SUBSCRIPTS, "_")):
            if ch in table:
                j = i
                while j < len(text) and text[j] in table:
                    j += 1
                emit(mark + "{" + "".join(table[c] for c in text[i:j]) + "}", i)
                i = j
                break
        else:
            if ch in _CONFUSABLE:
                _refuse_character(ch, i, text)
            if ch.isascii():
                emit(" " if ch in "\t\n\r" else ch, i)
            elif ch == "⊤" and not _in_superscript("".join(out)):  # (ŷ − y)⊤, pasted unraised
                emit(r"^{\top}", i)
            elif ch in _SYMBOLS:
                emit(_SYMBOLS[ch], i)
            elif ch == "\u0302" and out and out[-1].isalpha() and out[-1].isascii():  # y + combining circumflex
                letter = out.pop()
                origin.pop()
                emit(r"\hat{" + letter + "}", i - 1)
            elif unicodedata.category(ch) == "Zs":
                emit(" ", i)
            else:
                folded = unicodedata.normalize("NFKC", ch)
                for c in folded:
                    if c in _CONFUSABLE:
                        _refuse_character(ch, i, text)
                    if c.isascii():
                        emit(c, i)
                    elif c in _SYMBOLS:
                        emit(_SYMBOLS[c], i)
                    elif unicodedata.name(c, "").startswith("GREEK") and c.isalpha():
                        greek = unicodedata.name(c).split()[-1]
                        emit("\\" + (greek.capitalize() if c.isupper() else greek.lower()) + " ", i)
                    else:
                        _refuse_character(ch, i, text)
            i += 1
    return "".join(out), origin


# ----------------------------------------------------------------------------------------------------
# Lexer


class Token(NamedTuple):
    """kind: num word hat loss greek func op rel cdot odot oslash top norm lbrace rbrace frac sqrt sum
    partial indicator pi sep in reals dots transpose kw text begin end eof; text: its value; pos: where."""

    kind: str
    text: str
    pos: int


_FUNCTION_WORDS = {
    "sigma": "sigma", "sigmoid": "sigma", "tanh": "tanh", "exp": "exp", "ln": "ln", "log": "ln", "max": "max",
    "maximum": "max", "min": "min", "minimum": "min", "diag": "diag", "sign": "sign", "sgn": "sign",
    "relu": "relu", "abs": "abs", "sqrt": "sqrt", "erf": "erf", "softplus": "softplus", "softmax": "softmax",
    "gelu": "gelu", "leakyrelu": "leakyrelu", "sech": "sech", "cosh": "cosh", "sinh": "sinh", "eye": "eye",
    "sum": "sum",
}  # fmt: skip
_FOREIGN = {  # numpy's and others' names, and how this grammar writes them
    "dot": "the matrix product is @: np.dot(A, B) is A @ B", "matmul": "the matrix product is @: A @ B",
    "outer": "an outer product u v^T is u @ v.T", "transpose": "a transpose is .T or ^\\top",
    "heaviside": "a step is an indicator: (x > 0), \\mathbf 1[x > 0]",
}  # fmt: skip
_KEYWORDS = {"if", "else", "otherwise", "where", "with", "and", "for", "when"}
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho tau "
    "upsilon chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Psi Omega"
).split()
_IGNORED = set(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle textstyle limits "
    "nolimits enspace thinspace medspace thickspace negthinspace middle".split()
)
_REFUSED = set(
    "input include def edef gdef xdef newcommand renewcommand providecommand let catcode write read openin "
    "openout immediate csname endcsname expandafter usepackage documentclass special directlua href url "
    "includegraphics loop jobname makeatletter newenvironment renewenvironment futurelet afterassignment "
    "lowercase uppercase scantokens everypar".split()
)
_COMMANDS = {
    "frac": ("frac", ""), "tfrac": ("frac", ""), "dfrac": ("frac", ""), "cfrac": ("frac", ""),
    "sqrt": ("sqrt", ""), "sum": ("sum", ""), "partial": ("partial", ""), "cdot": ("cdot", ""),
    "times": ("cdot", ""), "odot": ("odot", ""), "circ": ("odot", ""), "oslash": ("oslash", ""),
    "top": ("top", ""), "intercal": ("top", ""), "prime": ("op", "'"), "lVert": ("norm", ""),
    "rVert": ("norm", ""), "Vert": ("norm", ""), "lvert": ("op", "|"), "rvert": ("op", "|"), "vert": ("op", "|"),
    "le": ("rel", "<="), "leq": ("rel", "<="), "leqslant": ("rel", "<="), "ge": ("rel", ">="),
    "geq": ("rel", ">="), "geqslant": ("rel", ">="), "lt": ("rel", "<"), "gt": ("rel", ">"), "ne": ("rel", "!="),
    "neq": ("rel", "!="), "sigma": ("func", "sigma"), "tanh": ("func", "tanh"), "exp": ("func", "exp"),
    "ln": ("func", "ln"), "log": ("func", "ln"), "max": ("func", "max"), "min": ("func", "min"),
    "sinh": ("func", "sinh"), "cosh": ("func", "cosh"), "sech": ("func", "sech"), "Phi": ("func", "Phi"),
    "phi": ("func", "phi"), "varphi": ("func", "phi"), "ell": ("loss", "l"), "pi": ("pi", ""), "in": ("in", ""),
    "quad": ("sep", ""), "qquad": ("sep", ""), "cdots": ("dots", "cdots"), "dots": ("dots", "cdots"),
    "ldots": ("dots", "cdots"), "vdots": ("dots", "vdots"), "ddots": ("dots", "ddots"),
}  # fmt: skip
_TEXT_COMMANDS = {"operatorname", "mathrm", "text", "textrm", "textnormal", "mathit", "textit", "mathsf", "textsf"}
_BOLD_COMMANDS = {"mathbf", "boldsymbol", "bm", "vec", "mathbb", "mathbbm", "mathds", "pmb", "mathbfit"}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_LETTERS = re.compile(r"[A-Za-z]+")
_BOLD_LETTER = re.compile(  # one bold letter, braced or not: {\mathbf{y}}, \bm y
    r" *(\{)? *\\(?:mathbf|boldsymbol|bm|pmb|mathbfit|mathit|mathrm) *(?:\{ *([A-Za-z]) *\}|([A-Za-z])) *(?(1)\})"
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_LAYER = {"(": ")", "[": "]"}  # the brackets of a layer's number: W^{(1)}, W^{[1]}


class _Lexer:
    """Turns the ASCII text into tokens, refusing at once what is not part of a formula."""

    def __init__(self, text: str, origin: list[int], original: str):
        self.s, self.origin, self.original = text, origin, original
        self.i = 0
        self.tokens: list[Token] = []
        self.depth = 0

    def pos(self, i=None) -> int:
        i = self.i if i is None else i
        return self.origin[i] if i < len(self.origin) else len(self.original)

    def fail(self, message, i=None):
        raise FormulaError(message, self.pos(i), self.original)

    def add(self, kind, text="", i=None):
        self.tokens.append(Token(kind, text, self.pos(i)))

    def open(self, i):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"nested deeper than {MAX_DEPTH} levels", i)

    def run(self) -> list[Token]:
        s = self.s
        while self.i < len(s):
            ch, start = s[self.i], self.i
            if ch in " ~$":
                self.i += 1
            elif ch == "\\":
                self.control()
            elif ch.isalpha():
                self.word()
            elif ch.isdigit() or (ch == "." and s[self.i + 1 : self.i + 2].isdigit()):
                m = _NUMBER.match(s, self.i)
                self.add("num", m.group(), start)
                self.i = m.end()
            elif ch == "." and s[self.i + 1 : self.i + 2] == "T" and not s[self.i + 2 : self.i + 3].isalnum():
                self.add("transpose", ".T", start)
                self.i += 2
            elif s.startswith(("**", "<=", ">=", "==", "!="), self.i):
                two = s[self.i : self.i + 2]
                self.add("op" if two == "**" else "rel", two, start)
                self.i += 2
            elif ch in "<>":
                self.add("rel", ch, start)
                self.i += 1
            elif ch in "+-*/@^_'=,;.&|":
                self.add("op", ch, start)
                self.i += 1
            elif ch in "([{":
                self.open(start)
                self.add("op", ch, start)
                self.i += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
                self.add("op", ch, start)
                self.i += 1
            elif ch == "%":
                self.fail("'%' starts a TeX comment: remove it")
            else:
                self.fail(f"unexpected character {ch!r}")
        return self.tokens

    def word(self):
        start = self.i
        m = _WORD.match(self.s, self.i)
        word = m.group()
        self.i = m.end()
        if word == "np" and self.s[self.i : self.i + 1] == ".":  # numpy's prefix: np.tanh(u)
            self.i += 1
            return
        lower = word.lower()
        if word == "pi":
            self.add("pi", "", start)
        elif word in ("Phi", "phi"):
            self.add("func", word, start)
        elif lower in _FUNCTION_WORDS:
            self.add("func", _FUNCTION_WORDS[lower], start)
        elif lower in _KEYWORDS:
            self.add("kw", lower, start)
        elif re.fullmatch(r"sum_[A-Za-z]", word):  # plain sum_j(...)
            self.add("sum", "", start)
            self.add("op", "_", start + 3)
            self.add("word", word[4], start + 4)
        else:
            self.add("word", word, start)

    def argument(self) -> tuple[str, int]:
        """The argument of \\mathbf, \\hat, \\text ...: the text of a {group} (one level) or one character."""
        s = self.s
        while self.i < len(s) and s[self.i] == " ":
            self.i += 1
        start = self.i
        if self.i >= len(s):
            self.fail("expected an argument")
        if s[self.i] == "{":
            end = s.find("}", self.i)
            nested = s.find("{", self.i + 1)
            if end < 0:
                self.fail("expected '}' to close this '{'", start)
            if 0 <= nested < end:  # a group inside: leave it to the parser
                return "", start
            self.i = end + 1
            return s[start + 1 : end], start + 1
        if s[self.i] == "\\":
            m = _LETTERS.match(s, self.i + 1)
            if m:
                self.i = m.end()
                return "\\" + m.group(), start
        self.i += 1
        return s[start], start

    def control(self):
        s, start = self.s, self.i
        m = _LETTERS.match(s, self.i + 1)
        if not m:  # a control symbol: \, \; \{ \| \\ ...
            sym = s[self.i + 1 : self.i + 2]
            self.i += 2
            if sym in ",;:! >[]()":
                return
            if sym == "{":
                self.open(start)
                self.add("lbrace", "", start)
            elif sym == "}":
                self.depth = max(0, self.depth - 1)
                self.add("rbrace", "", start)
            elif sym == "|":
                self.add("norm", "", start)
            elif sym == "\\":
                self.add("op", "\\\\", start)
            else:
                self.fail(f"unknown command \\{sym}", start)
            return
        name = m.group()
        self.i = m.end()
        if name in _REFUSED:
            self.fail(f"\\{name} is a TeX command that reads files or defines macros; a formula never needs it", start)
        if name in _IGNORED:
            if name in ("left", "right", "middle"):
                while self.i < len(s) and s[self.i] == " ":
                    self.i += 1
                if s[self.i : self.i + 1] == ".":  # \left. and \right. show no delimiter
                    self.i += 1
            return
        if name in _COMMANDS:
            kind, text = _COMMANDS[name]
            self.add(kind, text, start)
        elif name in _GREEK:
            self.add("greek", name, start)
        elif name in ("hat", "widehat"):
            bold = _BOLD_LETTER.match(s, self.i)  # \hat{\mathbf{y}}: the bold face is decoration
            if bold:
                self.i, base = bold.end(), bold.group(2) or bold.group(3)
            else:
                arg, _ = self.argument()
                base = arg[1:] if arg.startswith("\\") else arg.strip()
            if not _LETTERS.fullmatch(base):
                self.fail("\\hat takes one letter, as in \\hat{y}", start)
            self.add("hat", base, start)
        elif name in _TEXT_COMMANDS:
            self.text_command(name, start)
        elif name in _BOLD_COMMANDS:
            self.bold(name, start)
        elif name == "mathcal":
            arg, _ = self.argument()
            if arg.strip() != "L":
                self.fail(f"unknown symbol \\mathcal{{{arg}}}", start)
            self.add("loss", "l", start)
        elif name in ("begin", "end"):
            arg, at = self.argument()
            env = arg.strip().rstrip("*")
            if env not in ("cases", "bmatrix", "pmatrix", "matrix", "Bmatrix", "aligned"):
                self.fail(f"unknown environment {{{env}}}", at)
            if name == "begin":
                self.open(start)
            else:
                self.depth = max(0, self.depth - 1)
            self.add(name, env, start)
        else:
            self.fail(f"unknown command \\{name}", start)

    def text_command(self, name, start):
        arg, at = self.argument()
        if arg == "":  # \operatorname{\mathrm{...}}: nothing we read
            self.fail(f"\\{name} takes plain text here, as in \\{name}{{diag}}", start)
        if name == "operatorname" and self.s[self.i : self.i + 1] == "*":
            self.i += 1
        content = arg.strip()
        lower = content.lower()
        if content in ("Phi", "phi"):
            self.add("func", content, start)
        elif lower in _FUNCTION_WORDS:
            self.add("func", _FUNCTION_WORDS[lower], start)
        elif lower.rstrip(".,") in _KEYWORDS:
            self.add("kw", lower.rstrip(".,"), start)
        elif content == "T":
            self.add("top", "", start)
        elif _WORD.fullmatch(content):
            self.add("word", content, start)
        elif content == "":
            return
        else:
            self.add("text", content, start)

    def bold(self, name, start):
        save = self.i
        arg, at = self.argument()
        content = arg.strip()
        if content == "1":
            self.add("indicator", "", start)
        elif content == "R" and name.startswith("mathbb"):
            self.add("reals", "", start)
        elif content == "I" and name.startswith("mathbb"):
            self.add("indicator", "I", start)  # the identity alone, an indicator with a condition
        elif _LETTERS.fullmatch(content):
            self.add("word", content, start)
        elif content.startswith("\\") and content[1:] in _GREEK:
            self.add("greek", content[1:], start)
        else:  # a group: read its contents normally, the bold face is decoration
            self.i = save


def _lex(text: str) -> list[Token]:
    if not isinstance(text, str):
        raise TypeError(f"the formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are read", 0, text[:80])
    ascii_text, origin = _ascii(text)
    return _Lexer(ascii_text, origin, text).run()


# ----------------------------------------------------------------------------------------------------
# Names: canonical spelling, LaTeX, plain text and Unicode


def norm(name: str) -> str:
    """The key names are looked up by: underscores dropped, dJ/dL as dl ('dJ_dy_hat' -> 'dldyhat')."""
    key = name.replace("_", "")
    if key.startswith(("dJ", "dL")) and len(key) > 2:
        key = "dl" + key[2:]
    return key


_DERIVATIVE = re.compile(r"d(.+?)_d(.+)")
_NUMBERED = re.compile(r"([A-Za-z]+)(\d+)")
_SUPERSCRIPTED = {"W", "b"}  # W1 is W^{(1)}; z1 is z_1
_NAME_LATEX = {"l": r"\ell", "F_theta": r"F_\theta"}
_NAME_TEXT = {"l": "ℓ", "F_theta": "F_θ", "y_hat": "ŷ"}
_GREEK_TEXT = dict(zip("alpha beta gamma delta epsilon eta theta lambda mu tau phi omega".split(), "αβγδεηθλμτφω"))
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def name_latex(name: str) -> str:
    """W1 -> W^{(1)}, z1 -> z_1, y_hat -> \\hat y, dl_dy_hat -> \\frac{\\partial \\ell}{\\partial \\hat y}."""
    if name in _NAME_LATEX:
        return _NAME_LATEX[name]
    if name in _GREEK or name in _GREEK_TEXT:
        return "\\" + name
    m = _DERIVATIVE.fullmatch(name)
    if m and name != "d":
        return rf"\frac{{\partial {name_latex(m.group(1))}}}{{\partial {name_latex(m.group(2))}}}"
    if name.endswith("_hat"):
        return rf"\hat {name[:-4]}"
    m = _NUMBERED.fullmatch(name)
    if m:
        base, digits = m.groups()
        return (
            f"{base}^{{({digits})}}"
            if base in _SUPERSCRIPTED
            else f"{base}_{digits if len(digits) == 1 else '{' + digits + '}'}"
        )
    return name


def name_text(name: str) -> str:
    """The name in Unicode for messages: W1 -> W⁽¹⁾, z1 -> z₁, y_hat -> ŷ, dl_dy_hat -> ∂ℓ/∂ŷ, beta -> β."""
    if name in _NAME_TEXT:
        return _NAME_TEXT[name]
    if name in _GREEK_TEXT:
        return _GREEK_TEXT[name]
    m = _DERIVATIVE.fullmatch(name)
    if m and name != "d":
        return f"∂{name_text(m.group(1))}/∂{name_text(m.group(2))}"
    if name.endswith("_hat"):
        return name[:-4] + "\u0302"
    m = _NUMBERED.fullmatch(name)
    if m:
        base, digits = m.groups()
        return base + (f"({digits})".translate(_SUP) if base in _SUPERSCRIPTED else digits.translate(_SUB))
    return name


# ----------------------------------------------------------------------------------------------------
# Expressions


class _Unlabelled(Exception):
    """Internal: a shape error before its sub-expression's LaTeX was made (made only when needed)."""


class _Eye:
    """The identity I of a size not yet known, times ``scale``: it takes the size its neighbour needs."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def full(self, n: int) -> np.ndarray:
        return self.scale * np.eye(n)


def _as_value(v) -> np.ndarray:
    """A float64 array; a (1, 1) result is a number (0-d)."""
    v = np.asarray(v, dtype=np.float64)
    return v.reshape(()) if v.shape == (1, 1) else v


def _is_number(v) -> bool:
    return not isinstance(v, _Eye) and v.ndim == 0


_BUDGET = contextvars.ContextVar("step_budget", default=None)  # [steps left, steps in all], see step_budget


@contextlib.contextmanager
def step_budget(steps: int | None):
    """Within it, the :func:`evaluate` calls take at most ``steps`` steps together (None: no common bound), so
    a caller that evaluates one formula many times (at many draws) stays bounded; each call also by
    :data:`MAX_EVAL_STEPS`."""
    token = _BUDGET.set(None if steps is None else [steps, steps])
    try:
        yield
    finally:
        _BUDGET.reset(token)


class _Context:
    """What one evaluation carries: the values, the bound indices, and the step budget."""

    def __init__(self, values: dict):
        self.values = values
        self.bound: dict[str, int] = {}
        self.steps = 0
        self.budget = _BUDGET.get()
        self.limit = MAX_EVAL_STEPS if self.budget is None else min(MAX_EVAL_STEPS, self.budget[0])

    def tick(self):
        self.steps += 1
        if self.steps > self.limit:
            if self.limit < MAX_EVAL_STEPS:
                raise EvalError(f"this formula takes too many steps to evaluate at every draw: {self.budget[1]} in all")
            raise EvalError(f"this formula takes more than {MAX_EVAL_STEPS} steps to evaluate")


@dataclass(frozen=True)
class Expr:
    """A parsed formula. ``latex()``, ``plain()``, ``names()``, ``functions()``; evaluate with :func:`evaluate`."""

    prec = 9  # binding strength when written: sums 1, ⊙ 2, products 3, unary minus 4, postfix 6, atoms 9

    def children(self) -> tuple:
        return ()

    def rebuild(self, children):
        return self

    def latex(self) -> str:
        raise NotImplementedError

    def plain(self) -> str:
        raise NotImplementedError

    def kind(self):
        """'scalar', 'column', 'row', 'matrix', 'samples', or None when it cannot be told without values."""
        return None

    def names(self) -> set:
        """The names the formula uses, free indices included, bound indices excluded."""
        found: set = set()
        _collect_names(self, set(), found)
        return found

    def functions(self) -> set:
        """The built-in functions it applies: {'sigma', 'tanh', "relu'", ...} (a prime marks a derivative)."""
        found = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, Call):
                found.add(node.func + ("'" if node.prime else ""))
            stack.extend(node.children())
        return found

    def _eval(self, ctx: _Context):
        raise NotImplementedError


def _collect_names(node, bound, found):
    if isinstance(node, Name):
        if node.name not in bound:
            found.add(node.name)
        return
    if isinstance(node, SumOver):
        for part in (node.lo, node.hi):
            if part is not None:
                _collect_names(part, bound, found)
        _collect_names(node.body, bound | {node.index}, found)
        return
    if isinstance(node, Pattern):
        symbol = node.symbol()
        for part in (*node.firsts, node.last):
            _collect_names(part, bound | ({symbol} if symbol else set()), found)
        return
    if isinstance(node, Apply):
        found.add(node.func.name)
    for child in node.children():
        _collect_names(child, bound, found)


def _wrap(e: Expr, prec: int, text: str | None = None, style: str = "latex") -> str:
    s = text if text is not None else (e.latex() if style == "latex" else e.plain())
    return f"({s})" if e.prec < prec else s


def _raised(e: Expr) -> str:
    """The LaTeX of ``e`` to carry a superscript: in brackets when it has one already (W^{(1)}, e^{x})."""
    s = _wrap(e, 8)
    return f"({s})" if s.endswith("}") and "^" in s else s


def _render(e: Expr, style: str) -> str:
    return e.latex() if style == "latex" else e.plain()


@dataclass(frozen=True)
class Num(Expr):
    value: float
    text: str = ""

    def latex(self):
        return self.text or _number_text(self.value)

    def plain(self):
        return {"\\pi": "pi", "e": "e"}.get(self.text, self.text or _number_text(self.value))

    def kind(self):
        return "scalar"

    def _eval(self, ctx):
        ctx.tick()
        return np.float64(self.value).reshape(())


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


@dataclass(frozen=True)
class Name(Expr):
    name: str
    vkind: str | None = None  # the vocabulary's kind

    def latex(self):
        return name_latex(self.name)

    def plain(self):
        return self.name

    def kind(self):
        return {"vector": "column", "index": "scalar", "function": None}.get(self.vkind, self.vkind)

    def _eval(self, ctx):
        ctx.tick()
        if self.name in ctx.bound:
            return np.float64(ctx.bound[self.name]).reshape(())
        if self.name not in ctx.values:
            if self.vkind == "index":
                raise EvalError(f"the index {self.name} is not bound: use it inside a sum, \\sum_{self.name}")
            raise EvalError(f"no value for {name_text(self.name)}")
        value = ctx.values[self.name]
        if callable(value):
            raise EvalError(f"{name_text(self.name)} is a function: apply it, as in {name_text(self.name)}(u)")
        if self.vkind == "samples":
            raise EvalError(
                f"{name_text(self.name)} stands for the samples {name_text(self.name)}_1, ..., "
                f"{name_text(self.name)}_N: index it, as in {name_text(self.name)}_i"
            )
        value = np.asarray(value, dtype=np.float64)
        return _as_value(value[:, None] if value.ndim == 1 else value)


@dataclass(frozen=True)
class Index(Expr):
    """base_index: entry ``index`` of a vector (1-based), or sample ``index`` of a 'samples' name."""

    base: Name
    index: Expr
    prec = 6

    def children(self):
        return (self.base, self.index)

    def rebuild(self, children):
        return Index(*children)

    def latex(self):
        inner = self.index.latex()
        if isinstance(self.base, Index):  # \hat y_{i,k}: entry k of sample i
            return f"{self.base.base.latex()}_{{{self.base.index.latex()},{inner}}}"
        base = self.base.latex() if isinstance(self.base, Name) else f"({self.base.latex()})"
        m = re.fullmatch(r"(.*)_(\d|\{\d+\})", base)
        if m:  # z_1 with index i: z_{1,i}
            return f"{m.group(1)}_{{{m.group(2).strip('{}')},{inner}}}"
        return f"{base}_{{{inner}}}"

    def plain(self):
        return f"{_wrap(self.base, 9, style='plain')}_{self.index.plain()}"

    def kind(self):
        if isinstance(self.base, Name) and self.base.vkind == "samples":
            return "column"
        return "scalar"

    def _eval(self, ctx):
        ctx.tick()
        k = self.index._eval(ctx)
        if not (_is_number(k) and float(k).is_integer()):
            raise EvalError(f"the index of ${self.latex()}$ must be a whole number")
        k = int(k)
        if isinstance(self.base, Name) and self.base.vkind == "samples":
            if self.base.name not in ctx.values:
                raise EvalError(f"no value for {name_text(self.base.name)}")
            stack = np.asarray(ctx.values[self.base.name], dtype=np.float64)
            count = stack.shape[0]
            pick = (lambda: stack[k - 1]) if 1 <= k <= count else None
            what = "samples"
        else:
            v = self.base._eval(ctx)
            if isinstance(v, _Eye) or v.ndim != 2 or min(v.shape) != 1:
                shape = () if isinstance(v, _Eye) else v.shape
                raise ShapeError("index", self.base.latex(), "", (shape, ()), "only a vector has entries to index")
            flat = v.ravel()
            count = flat.size
            pick = (lambda: flat[k - 1]) if 1 <= k <= count else None
            what = "entries"
        if pick is None:
            raise EvalError(
                f"${self.latex()}$ with {self.index.latex()} = {k} does not exist: "
                f"${self.base.latex()}$ has {count} {what}, numbered 1 to {count}"
            )
        return _as_value(pick())


@dataclass(frozen=True)
class Add(Expr):
    """±t1 ± t2 ...: terms (sign, expr), element-wise with a number allowed on either side."""

    terms: tuple
    prec = 1

    def children(self):
        return tuple(t for _, t in self.terms)

    def rebuild(self, children):
        return Add(tuple((s, c) for (s, _), c in zip(self.terms, children)))

    def _write(self, style):
        out = []
        for n, (sign, term) in enumerate(self.terms):
            text = _wrap(term, 2, style=style)
            out.append(("-" if sign < 0 else "") + text if n == 0 else (" - " if sign < 0 else " + ") + text)
        return "".join(out)

    def latex(self):
        return self._write("latex")

    def plain(self):
        return self._write("plain")

    def kind(self):
        kinds = {t.kind() for _, t in self.terms}
        if None in kinds:
            return None
        kinds.discard("scalar")
        return kinds.pop() if len(kinds) == 1 else ("scalar" if not kinds else None)

    def head(self, n: int) -> Expr:
        """The sum of the first n terms."""
        return Add(self.terms[:n])

    def _eval(self, ctx):
        ctx.tick()
        sign, first = self.terms[0]
        acc = _scale(first._eval(ctx), sign)
        for n, (sign, term) in enumerate(self.terms[1:], start=1):
            v = term._eval(ctx)
            left = functools.partial(self.head, n)
            acc = _elementwise(acc, _scale(v, sign), np.add, "+", left, term, "adds only equal shapes, or a number")
        return acc


def _scale(v, factor):
    if factor == 1:
        return v
    if isinstance(v, _Eye):
        return _Eye(v.scale * factor)
    return v * factor


def _elementwise(a, b, fn, op, left, right: Expr, reason: str):
    """fn(a, b) for equal shapes or a number on one side (an unsized I takes the other's shape).

    ``left`` is the Expr of ``a``, or a function that makes it: a long chain builds it only for an error."""
    if callable(left):
        try:
            return _elementwise(a, b, fn, op, None, right, reason)
        except _Unlabelled:
            left = left()
    if (isinstance(a, _Eye) or isinstance(b, _Eye)) and left is None:
        raise _Unlabelled
    if isinstance(a, _Eye) and isinstance(b, _Eye):
        if fn is np.multiply:
            return _Eye(a.scale * b.scale)
        if fn in (np.add, np.subtract):
            return _Eye(fn(a.scale, b.scale))
        raise EvalError(f"${left.latex()}$ and ${right.latex()}$: write the size of I, as in I_K")
    if isinstance(a, _Eye):
        a = _square_eye(a, b, left, right)
    if isinstance(b, _Eye):
        b = _square_eye(b, a, right, left)
    if a.ndim == 0 or b.ndim == 0 or a.shape == b.shape:
        return _as_value(fn(a, b))
    if left is None:
        raise _Unlabelled
    raise ShapeError(op, left.latex(), right.latex(), (a.shape, b.shape), reason)


def _square_eye(eye: _Eye, other, eye_expr: Expr, other_expr: Expr):
    if other.ndim == 0:
        raise EvalError(f"${eye_expr.latex()}$ next to a number: write the size of I, as in I_K")
    if other.ndim != 2 or other.shape[0] != other.shape[1]:
        raise ShapeError("+", eye_expr.latex(), other_expr.latex(), ((), other.shape), "I needs a square matrix")
    return eye.full(other.shape[0])


_MUL_LATEX = {"matmul": " ", "juxt": " ", "dot": r" \cdot ", "ihad": r" \odot "}
_MUL_PLAIN = {"matmul": " @ ", "juxt": " @ ", "dot": " @ ", "ihad": " * "}


@dataclass(frozen=True)
class Mul(Expr):
    """A product chain, left to right: ops 'matmul' (juxtaposition, @), 'dot' (\\cdot, \\times), 'div' (/),
    'ihad' (⊙ inferred: two columns or two rows side by side), 'juxt' (kinds unknown: decided by the shapes).
    An inferred ⊙ is decided again by the shapes at evaluation, so a substitution that turns a row into a
    column turns it back into a product."""

    first: Expr
    rest: tuple
    prec = 3

    def children(self):
        return (self.first, *(f for _, f in self.rest))

    def rebuild(self, children):
        return Mul(children[0], tuple((op, c) for (op, _), c in zip(self.rest, children[1:])))

    def _write(self, style):
        n = len(self.rest)
        text = _factor(self.first, first=True, last=n == 0, style=style)
        for k, (op, f) in enumerate(self.rest):
            right = _factor(f, first=False, last=k == n - 1, style=style)
            if op == "div":
                text = rf"\frac{{{text}}}{{{_render(f, style)}}}" if style == "latex" else f"{text} / {right}"
                continue
            sep = (_MUL_LATEX if style == "latex" else _MUL_PLAIN)[op]
            if sep == " " and right[:1].isdigit():  # 2 3 would read as 23
                sep = r" \cdot "
            text += sep + right
        return text

    def latex(self):
        return self._write("latex")

    def plain(self):
        return self._write("plain")

    def kind(self):
        acc = self.first.kind()
        for op, f in self.rest:
            acc = _product_kind({"ihad": "had", "div": "div"}.get(op, "matmul"), acc, f.kind())
        return acc

    def _eval(self, ctx):
        ctx.tick()
        acc = self.first._eval(ctx)
        for k, (op, f) in enumerate(self.rest):
            acc = self.step(acc, op, f._eval(ctx), k)
        return acc

    def step(self, acc, op, v, k):
        """The product so far (``acc``, of the first k + 1 factors) times factor k + 1 (value ``v``) by ``op``."""
        left = functools.partial(self.head, k)
        f = self.rest[k][1]
        if op == "div":
            return _elementwise(acc, v, np.divide, "/", left, f, "divides only equal shapes, or by a number")
        if op in ("ihad", "juxt", "dot") and _same_vectors(acc, v):
            return _elementwise(acc, v, np.multiply, "⊙", left, f, "⊙ needs two arrays of the same shape")
        return _matmul(acc, v, left, f)

    def head(self, k: int) -> Expr:
        """The product of the first k + 1 factors."""
        return Mul(self.first, self.rest[:k]) if k else self.first


def _factor(f: Expr, first: bool, last: bool, style: str) -> str:
    if isinstance(f, SumOver):  # a sum takes every factor after it: bracket it unless it is the last
        return _render(f, style) if last else f"({_render(f, style)})"
    return _wrap(f, 4 if first else 5, style=style)


def _same_vectors(a, b) -> bool:
    """Two columns (or two rows) of one shape: side by side they have no matrix product, only ⊙."""
    if isinstance(a, _Eye) or isinstance(b, _Eye) or a.ndim != 2 or b.ndim != 2:
        return False
    return a.shape == b.shape and 1 in a.shape and a.size > 1


def _product_kind(op, a, b):
    if op in ("had", "div"):
        return None if None in (a, b) else (b if a == "scalar" else a)
    if a == "scalar":
        return b
    if b == "scalar":
        return a
    table = {
        ("column", "row"): "matrix", ("row", "column"): "scalar", ("matrix", "column"): "column",
        ("row", "matrix"): "row", ("matrix", "matrix"): "matrix",
    }  # fmt: skip
    return table.get((a, b))


def _matmul(a, b, left, right: Expr):
    """a b: a matrix product, or a number times anything. ``left`` is a's Expr or a function making it."""
    if isinstance(a, _Eye):
        return _scale(b, a.scale) if not isinstance(b, _Eye) else _Eye(a.scale * b.scale)
    if isinstance(b, _Eye):
        return _scale(a, b.scale)
    if a.ndim == 0 or b.ndim == 0:
        return _as_value(a * b)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        left = left() if callable(left) else left
        raise ShapeError("times", left.latex(), right.latex(), (a.shape, b.shape), "does not multiply")
    return _as_value(a @ b)


@dataclass(frozen=True)
class Had(Expr):
    """An element-wise chain: ops 'had' (\\odot, \\circ, *) and 'hdiv' (\\oslash)."""

    first: Expr
    rest: tuple
    prec = 2

    def children(self):
        return (self.first, *(f for _, f in self.rest))

    def rebuild(self, children):
        return Had(children[0], tuple((op, c) for (op, _), c in zip(self.rest, children[1:])))

    def _write(self, style):
        ops = {"had": (r" \odot ", " * "), "hdiv": (r" \oslash ", " / ")}
        text = _wrap(self.first, 2, style=style)
        kind = self.first.kind()
        for op, f in self.rest:
            sep = ops[op][0 if style == "latex" else 1]
            if style == "latex" and op == "had" and "scalar" in (kind, f.kind()):
                sep = r" \cdot "  # a number times anything: no element-wise product to show
            text += sep + _wrap(f, 3, style=style)
            kind = _product_kind("had", kind, f.kind())
        return text

    def latex(self):
        return self._write("latex")

    def plain(self):
        return self._write("plain")

    def kind(self):
        acc = self.first.kind()
        for _, f in self.rest:
            acc = _product_kind("had", acc, f.kind())
        return acc

    def head(self, k: int) -> Expr:
        """The element-wise product of the first k + 1 factors."""
        return Had(self.first, self.rest[:k]) if k else self.first

    def _eval(self, ctx):
        ctx.tick()
        acc = self.first._eval(ctx)
        for k, (op, f) in enumerate(self.rest):
            v = f._eval(ctx)
            left = functools.partial(self.head, k)
            fn, sym = (np.multiply, "⊙") if op == "had" else (np.divide, "⊘")
            acc = _elementwise(acc, v, fn, sym, left, f, f"{sym} needs two arrays of the same shape, or a number")
        return acc


@dataclass(frozen=True)
class Neg(Expr):
    arg: Expr
    prec = 4

    def children(self):
        return (self.arg,)

    def rebuild(self, children):
        return Neg(children[0])

    def latex(self):
        return "-" + _wrap(self.arg, 5)

    def plain(self):
        return "-" + _wrap(self.arg, 5, style="plain")

    def kind(self):
        return self.arg.kind()

    def _eval(self, ctx):
        ctx.tick()
        return _scale(self.arg._eval(ctx), -1)


@dataclass(frozen=True)
class Transpose(Expr):
    arg: Expr
    prec = 6

    def children(self):
        return (self.arg,)

    def rebuild(self, children):
        return Transpose(children[0])

    def latex(self):
        inner = self.arg.latex()
        if isinstance(self.arg, Name) and inner.endswith(")}"):  # W^{(2)} -> W^{(2)\top}
            return inner[:-1] + r"\top}"
        return _raised(self.arg) + r"^\top"

    def plain(self):
        return _wrap(self.arg, 8, style="plain") + ".T"

    def kind(self):
        return {"column": "row", "row": "column"}.get(self.arg.kind(), self.arg.kind())

    def _eval(self, ctx):
        ctx.tick()
        v = self.arg._eval(ctx)
        if isinstance(v, _Eye) or v.ndim == 0:
            return v
        if v.ndim != 2:
            raise EvalError(f"${self.arg.latex()}$ is {shape_str(v.shape)}: it has no transpose")
        return v.T


@dataclass(frozen=True)
class Power(Expr):
    base: Expr
    exponent: Expr
    prec = 6

    def children(self):
        return (self.base, self.exponent)

    def rebuild(self, children):
        return Power(*children)

    def latex(self):
        circ = r"\circ " if self.base.kind() in ("column", "row") else ""  # of a matrix: the matrix power
        return _raised(self.base) + "^{" + circ + self.exponent.latex() + "}"

    def plain(self):
        return _wrap(self.base, 8, style="plain") + "**" + _wrap(self.exponent, 8, style="plain")

    def kind(self):
        return self.base.kind()

    def _eval(self, ctx):
        ctx.tick()
        b, p = self.base._eval(ctx), self.exponent._eval(ctx)
        if not _is_number(p):
            raise ShapeError("power", self.exponent.latex(), "", (p.shape, ()), "an exponent must be a number")
        if isinstance(b, _Eye):
            return _Eye(b.scale**p)
        if b.ndim == 2 and min(b.shape) > 1:  # A^2 = A A: a matrix power, of a square matrix, to a whole power
            if b.shape[0] != b.shape[1] or not float(p).is_integer() or not 1 <= p <= 8:
                why = "a matrix that is not square has no power" if b.shape[0] != b.shape[1] else "write the product"
                raise ShapeError("power", self.base.latex(), "", (b.shape, ()), f"a power of a matrix: {why}")
            return _as_value(np.linalg.matrix_power(b, int(p)))
        return _as_value(np.power(b, p))


@dataclass(frozen=True)
class Positive(Expr):
    """(u)^+ = max(u, 0), element-wise."""

    arg: Expr
    prec = 6

    def children(self):
        return (self.arg,)

    def rebuild(self, children):
        return Positive(children[0])

    def latex(self):
        return _raised(self.arg) + "^+"

    def plain(self):
        return f"relu({self.arg.plain()})"

    def kind(self):
        return self.arg.kind()

    def _eval(self, ctx):
        ctx.tick()
        return _elementwise_function(self.arg._eval(ctx), lambda v: np.maximum(v, 0.0), self.arg)


def _elementwise_function(v, fn, arg: Expr):
    if isinstance(v, _Eye):
        raise EvalError(f"${arg.latex()}$: write the size of I, as in I_K")
    return _as_value(fn(v))


_SQRT_2PI = math.sqrt(2 * math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _sigmoid(v):
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _normal_cdf(v):
    return 0.5 * (1.0 + _erf(v / math.sqrt(2.0)))


def _normal_pdf(v):
    return np.exp(-0.5 * v * v) / _SQRT_2PI


# name: (LaTeX, function, derivative or None)
_FUNCTIONS = {
    "sigma": (r"\sigma", _sigmoid, lambda v: _sigmoid(v) * (1 - _sigmoid(v))),
    "tanh": (r"\tanh", np.tanh, lambda v: 1 - np.tanh(v) ** 2),
    "exp": (r"\exp", np.exp, np.exp),
    "ln": (r"\ln", np.log, lambda v: 1 / v),
    "sqrt": (r"\sqrt", np.sqrt, lambda v: 0.5 / np.sqrt(v)),
    "abs": ("", np.abs, np.sign),
    "sign": (r"\operatorname{sign}", np.sign, lambda v: np.zeros_like(v)),
    "relu": (r"\operatorname{ReLU}", lambda v: np.maximum(v, 0.0), lambda v: (v > 0).astype(np.float64)),
    "leakyrelu": (
        r"\operatorname{LeakyReLU}",
        lambda v: np.where(v > 0, v, 0.01 * v),
        lambda v: np.where(v > 0, 1.0, 0.01),
    ),
    "softplus": (r"\operatorname{softplus}", lambda v: np.logaddexp(0.0, v), _sigmoid),
    "gelu": (r"\operatorname{GELU}", lambda v: v * _normal_cdf(v), lambda v: _normal_cdf(v) + v * _normal_pdf(v)),
    "erf": (r"\operatorname{erf}", _erf, lambda v: 2 / math.sqrt(math.pi) * np.exp(-v * v)),
    "Phi": (r"\Phi", _normal_cdf, _normal_pdf),
    "phi": (r"\varphi", _normal_pdf, lambda v: -v * _normal_pdf(v)),
    "sech": (r"\operatorname{sech}", lambda v: 1 / np.cosh(v), lambda v: -np.tanh(v) / np.cosh(v)),
    "cosh": (r"\cosh", np.cosh, np.sinh),
    "sinh": (r"\sinh", np.sinh, np.cosh),
}
_VECTOR_FUNCTIONS = {"max": r"\max", "min": r"\min", "diag": r"\operatorname{diag}", "sum": r"\operatorname{sum}",
                     "softmax": r"\operatorname{softmax}"}  # fmt: skip


@dataclass(frozen=True)
class Call(Expr):
    """A built-in function: element-wise (\\sigma, \\tanh, ...), or max/min (two arguments, element-wise),
    diag (vector -> diagonal matrix), sum (of the entries), softmax (of a column). ``prime``: its derivative."""

    func: str
    args: tuple
    prime: bool = False

    def children(self):
        return self.args

    def rebuild(self, children):
        return Call(self.func, tuple(children), self.prime)

    def latex(self):
        inner = ", ".join(a.latex() for a in self.args)
        if self.func == "abs" and not self.prime:
            return rf"\lvert {inner} \rvert"
        if self.func == "sqrt" and not self.prime:
            return rf"\sqrt{{{inner}}}"
        if self.func == "exp" and not self.prime:
            return f"e^{{{inner}}}"
        head = _FUNCTIONS[self.func][0] if self.func in _FUNCTIONS else _VECTOR_FUNCTIONS[self.func]
        head = head or r"\operatorname{abs}"
        return f"{head}{chr(39) if self.prime else ''}({inner})"

    def plain(self):
        inner = ", ".join(a.plain() for a in self.args)
        return f"{self.func}{chr(39) if self.prime else ''}({inner})"

    def kind(self):
        if self.func == "diag":
            return "matrix"
        if self.func == "sum":
            return "scalar"
        kinds = [a.kind() for a in self.args]
        if None in kinds:
            return None
        return next((k for k in kinds if k != "scalar"), "scalar")

    def _eval(self, ctx):
        ctx.tick()
        values = [a._eval(ctx) for a in self.args]
        if self.func in _FUNCTIONS:
            table = _FUNCTIONS[self.func]
            return _elementwise_function(values[0], table[2] if self.prime else table[1], self.args[0])
        if self.func in ("max", "min"):
            fn = np.maximum if self.func == "max" else np.minimum
            return _elementwise(values[0], values[1], fn, ",", *self.args, f"\\{self.func} compares equal shapes")
        v = values[0]
        if isinstance(v, _Eye):
            raise EvalError(f"${self.latex()}$: write the size of I, as in I_K")
        if self.func == "sum":
            return _as_value(np.sum(v))
        if self.func == "softmax":
            if v.ndim != 2 or v.shape[1] != 1:
                raise ShapeError("apply", self.args[0].latex(), "", (v.shape, ()), "softmax takes a column")
            e = np.exp(v - np.max(v))
            return e / np.sum(e)
        if v.ndim == 0:  # diag
            return v
        if v.ndim != 2 or min(v.shape) != 1:
            raise ShapeError("diag", self.args[0].latex(), "", (v.shape, ()), "diag takes a vector")
        return np.diag(v.ravel())


@dataclass(frozen=True)
class Apply(Expr):
    """A function of the vocabulary applied: f(u), F_\\theta(x_i); its value is a Python callable."""

    func: Name
    args: tuple

    def children(self):
        return (self.func, *self.args)

    def rebuild(self, children):
        return Apply(children[0], tuple(children[1:]))

    def latex(self):
        return f"{self.func.latex()}({', '.join(a.latex() for a in self.args)})"

    def plain(self):
        return f"{self.func.plain()}({', '.join(a.plain() for a in self.args)})"

    def _eval(self, ctx):
        ctx.tick()
        fn = ctx.values.get(self.func.name)
        if not callable(fn):
            raise EvalError(f"no function {name_text(self.func.name)} to apply")
        return _as_value(fn(*(a._eval(ctx) for a in self.args)))


@dataclass(frozen=True)
class Frac(Expr):
    """\\frac{num}{den}: element-wise division (equal shapes, or a number on either side)."""

    num: Expr
    den: Expr
    prec = 7  # bracketed under a transpose or a power: (\frac{a}{b})^\top

    def children(self):
        return (self.num, self.den)

    def rebuild(self, children):
        return Frac(*children)

    def latex(self):
        return rf"\frac{{{self.num.latex()}}}{{{self.den.latex()}}}"

    def plain(self):  # bracketed whole: "/" binds as a product in the plain syntax
        return f"({_wrap(self.num, 4, style='plain')} / {_wrap(self.den, 9, style='plain')})"

    def kind(self):
        return _product_kind("div", self.num.kind(), self.den.kind())

    def _eval(self, ctx):
        ctx.tick()
        return _elementwise(
            self.num._eval(ctx), self.den._eval(ctx), np.divide, "/", self.num, self.den,
            "a fraction divides equal shapes element-wise, or by a number",
        )  # fmt: skip


_REL_LATEX = {">": ">", "<": "<", ">=": r"\ge", "<=": r"\le", "==": "=", "!=": r"\ne"}
_REL_FN = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal, "==": np.equal,
           "!=": np.not_equal}  # fmt: skip


@dataclass(frozen=True)
class Compare(Expr):
    """left rel right, element-wise: 1.0 where it holds, 0.0 where not."""

    left: Expr
    op: str
    right: Expr
    prec = 0

    def children(self):
        return (self.left, self.right)

    def rebuild(self, children):
        return Compare(children[0], self.op, children[1])

    def latex(self):
        return f"{self.left.latex()} {_REL_LATEX[self.op]} {self.right.latex()}"

    def plain(self):
        return f"{self.left.plain()} {self.op} {self.right.plain()}"

    def kind(self):
        return _product_kind("had", self.left.kind(), self.right.kind())

    def _eval(self, ctx):
        ctx.tick()
        fn = _REL_FN[self.op]
        return _elementwise(
            self.left._eval(ctx), self.right._eval(ctx), lambda a, b: fn(a, b).astype(np.float64),
            _REL_LATEX[self.op], self.left, self.right, "compares equal shapes, or with a number",
        )  # fmt: skip


@dataclass(frozen=True)
class Indicator(Expr):
    """\\mathbf 1[condition]: 1 where the condition holds, 0 elsewhere, element-wise."""

    condition: Compare

    def children(self):
        return (self.condition,)

    def rebuild(self, children):
        return Indicator(children[0])

    def latex(self):
        return rf"\mathbf 1[{self.condition.latex()}]"

    def plain(self):
        return f"({self.condition.plain()})"

    def kind(self):
        return self.condition.kind()

    def _eval(self, ctx):
        ctx.tick()
        return self.condition._eval(ctx)


@dataclass(frozen=True)
class Cases(Expr):
    """A piecewise formula: rows (value, condition), the first row whose condition holds; None = otherwise."""

    rows: tuple

    def children(self):
        return tuple(c for row in self.rows for c in row if c is not None)

    def rebuild(self, children):
        it = iter(children)
        return Cases(tuple((next(it), None if cond is None else next(it)) for _, cond in self.rows))

    def latex(self):
        body = r" \\ ".join(
            f"{v.latex()} & " + (r"\text{otherwise}" if c is None else rf"\text{{if }} {c.latex()}")
            for v, c in self.rows
        )
        return rf"\begin{{cases}} {body} \end{{cases}}"

    def plain(self):
        text = ""
        for n, (v, c) in enumerate(self.rows):
            text += f"{_wrap(v, 2, style='plain')}" if c is None else f"{_wrap(v, 2, style='plain')} if {c.plain()}"
            text += " else " if n < len(self.rows) - 1 else ""
        return f"({text})"

    def kind(self):
        return self.rows[0][0].kind()

    def _eval(self, ctx):
        ctx.tick()
        result = None
        decided = None
        for value, cond in self.rows:
            v = value._eval(ctx)
            holds = np.float64(1.0).reshape(()) if cond is None else cond._eval(ctx)
            if isinstance(v, _Eye):
                raise EvalError(r"a case of \begin{cases}: write the size of I, as in I_K")
            if result is None:
                result = np.full(np.broadcast_shapes(v.shape, holds.shape), np.nan)
                decided = np.zeros(result.shape, dtype=bool)
            if v.shape not in (result.shape, ()) or holds.shape not in (result.shape, ()):
                raise ShapeError("and", self.rows[0][0].latex(), value.latex(), (result.shape, v.shape),
                                 "the cases must have the same shape")  # fmt: skip
            take = ~decided & (np.broadcast_to(holds, result.shape) > 0.5)
            result = np.where(take, np.broadcast_to(v, result.shape), result)
            decided |= take
        return _as_value(result)


@dataclass(frozen=True)
class SumOver(Expr):
    """\\sum_{index=lo}^{hi} body; without limits the range is the length of what the body indexes."""

    index: str
    lo: Expr | None
    hi: Expr | None
    body: Expr
    prec = 3

    def children(self):
        return tuple(c for c in (self.lo, self.hi, self.body) if c is not None)

    def rebuild(self, children):
        it = iter(children)
        lo = next(it) if self.lo is not None else None
        hi = next(it) if self.hi is not None else None
        return SumOver(self.index, lo, hi, next(it))

    def latex(self):
        sub = self.index + (f"={self.lo.latex()}" if self.lo is not None else "")
        sup = f"^{{{self.hi.latex()}}}" if self.hi is not None else ""
        return rf"\sum_{{{sub}}}{sup} {_wrap(self.body, 3)}"

    def plain(self):
        return f"sum_{self.index}({self.body.plain()})"

    def kind(self):
        return self.body.kind()

    def _eval(self, ctx):
        ctx.tick()
        lo = 1 if self.lo is None else _whole(self.lo._eval(ctx), self.lo)
        hi = _whole(self.hi._eval(ctx), self.hi) if self.hi is not None else _range_of(self.body, self.index, ctx)
        if hi - lo + 1 > MAX_RANGE:
            raise EvalError(f"a sum over {hi - lo + 1} terms: at most {MAX_RANGE} are evaluated")
        saved = ctx.bound.get(self.index)
        total = None
        try:
            for k in range(lo, hi + 1):
                ctx.bound[self.index] = k
                v = self.body._eval(ctx)
                total = v if total is None else _elementwise(total, v, np.add, "+", self.body, self.body,
                                                             "the terms of a sum must have one shape")  # fmt: skip
        finally:
            if saved is None:
                ctx.bound.pop(self.index, None)
            else:
                ctx.bound[self.index] = saved
        return np.float64(0.0).reshape(()) if total is None else total


def _whole(v, e: Expr) -> int:
    if not (_is_number(v) and float(v).is_integer()):
        raise EvalError(f"${e.latex()}$ must be a whole number")
    return int(v)


def _range_of(body: Expr, index: str, ctx: _Context) -> int:
    """The length of the vectors (or the number of samples) that ``body`` indexes with ``index``."""
    lengths = set()
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, Index) and isinstance(node.index, Name) and node.index.name == index:
            base = node.base
            if isinstance(base, Name) and base.vkind == "samples" and base.name in ctx.values:
                lengths.add(np.asarray(ctx.values[base.name]).shape[0])
            else:
                v = base._eval(ctx)
                if not isinstance(v, _Eye) and v.ndim == 2:
                    lengths.add(v.size)
        stack.extend(node.children())
    if len(lengths) != 1:
        raise EvalError(
            f"the range of \\sum_{index} is not clear: write it, as in \\sum_{{{index}=1}}^{{K}}"
            if not lengths
            else f"\\sum_{index} indexes vectors of different lengths {sorted(lengths)}"
        )
    return lengths.pop()


@dataclass(frozen=True)
class Norm(Expr):
    """\\|v\\|: the Euclidean norm of a vector (square it with ^2)."""

    arg: Expr

    def children(self):
        return (self.arg,)

    def rebuild(self, children):
        return Norm(children[0])

    def latex(self):
        return rf"\lVert {self.arg.latex()} \rVert"

    def plain(self):
        return f"sqrt(sum(({self.arg.plain()})**2))"

    def kind(self):
        return "scalar"

    def _eval(self, ctx):
        ctx.tick()
        v = self.arg._eval(ctx)
        if isinstance(v, _Eye) or (v.ndim == 2 and min(v.shape) > 1):
            shape = () if isinstance(v, _Eye) else v.shape
            raise ShapeError("apply", self.arg.latex(), "", (shape, ()), "the norm here is of a vector")
        return _as_value(np.sqrt(np.sum(v * v)))


@dataclass(frozen=True)
class Identity(Expr):
    """I_size, or I of the size its product needs."""

    size: Name | None = None

    def children(self):
        return (self.size,) if self.size is not None else ()

    def rebuild(self, children):
        return Identity(children[0] if children else None)

    def latex(self):
        return f"I_{{{self.size.latex()}}}" if self.size is not None else "I"

    def plain(self):
        return f"eye({self.size.plain()})" if self.size is not None else "I"

    def kind(self):
        return "matrix"

    def _eval(self, ctx):
        ctx.tick()
        if self.size is None:
            return _Eye()
        n = _whole(self.size._eval(ctx), self.size)
        if not 0 < n <= MAX_RANGE:
            raise EvalError(f"I of size {n}: at most {MAX_RANGE}")
        return np.eye(n)


@dataclass(frozen=True)
class Matrix(Expr):
    """A matrix written entry by entry (numbers)."""

    rows: tuple

    def children(self):
        return tuple(c for row in self.rows for c in row)

    def rebuild(self, children):
        it = iter(children)
        return Matrix(tuple(tuple(next(it) for _ in row) for row in self.rows))

    def latex(self):
        body = r" \\ ".join(" & ".join(c.latex() for c in row) for row in self.rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    plain = latex

    def kind(self):
        r, c = len(self.rows), len(self.rows[0])
        return "scalar" if r == c == 1 else "column" if c == 1 else "row" if r == 1 else "matrix"

    def _eval(self, ctx):
        ctx.tick()
        out = np.empty((len(self.rows), len(self.rows[0])))
        for i, row in enumerate(self.rows):
            for j, cell in enumerate(row):
                v = cell._eval(ctx)
                if not _is_number(v):
                    raise EvalError(f"the entry ${cell.latex()}$ of a matrix must be a number")
                out[i, j] = v
        return _as_value(out)


@dataclass(frozen=True)
class Pattern(Expr):
    """A column, row or diagonal matrix written with \\vdots, \\cdots or \\ddots: the first entries and the
    last, whose index (K, m, ...) runs over the length of what it indexes."""

    shape: str  # 'column', 'row' or 'diag'
    firsts: tuple
    last: Expr

    def children(self):
        return (*self.firsts, self.last)

    def rebuild(self, children):
        return Pattern(self.shape, tuple(children[:-1]), children[-1])

    def symbol(self) -> str | None:
        """The index of the last entry: the name its Index nodes use, or None for a constant pattern."""
        found = set()
        stack = [self.last]
        while stack:
            node = stack.pop()
            if isinstance(node, Index) and isinstance(node.index, Name):
                found.add(node.index.name)
            stack.extend(node.children())
        return found.pop() if len(found) == 1 else None

    def latex(self):
        entries = [e.latex() for e in self.firsts]
        if self.shape == "column":
            body = r" \\ ".join([*entries, r"\vdots", self.last.latex()])
        elif self.shape == "row":
            body = " & ".join([*entries, r"\cdots", self.last.latex()])
        else:
            n = len(entries) + 2
            rows = []
            for i, d in enumerate([*entries, r"\ddots", self.last.latex()]):
                rows.append(" & ".join(d if j == i else ("" if d == r"\ddots" else "0") for j in range(n)))
            body = r" \\ ".join(rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"

    plain = latex

    def kind(self):
        return {"diag": "matrix"}.get(self.shape, self.shape)

    def _eval(self, ctx):
        ctx.tick()
        symbol = self.symbol()
        if symbol is None:
            entries = [e._eval(ctx) for e in (*self.firsts, self.last)]
            if not all(_is_number(v) and v == entries[-1] for v in entries):
                raise EvalError("the entries before \\ddots do not follow the last one")
            if self.shape != "diag":
                raise EvalError("the length of this vector is not clear: write its entries with an index")
            return _Eye(float(entries[-1]))
        n = _range_of(self.last, symbol, ctx)
        saved = dict(ctx.bound)
        try:
            values = []
            for k in range(1, n + 1):
                ctx.bound[symbol] = k
                v = self.last._eval(ctx)
                if not _is_number(v):
                    raise EvalError(f"the entry ${self.last.latex()}$ must be a number")
                values.append(float(v))
        finally:
            ctx.bound = saved
        for k, first in enumerate(self.firsts, start=1):
            v = first._eval(ctx)
            if not (_is_number(v) and math.isclose(float(v), values[k - 1], rel_tol=1e-12, abs_tol=1e-300)):
                raise EvalError(f"the entry ${first.latex()}$ does not follow the pattern of ${self.last.latex()}$")
        column = np.array(values)[:, None]
        return {"column": column, "row": column.T}.get(self.shape, np.diag(column.ravel())) if n > 1 else column


@dataclass(frozen=True)
class Lambda(Expr):
    """A function's definition for :func:`substitute`: Apply(f, [u]) becomes body with ``param`` = u."""

    param: str
    body: Expr

    def children(self):
        return (self.body,)

    def rebuild(self, children):
        return Lambda(self.param, children[0])

    def latex(self):
        return self.body.latex()

    def plain(self):
        return self.body.plain()


@dataclass(frozen=True)
class Equation(Expr):
    """A formula with its parts: the left side as typed (``lhs``, ``lhs_key``), the ``sides`` of a chain
    a = b = c, and where-clause ``definitions`` (name, expr). Evaluates as its last side, definitions
    substituted; ``names()`` are those of the sides with the definitions substituted."""

    lhs: str
    lhs_key: str
    sides: tuple
    definitions: tuple = ()
    prec = 0

    def children(self):
        return (*self.sides, *(d for _, d in self.definitions))

    def rebuild(self, children):
        n = len(self.sides)
        defs = tuple((name, c) for (name, _), c in zip(self.definitions, children[n:]))
        return Equation(self.lhs, self.lhs_key, tuple(children[:n]), defs)

    def expanded(self) -> tuple:
        """The sides with every definition substituted."""
        mapping = dict(self.definitions)
        return tuple(_expand(side, mapping) for side in self.sides)

    def _write(self, style):
        parts = ([self.lhs] if self.lhs else []) + [_render(s, style) for s in self.sides]
        text = " = ".join(parts)
        for name, d in self.definitions:
            left = name_latex(name) if style == "latex" else name
            text += (r", \quad " if style == "latex" else ", where ") + f"{left} = {_render(d, style)}"
        return text

    def latex(self):
        return self._write("latex")

    def plain(self):
        return self._write("plain")

    def names(self):
        found = set()
        for side in self.expanded():
            found |= side.names()
        return found

    def functions(self):
        found = set()
        for side in self.expanded():
            found |= side.functions()
        return found

    def kind(self):
        return self.expanded()[-1].kind()

    def _eval(self, ctx):
        return self.expanded()[-1]._eval(ctx)


def substitute(expr: Expr, mapping: dict) -> Expr:
    """``expr`` with each Name in ``mapping`` replaced by its Expr (a :class:`Lambda` for a function),
    in one pass: what is substituted in is not substituted again."""
    if isinstance(expr, Name):
        return mapping.get(expr.name, expr) if not isinstance(mapping.get(expr.name), Lambda) else expr
    if isinstance(expr, Apply) and isinstance(mapping.get(expr.func.name), Lambda):
        fn = mapping[expr.func.name]
        args = [substitute(a, mapping) for a in expr.args]
        return substitute(fn.body, {fn.param: args[0]})
    children = expr.children()
    if not children:
        return expr
    if isinstance(expr, SumOver):
        mapping = {k: v for k, v in mapping.items() if k != expr.index}
    return expr.rebuild(tuple(substitute(c, mapping) for c in children))


def _expand(expr: Expr, mapping: dict, depth: int = 0) -> Expr:
    """Substitute definitions that may use one another (at most as deep as there are definitions)."""
    if depth > len(mapping):
        raise EvalError("the definitions refer to one another in a circle")
    out = substitute(expr, mapping)
    return out if not (out.names() & set(mapping)) else _expand(out, mapping, depth + 1)


def resolve_products(expr: Expr, values: dict) -> Expr:
    """``expr`` with every product whose reading depends on shapes (two vectors side by side: ⊙ or a
    matrix product?) decided as :func:`evaluate` decides it for ``values``: the echo of a formula whose
    kinds could not tell, such as x^\\top \\partial\\ell/\\partial\\hat y (two rows of different lengths)."""
    children = expr.children()
    if children:
        expr = expr.rebuild(tuple(resolve_products(c, values) for c in children))
    if not isinstance(expr, Mul) or not any(op in ("ihad", "juxt") for op, _ in expr.rest):
        return expr
    rest = list(expr.rest)
    try:
        with np.errstate(all="ignore"):
            acc = evaluate(expr.first, values)
            for k, (op, f) in enumerate(expr.rest):
                v = evaluate(f, values)
                if op in ("ihad", "juxt"):
                    rest[k] = ("ihad" if _same_vectors(acc, v) else "matmul", f)
                acc = expr.step(acc, op, v, k)
    except (EvalError, TypeError):  # what cannot be evaluated keeps the reading its kinds gave
        pass
    return Mul(expr.first, tuple(rest))


def height(expr: Expr) -> int:
    """The height of the tree, computed without recursion."""
    best, stack = 0, [(expr, 1)]
    while stack:
        node, h = stack.pop()
        best = max(best, h)
        stack.extend((c, h + 1) for c in node.children() if c is not None)
    return best


# ----------------------------------------------------------------------------------------------------
# Parser


class _Scope:
    """The names a formula may use: the vocabulary's, plus abbreviations its where-clauses define."""

    def __init__(self, vocabulary: dict):
        bad = {k: v for k, v in vocabulary.items() if v not in KINDS}
        if bad:
            raise ValueError(f"vocabulary kinds must be among {KINDS}, got {bad}")
        self.kinds = dict(vocabulary)
        self.keys = {norm(name): name for name in vocabulary}

    def add(self, name: str, kind):
        self.kinds[name] = kind
        self.keys[norm(name)] = name

    def find(self, word: str) -> str | None:
        return self.keys.get(norm(word))

    def name(self, name: str) -> Name:
        return Name(name, self.kinds.get(name))


_EOF = "eof"
_PRIMARY_STARTS = {"num", "word", "hat", "loss", "greek", "func", "frac", "sqrt", "sum", "partial", "indicator",
                   "begin", "pi", "norm", "lbrace"}  # fmt: skip


class _Parser:
    """Recursive descent over one list of tokens (one side of a formula), depth-bounded."""

    def __init__(self, tokens, text, scope: _Scope, end: int, number: bool = False):
        self.t, self.text, self.scope, self.end = tokens, text, scope, end
        self.number = number  # the formula is a number: u \cdot v of two columns is uᵀv
        self.i = 0
        self.depth = 0
        self.bars: list[str] = []  # the open | and \| groups, innermost last

    # -- tokens

    def peek(self, k=0) -> Token:
        j = self.i + k
        return self.t[j] if j < len(self.t) else Token(_EOF, "", self.end)

    def next(self) -> Token:
        tok = self.peek()
        self.i += 1
        return tok

    def at(self, kind, text=None, k=0) -> bool:
        tok = self.peek(k)
        return tok.kind == kind and (text is None or tok.text == text)

    def fail(self, message, tok: Token | None = None):
        raise FormulaError(message, (tok or self.peek()).pos, self.text)

    def expect(self, kind, text, opener: Token | None = None, what=None):
        if not self.at(kind, text):
            shown = what or repr(text)
            where = f" to close the {_show(opener)} at position {opener.pos}" if opener is not None else ""
            self.fail(f"expected {shown}{where}, found {_show(self.peek())}")
        return self.next()

    def enter(self, tok):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"nested deeper than {MAX_DEPTH} levels", tok)

    def leave(self):
        self.depth -= 1

    def whole(self, parse) -> Expr:
        e = parse()
        if self.peek().kind != _EOF:
            self.fail(f"expected an operator or the end of the formula, found {_show(self.peek())}")
        return e

    # -- expressions

    def expr(self) -> Expr:
        e = self.sum()
        if self.at("kw", "if"):
            self.next()
            cond = self.condition()
            if self.at("kw", "else") or self.at("kw", "otherwise"):
                self.enter(self.next())
                other = self.expr()
                self.leave()
                rows = other.rows if isinstance(other, Cases) else ((other, None),)
                return Cases(((e, cond), *rows))
            self.fail("expected 'else' after 'if ...'")
        return e

    def sum(self) -> Expr:
        terms = []
        sign = 1
        while self.at("op", "+") or self.at("op", "-"):
            sign = -sign if self.next().text == "-" else sign
        terms.append((sign, self.hadamard()))
        while self.at("op", "+") or self.at("op", "-"):
            sign = -1 if self.next().text == "-" else 1
            while self.at("op", "+") or self.at("op", "-"):
                sign = -sign if self.next().text == "-" else sign
            if self.peek().kind == _EOF:
                self.fail("expected a term after the sign")
            terms.append((sign, self.hadamard()))
        return terms[0][1] if len(terms) == 1 and terms[0][0] == 1 else Add(tuple(terms))

    def hadamard(self) -> Expr:
        first = self.product()
        rest = []
        while self.peek().kind in ("odot", "oslash") or self.at("op", "*"):
            op = "hdiv" if self.next().kind == "oslash" else "had"
            rest.append((op, self.product()))
        return Had(first, tuple(rest)) if rest else first

    def product(self) -> Expr:
        chain: list = []  # (op, factor); the first op is None
        kinds: list = []  # the kind of the chain after each factor
        self.join(chain, kinds, None, self.peek(), self.unary())
        while True:
            tok = self.peek()
            if tok.kind == "cdot":
                self.next()
                self.join(chain, kinds, "dot", tok, self.unary())
            elif tok.kind == "op" and tok.text in ("@", "/"):
                self.next()
                self.join(chain, kinds, "matmul" if tok.text == "@" else "div", tok, self.unary())
            elif self.starts_primary(tok):
                self.join(chain, kinds, "juxt", tok, self.power())
            else:
                return chain[0][1] if len(chain) == 1 else Mul(chain[0][1], tuple(chain[1:]))

    def join(self, chain: list, kinds: list, op, tok: Token, factor: Expr):
        """Add a factor to a product chain, deciding juxtaposition by the kinds: a matrix product, or ⊙
        where two columns (or two rows) meet. The names of a split word (2yz) join one by one."""
        parts = [(op, factor)]
        if tok.kind == "word" and isinstance(factor, Mul) and op in (None, "juxt"):
            if all(o == "matmul" for o, _ in factor.rest):
                parts = [(op, factor.first), *(("juxt", f) for _, f in factor.rest)]
        for op, f in parts:
            if op is None:
                chain.append((None, f))
                kinds.append(f.kind())
                continue
            kind, right = kinds[-1], f.kind()
            if op == "dot" and self.number and kind == right == "column":  # w \cdot x in a loss: wᵀx
                chain[:] = [(None, Transpose(chain[0][1] if len(chain) == 1 else Mul(chain[0][1], tuple(chain[1:]))))]
                kind, op = "row", "matmul"
            elif op in ("juxt", "dot") and kind == right and kind in ("column", "row"):
                op = "ihad"  # no matrix product exists: the homework's reading is element-wise
            elif op == "juxt" and kind is not None and right is not None:
                op = "matmul"
            chain.append((op, f))
            kinds.append(_product_kind({"ihad": "had", "div": "div"}.get(op, "matmul"), kind, right))

    def starts_primary(self, tok: Token) -> bool:
        if tok.kind == "op":
            if tok.text in ("(", "[", "{"):
                return True
            return tok.text == "|" and (not self.bars or self.bars[-1] != "|")
        if tok.kind == "norm":
            return not self.bars or self.bars[-1] != "norm"
        return tok.kind in _PRIMARY_STARTS

    def unary(self) -> Expr:
        negative = False
        while self.at("op", "-") or self.at("op", "+"):
            negative ^= self.next().text == "-"
        e = self.power()
        return Neg(e) if negative else e

    def power(self) -> Expr:
        base = self.postfix()
        if self.at("op", "**"):
            tok = self.next()
            self.enter(tok)
            exponent = self.unary()
            self.leave()
            return Power(base, exponent)
        return base

    def postfix(self, e: Expr | None = None) -> Expr:
        e = self.primary() if e is None else e
        count = 0
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text == "^":
                self.next()
                e = self.superscript(e, tok)
            elif tok.kind == "transpose":
                self.next()
                e = Transpose(e)
            elif tok.kind == "op" and tok.text == "'":
                self.fail(f"' after ${e.latex()}$: only a function takes a derivative; for a transpose write ^\\top")
            elif self.at_positive_part():
                self.i += 2 if self.at("op", "+", 1) else 4
                e = Positive(e)
            elif tok.kind == "op" and tok.text == "_" and isinstance(e, Norm):
                self.next()
                sub = self.next()
                if not (sub.kind == "num" and sub.text == "2") and not (
                    sub.kind == "op" and sub.text == "{" and self.at("num", "2") and self.at("op", "}", 1)
                ):
                    self.fail("only the Euclidean norm \\|v\\|_2 is read", sub)
                if sub.text == "{":
                    self.i += 2
            elif tok.kind == "op" and tok.text == "_":
                self.fail(f"a subscript after ${e.latex()}$: only a name takes a subscript here")
            else:
                return e
            count += 1
            if count > 4:
                self.fail("more than four superscripts on one term", tok)

    def at_positive_part(self) -> bool:
        """_+ or _{+} next: (u)_+, [u]_+, the positive part, as (u)^+."""
        plus = self.at("op", "+", 1) or (self.at("op", "{", 1) and self.at("op", "+", 2) and self.at("op", "}", 3))
        return self.at("op", "_") and plus

    def superscript(self, e: Expr, caret_tok: Token) -> Expr:
        """What follows ^: a transpose, (·)^+, or an exponent."""
        tok = self.peek()
        if tok.kind == "word" and len(tok.text) > 1:  # TeX reads w^Tx as w^T x
            self.split_first()
            tok = self.peek()
        braced = tok.kind == "op" and tok.text == "{"
        inner = self.peek(1) if braced else tok
        closes = (not braced) or self.at("op", "}", 2)
        if closes and (inner.kind == "top" or (inner.kind == "word" and inner.text == "T")):
            self.i += 3 if braced else 1
            return Transpose(e)
        if closes and inner.kind == "op" and inner.text == "+":
            self.i += 3 if braced else 1
            return Positive(e)
        if closes and inner.kind == "op" and inner.text == "'":
            self.fail("a derivative mark on a value: only a function takes one", inner)
        self.enter(caret_tok)
        if braced:
            opener = self.next()
            if self.peek().kind == "odot":  # ^{\circ 2}: a power of every entry
                self.next()
            exponent = self.expr()
            self.expect("op", "}", opener)
        else:
            exponent = self.single()
        self.leave()
        return Power(e, exponent)

    def single(self) -> Expr:
        """One token as an argument (TeX reads \\frac12 as 1 and 2, x^23 as x^2 3)."""
        tok = self.peek()
        if tok.kind in ("num", "word") and len(tok.text) > 1:
            self.split_first()
        if tok.kind == "op" and tok.text == "-":
            self.fail("a negative argument needs braces: {-...}")
        if tok.kind in ("num", "word", "hat", "greek", "loss", "pi"):
            return self.primary()
        if tok.kind == "op" and tok.text in ("(", "{"):
            return self.primary()
        self.fail(f"expected an argument, found {_show(tok)}")

    def split_first(self):
        """Split the next token (a number or a word) after its first character: TeX's argument is one character."""
        tok = self.peek()
        rest = tok.text[1:]
        self.t[self.i] = Token(tok.kind, tok.text[0], tok.pos)
        self.t.insert(self.i + 1, Token("num" if rest[0].isdigit() or rest[0] == "." else "word", rest, tok.pos + 1))

    # -- primaries

    def primary(self) -> Expr:
        tok = self.peek()
        kind = tok.kind
        if kind == "num":
            self.next()
            return Num(float(tok.text), tok.text if tok.text != str(float(tok.text)) else "")
        if kind in ("word", "hat", "loss", "greek"):
            return self.symbol()
        if kind == "func":
            return self.function()
        if kind == "pi":
            self.next()
            return Num(math.pi, r"\pi")
        if kind == "op" and tok.text in ("(", "["):
            return self.group(tok, {"(": ")", "[": "]"}[tok.text])
        if kind == "lbrace":
            return self.group(tok, None)
        if kind == "op" and tok.text == "{":
            self.next()
            self.enter(tok)
            e = self.expr()
            self.expect("op", "}", tok)
            self.leave()
            return e
        if kind == "frac":
            return self.fraction()
        if kind == "sqrt":
            self.next()
            self.enter(tok)
            if self.at("op", "["):
                self.fail("only the square root is read: \\sqrt{...}")
            arg = self.argument()
            self.leave()
            return Call("sqrt", (arg,))
        if kind == "sum":
            return self.summation()
        if kind == "partial":
            return self.slash_derivative()
        if kind == "op" and tok.text == "|":
            return self.bars_group(tok, "|")
        if kind == "norm":
            return self.bars_group(tok, "norm")
        if kind == "indicator":
            return self.indicator()
        if kind == "begin":
            return self.environment()
        if kind == "dots":
            self.fail(f"\\{tok.text}: write the formula itself; entries with dots are read only in a bmatrix")
        if kind == "text":
            self.fail(f"text {tok.text!r} inside the formula: remove it")
        if kind == "kw":
            self.fail(f"unexpected '{tok.text}'")
        if kind == _EOF:
            self.fail("the formula ends too early: expected a number, a name or '('")
        self.fail(f"expected a number, a name or '(', found {_show(tok)}")

    def group(self, opener: Token, closer: str | None) -> Expr:
        """( expr ), [ expr ], \\{ expr \\}; with a comparison inside, an indicator (Iverson bracket)."""
        self.next()
        self.enter(opener)
        saved, self.bars = self.bars, []
        e = self.expr()
        if self.peek().kind == "rel" or self.at("op", "="):
            e = Indicator(self.comparison_rest(e))
        self.bars = saved
        if closer is None:
            self.expect("rbrace", "", opener, what="'\\}'")
        else:
            self.expect("op", closer, opener)
        self.leave()
        return e

    def bars_group(self, opener: Token, kind: str) -> Expr:
        self.next()
        self.enter(opener)
        self.bars.append(kind)
        e = self.expr()
        self.bars.pop()
        if kind == "norm":
            self.expect("norm", "", opener, what="'\\|'")
        else:
            self.expect("op", "|", opener)
        self.leave()
        return Norm(e) if kind == "norm" else Call("abs", (e,))

    def argument(self) -> Expr:
        """The argument of \\frac or \\sqrt: a {group}, a (group), or one token."""
        if self.at("op", "{"):
            opener = self.next()
            e = self.expr()
            self.expect("op", "}", opener)
            return e
        if self.at("op", "("):
            return self.primary()
        return self.single()

    def fraction(self) -> Expr:
        tok = self.next()
        self.enter(tok)
        key = self.try_derivative_fraction()
        if key is not None:
            self.leave()
            return self.derivative_name(key, tok)
        num = self.argument()
        den = self.argument()
        self.leave()
        return Frac(num, den)

    def try_derivative_fraction(self) -> str | None:
        """\\frac{\\partial A}{\\partial B} or \\frac{dA}{dB}: the derivative's key 'dA_dB', else None."""
        start = self.i
        parts = []
        for _ in range(2):
            if not self.at("op", "{"):
                self.i = start
                return None
            close = _matching(self.t, self.i)
            inner = self.t[self.i + 1 : close]
            part = _derivative_part(inner, self.scope)
            if part is None:
                self.i = start
                return None
            parts.append(part)
            self.i = close + 1
        return f"d{parts[0]}_d{parts[1]}"

    def slash_derivative(self) -> Expr:
        """\\partial A / \\partial B."""
        tok = self.peek()
        top_end = _symbol_end(self.t, self.i + 1)
        if not (self.at("op", "/", top_end - self.i) and self.at("partial", None, top_end + 1 - self.i)):
            self.fail("expected \\partial A / \\partial B, or \\frac{\\partial A}{\\partial B}")
        bottom_end = _symbol_end(self.t, top_end + 2)
        top = _derivative_part(self.t[self.i : top_end], self.scope)
        bottom = _derivative_part(self.t[top_end + 1 : bottom_end], self.scope)
        if top is None or bottom is None:
            self.fail("expected \\partial A / \\partial B with A and B names")
        self.i = bottom_end
        return self.derivative_name(f"d{top}_d{bottom}", tok)

    def derivative_name(self, key: str, tok: Token) -> Expr:
        name = self.scope.find(key)
        if name is None:
            self.fail(f"a name the question does not know: {name_text(key)}", tok)
        return self.scope.name(name)

    def summation(self) -> Expr:
        tok = self.next()
        self.enter(tok)
        index, lo, hi = None, None, None
        for _ in range(2):
            if self.at("op", "_") and index is None:
                self.next()
                index, lo = self.sum_index(tok)
            elif self.at("op", "^") and hi is None:
                self.next()
                hi = self.argument()
        if index is None:
            self.fail("write the index of the sum, as in \\sum_{k=1}^{K} or \\sum_j", tok)
        body = self.product()
        self.leave()
        return SumOver(index, lo, hi, body)

    def sum_index(self, tok) -> tuple:
        braced = self.at("op", "{")
        opener = self.next() if braced else None
        name_tok = self.next()
        if name_tok.kind != "word" or not name_tok.text.isalpha():
            self.fail("the index of a sum must be a letter, as in \\sum_{k=1}^{K}", name_tok)
        if not braced and len(name_tok.text) > 1:
            self.fail("the index of a sum must be one letter (braces for more: \\sum_{k=1})", name_tok)
        lo = None
        if braced:
            if self.at("op", "="):
                self.next()
                lo = self.expr()
            self.expect("op", "}", opener)
        return name_tok.text, lo

    def indicator(self) -> Expr:
        tok = self.next()
        if tok.text == "I" and not self._condition_follows():
            return self.identity_size(tok)
        self.enter(tok)
        if self.at("op", "_"):
            self.next()
            if self.at("op", "{"):
                opener = self.next()
                inner_brace = self.at("lbrace")
                inner = self.next() if inner_brace else None
                cond = self.condition()
                if inner_brace:
                    self.expect("rbrace", "", inner, what="'\\}'")
                self.expect("op", "}", opener)
            else:
                self.fail("write the condition of \\mathbf 1 in braces: \\mathbf 1_{z > 0}")
        elif self.at("op", "[") or self.at("op", "(") or self.at("lbrace"):
            opener = self.next()
            cond = self.condition()
            if opener.kind == "lbrace":
                self.expect("rbrace", "", opener, what="'\\}'")
            else:
                self.expect("op", {"[": "]", "(": ")"}[opener.text], opener)
        else:
            self.fail(
                "\\mathbf 1 alone is ambiguous (a vector of ones? an indicator?): "
                "write the indicator with its condition, \\mathbf 1[z > 0]; for ones, the number 1 (1 - \\hat y) "
                "or a sum (\\sum_j)",
                tok,
            )
        self.leave()
        return Indicator(cond)

    def _condition_follows(self) -> bool:
        """Whether a bracket or subscript with a comparison follows (\\mathbb{I}[z > 0], \\mathbb{I}_{z > 0})."""
        if not (self.at("op", "_") or self.at("op", "[") or self.at("op", "(") or self.at("lbrace")):
            return False
        j = self.i + (2 if self.at("op", "_") else 1)
        close = _matching(self.t, j - 1) if self.at("op", "{", j - 1 - self.i) else len(self.t)
        return any(t.kind == "rel" for t in self.t[j:close])

    def identity_size(self, tok: Token) -> Identity:
        """I, or I_K: the identity (of the size its product needs, or K)."""
        if not self.at("op", "_"):
            return Identity(None)
        self.next()
        sub = self.next()
        if sub.kind == "op" and sub.text == "{":
            sub_name, _ = self.next(), self.expect("op", "}", sub)
            sub = sub_name
        found = self.scope.find(sub.text) if sub.kind == "word" else None
        if found is None:
            self.fail("write the identity's size as I_K, with K a size of the problem", sub)
        return Identity(self.scope.name(found))

    def condition(self) -> Compare:
        return self.comparison_rest(self.sum())

    def comparison_rest(self, left: Expr) -> Compare:
        tok = self.peek()
        if tok.kind == "rel":
            self.next()
            return Compare(left, tok.text, self.sum())
        if tok.kind == "op" and tok.text == "=":
            self.next()
            return Compare(left, "==", self.sum())
        self.fail(f"expected a comparison (>, <, \\ge, \\le), found {_show(tok)}")

    def function(self) -> Expr:
        tok = self.next()
        name = tok.text
        self.enter(tok)
        power, prime = None, False
        for _ in range(2):
            if self.at("op", "^"):
                caret_tok = self.next()
                if self.at("op", "'") or self.at("op", "{") and self.at("op", "'", 1):
                    self.i += 1 if self.at("op", "'") else 3
                    prime = True
                    continue
                if self.at("op", "{") and self.at("op", "-", 1):
                    self.fail("inverse functions are not read", caret_tok)
                self.enter(caret_tok)
                power = self.argument()
                self.leave()
            elif self.at("op", "'"):
                self.next()
                prime = True
                if self.at("op", "'"):
                    self.fail("only first derivatives are read")
        if prime and name not in _FUNCTIONS:
            self.fail(f"no derivative is known for {name}", tok)
        if name == "eye":
            opener = self.expect("op", "(", what="'(' after eye")
            size = self.symbol()
            self.expect("op", ")", opener)
            self.leave()
            return Identity(size if isinstance(size, Name) else None)
        if name in ("max", "min"):
            if self.at("op", "_"):
                self.fail(f"a {name}imum over an index (\\{name}_j) is not read; \\{name}(a, b) is")
            e = Call(name, self.arguments(2, name))
        elif name == "sum" and not self.at("op", "("):
            self.fail("sum(...) adds the entries of a vector; for an indexed sum write sum_k(...) or \\sum_k")
        else:
            e = Call(name, (self.function_argument(),), prime)
        self.leave()
        return Power(e, power) if power is not None else e

    def function_argument(self) -> Expr:
        if self.at("op", "(") or self.at("op", "[") or self.at("lbrace") or self.at("op", "{"):
            return self.primary()
        tok = self.peek()
        if tok.kind in _PRIMARY_STARTS:
            return self.postfix()
        self.fail(f"expected the argument of the function, found {_show(tok)}")

    def arguments(self, count: int, name: str) -> tuple:
        if self.at("op", "("):
            opener, closer = self.next(), ("op", ")")
        elif self.at("lbrace"):
            opener, closer = self.next(), ("rbrace", "")
        else:
            self.fail(f"\\{name} takes {count} arguments in parentheses: \\{name}(0, u)")
        args = [self.expr()]
        while self.at("op", ","):
            self.next()
            args.append(self.expr())
        self.expect(*closer, opener, what="')'" if closer[0] == "op" else "'\\}'")
        if len(args) != count:
            self.fail(f"\\{name} takes {count} arguments, got {len(args)}", opener)
        return tuple(args)

    # -- names

    def symbol(self) -> Expr:
        """A name with its decorations: W^{(1)}, z_1, \\hat y_k, y_hat, xy (x y), F_\\theta(x_i), e^{...}, I_K."""
        tok = self.next()
        if tok.kind == "word" and tok.text.startswith("d") and len(tok.text) > 1 and self.at("op", "/"):
            after = self.peek(1)  # dl/dy_hat
            found = self.scope.find(f"{tok.text}_{after.text}") if after.kind == "word" else None
            if found is not None and after.text.startswith("d") and self.scope.find(tok.text) is None:
                self.i += 2
                return self.scope.name(found)
        base = {"word": tok.text, "hat": tok.text + "_hat", "loss": "l", "greek": tok.text}[tok.kind]
        if tok.kind == "word" and base == "e" and self.scope.find("e") is None:
            return self.exponential() if self.at("op", "^") else Num(math.e, "e")
        pieces, index, transposed = self.decorations()
        if tok.kind == "word" and base.split("_")[0] == "I" and self.scope.find(base) is None:
            return self.identity_named(base.split("_")[1:] + pieces, index, tok)
        if tok.kind == "loss" and self.scope.find("l") is None:
            self.fail("ℓ is the loss itself: write the formula in the question's variables", tok)
        e = self.resolve(base, pieces, index, tok)
        if transposed:
            return Transpose(e)
        if isinstance(e, Mul) and e.rest:  # xy, W_1x: what follows (^\\top, ^2) belongs to the last name
            factors = [e.first, *(f for _, f in e.rest)]
            return self.juxtapose([*factors[:-1], self.postfix(factors[-1])])
        if isinstance(e, Name) and e.vkind == "function":
            return self.apply(e, tok)
        return e

    def exponential(self) -> Call:
        """e^{...}, e^x."""
        caret_tok = self.next()
        self.enter(caret_tok)
        if self.at("op", "{"):
            opener = self.next()
            exponent = self.expr()
            self.expect("op", "}", opener)
        else:
            exponent = self.single()
        self.leave()
        return Call("exp", (exponent,))

    def identity_named(self, pieces: list, index, tok: Token) -> Identity:
        """I, I_K, I_{h}: the identity (of the size its product needs, or of the size named)."""
        if index is not None or len(pieces) > 1:
            self.fail("write the identity's size as I_K", tok)
        if not pieces:
            return Identity(None)
        found = self.scope.find(pieces[0])
        if found is None:
            self.fail(f"a name the question does not know: {pieces[0]}", tok)
        return Identity(self.scope.name(found))

    def apply(self, function: Name, tok: Token) -> Apply:
        """f(u), F_\\theta(x_i): a function of the vocabulary applied to its arguments."""
        shown = name_text(function.name)
        if self.at("op", "'") or (self.at("op", "^") and self.at("op", "'", 1)):
            self.fail(f"{shown}′ (the derivative of {shown}) is not read: write it out as a formula", tok)
        if not self.at("op", "("):
            self.fail(f"{shown} is a function: apply it, as in {shown}(u)", tok)
        opener = self.next()
        self.enter(opener)
        args = [self.expr()]
        while self.at("op", ","):
            self.next()
            args.append(self.expr())
        self.expect("op", ")", opener)
        self.leave()
        return Apply(function, tuple(args))

    def decorations(self) -> tuple[list, str | None, bool]:
        """What follows a name: pieces of the name (z_1, W^{(1)}), an index after a comma (z_{1,k}), and
        whether ^{(2)\\top} transposed it."""
        pieces: list[str] = []
        index, transposed = None, False
        while True:
            braced, bare = (self.peek(k).text if self.peek(k).kind == "op" else "" for k in (2, 1))  # W^{(1)}, W^(1)
            if self.at("op", "^") and self.at("op", "{", 1) and braced in _LAYER and self.at("num", None, 3):
                if not self.at("op", _LAYER[braced], 4):
                    return pieces, index, transposed
                pieces.append(self.peek(3).text)
                self.i += 5  # ^ { ( k )
                if self.at("top") or self.at("word", "T"):  # W^{(2)\top}
                    self.next()
                    transposed = True
                self.expect("op", "}", what="'}' after ^{(k)")
            elif self.at("op", "^") and bare in _LAYER and self.at("num", None, 2) and self.at("op", _LAYER[bare], 3):
                pieces.append(self.peek(2).text)
                self.i += 4
            elif self.at("op", "_"):
                self.next()
                if self.at("op", "{"):
                    more, index = self.braced_subscript()
                    pieces.extend(more)
                else:
                    t = self.peek()
                    if t.kind in ("num", "word") and len(t.text) > 1:
                        self.single()
                        t = self.peek()
                    if t.kind not in ("num", "word", "greek"):
                        self.fail("a subscript must be a number or a name, as in z_1 or y_k", t)
                    self.next()
                    pieces.append(t.text)
            else:
                return pieces, index, transposed

    def braced_subscript(self) -> tuple[list, str | None]:
        """_{...}: the name pieces, and the index after a comma (z_{1,k})."""
        opener = self.next()
        parts = []
        while not self.at("op", "}"):
            t = self.next()
            if t.kind in ("num", "word", "greek", "text"):
                parts.append(t.text)
            elif t.kind == "op" and t.text == ",":
                parts.append(",")
            elif t.kind == "cdot" and parts and self.at("word", parts[-1]) and self.at("op", "}", 1):
                self.next()  # I_{K \times K}: the size of a square matrix, once
            elif t.kind == _EOF:
                self.expect("op", "}", opener)
            else:
                self.fail("a subscript must be a number or a name, as in z_1, y_k or z_{1,k}", t)
        self.next()
        if "," not in parts:
            return ["".join(parts)] if parts else [], None
        at = parts.index(",")
        index = "".join(parts[at + 1 :])
        if not index or "," in parts[at + 1 :]:
            self.fail("expected one index after ',', as in z_{1,k}", opener)
        return parts[:at], index

    def resolve(self, base: str, pieces: list, index: str | None, tok: Token) -> Expr:
        segments = [s for s in base.split("_") if s] + list(pieces)
        if tok.kind == "loss":
            segments = ["l"] + [p for p in pieces if p.isdigit() or len(p) == 1]
        e = self.resolve_segments(segments, tok)
        if index is not None:
            entry = self.index_expr(index)
            if entry is None or not isinstance(e, (Name, Index)):
                self.fail(f"a subscript must be a number or an index, got {index!r}", tok)
            e = Index(e, entry)
        return e

    def resolve_segments(self, segments: list, tok: Token) -> Expr:
        whole = "_".join(segments)
        found = self.scope.find(whole)
        if found is not None:
            return self.scope.name(found)
        if len(segments) > 1:
            head = self.scope.find("_".join(segments[:-1]))
            last = segments[-1]
            index = self.index_expr(last) if head is not None else None
            if index is not None and self.scope.kinds.get(head) in ("vector", "row", "samples", None):
                return Index(self.scope.name(head), index)
            if len(last) > 1:  # TeX: W_1x is W_1 x
                first = self.scope.find("_".join([*segments[:-1], last[0]]))
                if first is not None:
                    rest = self.resolve_segments([last[1:]], tok)
                    factors = [rest.first, *(f for _, f in rest.rest)] if isinstance(rest, Mul) else [rest]
                    return self.juxtapose([self.scope.name(first), *factors])
        if len(segments) == 1:
            parts = self.split_word(segments[0])
            if parts:
                names = [self.scope.name(p) for p in parts]
                return self.juxtapose(names)
        if tok.kind == "loss":
            self.fail("ℓ is the loss itself: write the formula in the question's variables", tok)
        shown = name_text(whole) if tok.kind != "word" else whole
        hint = self.suggest(segments[0])
        self.fail(f"a name the question does not know: {shown!r}{hint}", tok)

    def juxtapose(self, names: list) -> Expr:
        """Names side by side, as a product (⊙ where two columns or two rows meet)."""
        if len(names) == 1:
            return names[0]
        first, rest, kind = names[0], [], names[0].kind()
        for n in names[1:]:
            right = n.kind()
            op = "ihad" if kind == right and kind in ("column", "row") else "matmul"
            rest.append((op, n))
            kind = _product_kind("had" if op == "ihad" else op, kind, right)
        return Mul(first, tuple(rest))

    def split_word(self, word: str) -> list | None:
        """'xy' -> ['x', 'y'], 'W1x' -> ['W1', 'x']: longest known names first; None if it cannot be done.

        Dynamic programming from the end of the word: time linear in its length."""
        longest = max((len(k) for k in self.scope.keys), default=0)
        n = len(word)
        step: list = [None] * n + [(None, n)]  # step[i]: (the name starting at i, where the next starts)
        for i in range(n - 1, -1, -1):
            for cut in range(min(n, i + longest), i, -1):
                found = self.scope.find(word[i:cut])
                if (
                    found is not None
                    and step[cut] is not None
                    and self.scope.kinds.get(found) not in ("function", "index")
                ):
                    step[i] = (found, cut)
                    break
        if step[0] is None:
            return None
        names, i = [], 0
        while i < n:
            name, i = step[i]
            names.append(name)
        return names

    def index_expr(self, text: str) -> Expr | None:
        """An entry's index: a number, an index or size of the vocabulary, or any single letter (an index)."""
        if text.isdigit():
            return Num(float(text))
        found = self.scope.find(text)
        if found is not None and self.scope.kinds.get(found) in ("index", "scalar"):
            return self.scope.name(found)
        if len(text) == 1 and text.isalpha() and found is None:
            return Name(text, "index")
        return None

    def suggest(self, word: str) -> str:
        if word.lower() in _FOREIGN:
            return f" ({_FOREIGN[word.lower()]})"
        close = sorted(n for n in self.scope.kinds if norm(n).lower().startswith(word.lower()) and n != word)
        return f" (did you mean {' or '.join(name_text(n) for n in close[:3])}?)" if close else ""

    # -- environments

    def environment(self) -> Expr:
        tok = self.next()
        self.enter(tok)
        env = tok.text
        if env == "cases":
            e = self.cases(tok)
        elif env == "aligned":
            self.fail("an aligned block holds several formulas: paste one answer at a time", tok)
        else:
            e = self.matrix(tok)
        self.leave()
        return e

    def end_of(self, tok: Token):
        end = self.peek()
        if end.kind != "end" or end.text != tok.text:
            self.fail(f"expected \\end{{{tok.text}}} to close the \\begin{{{tok.text}}} at position {tok.pos}")
        self.next()

    def cases(self, tok: Token) -> Cases:
        rows = []
        while True:
            value = self.expr()
            cond = None
            while self.at("op", ","):
                self.next()
            if self.at("op", "&"):
                self.next()
                if self.at("kw", "if") or self.at("kw", "for") or self.at("kw", "when"):
                    self.next()
                if self.at("kw", "otherwise") or self.at("kw", "else"):
                    self.next()
                else:
                    cond = self.condition()
            elif isinstance(value, Cases):  # "1 if x > 0 else 0" written inside cases
                rows.extend(value.rows)
                value = None
            while self.at("op", ",") or self.at("op", ".") or self.at("op", ";"):
                self.next()
            if value is not None:
                rows.append((value, cond))
            if self.at("op", "\\\\"):
                self.next()
                if self.at("end"):
                    break
                continue
            break
        self.end_of(tok)
        if not rows:
            self.fail("empty cases", tok)
        return Cases(tuple(rows))

    def matrix(self, tok: Token) -> Expr:
        grid: list[list] = [[]]
        while not self.at("end"):
            cur = self.peek()
            if cur.kind == _EOF:
                self.end_of(tok)
            if cur.kind == "op" and cur.text == "&":
                self.next()
                if not grid[-1]:
                    grid[-1].append(None)
                grid[-1].append(None)
                continue
            if cur.kind == "op" and cur.text == "\\\\":
                self.next()
                grid.append([])
                continue
            cell = cur.text if cur.kind == "dots" else self.expr()
            if cur.kind == "dots":
                self.next()
            if grid[-1] and grid[-1][-1] is None:
                grid[-1][-1] = cell
            else:
                grid[-1].append(cell)
        self.end_of(tok)
        if not grid[-1]:
            grid.pop()
        return _matrix_from(grid, self, tok)


def _matrix_from(grid: list, parser: _Parser, tok: Token) -> Expr:
    dots = [c for row in grid for c in row if isinstance(c, str)]
    if not grid or not grid[0]:
        parser.fail("an empty matrix", tok)
    if not dots:
        if any(len(row) != len(grid[0]) or any(c is None for c in row) for row in grid):
            parser.fail("every row of the matrix needs the same number of entries", tok)
        return Matrix(tuple(tuple(row) for row in grid))
    if all(len(row) == 1 for row in grid) and dots == ["vdots"]:
        cells = [row[0] for row in grid]
        at = cells.index("vdots")
        if at == len(cells) - 2 and 1 <= at <= 2:
            return Pattern("column", tuple(cells[:at]), cells[-1])
    if len(grid) == 1 and dots == ["cdots"]:
        cells = grid[0]
        at = cells.index("cdots")
        if at == len(cells) - 2 and 1 <= at <= 2:
            return Pattern("row", tuple(cells[:at]), cells[-1])
    n = len(grid)
    if "ddots" in dots and all(len(row) == n for row in grid):
        diagonal = [grid[i][i] for i in range(n)]
        off = [grid[i][j] for i in range(n) for j in range(n) if i != j]
        zero_or_dots = all(c is None or isinstance(c, str) or (isinstance(c, Num) and c.value == 0) for c in off)
        if (
            zero_or_dots
            and diagonal[-2] == "ddots"
            and not any(isinstance(d, str) for d in diagonal[:-2] + diagonal[-1:])
        ):
            return Pattern("diag", tuple(diagonal[:-2]), diagonal[-1])
    parser.fail(
        "a matrix with dots is read as a column (\\vdots), a row (\\cdots) or a diagonal matrix (\\ddots), "
        "with the first entries and the last",
        tok,
    )


def _show(tok: Token) -> str:
    if tok.kind == _EOF:
        return "the end"
    names = {"cdot": "\\cdot", "odot": "\\odot", "frac": "\\frac", "sum": "\\sum", "norm": "'\\|'", "top": "\\top",
             "lbrace": "'\\{'", "rbrace": "'\\}'", "partial": "\\partial", "indicator": "\\mathbf 1", "sep": "\\quad",
             "in": "\\in", "begin": f"\\begin{{{tok.text}}}", "end": f"\\end{{{tok.text}}}"}  # fmt: skip
    return names.get(tok.kind) or (repr(tok.text) if tok.text else "\\" + tok.kind)


def _matching(tokens: list, i: int) -> int:
    """The index of the '}' closing the '{' at ``i`` (or len(tokens) if none)."""
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j]
        if t.kind == "op" and t.text == "{":
            depth += 1
        elif t.kind == "op" and t.text == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens)


def _symbol_end(tokens: list, j: int) -> int:
    """The index just past the symbol starting at ``j`` (a name and its _ and ^ decorations)."""
    if j >= len(tokens) or tokens[j].kind not in ("word", "hat", "loss", "greek"):
        return j
    j += 1
    while j < len(tokens) and tokens[j].kind == "op" and tokens[j].text in ("_", "^"):
        j += 1
        if j < len(tokens) and tokens[j].kind == "op" and tokens[j].text == "{":
            j = _matching(tokens, j) + 1
        else:
            j += 1
    return min(j, len(tokens))


def _derivative_part(tokens: list, scope: _Scope) -> str | None:
    """The symbol after \\partial (or d) in one half of a derivative, as a canonical name; None if it is not one."""
    if not tokens:
        return None
    first = tokens[0]
    if first.kind == "partial" or (first.kind == "word" and first.text == "d"):
        rest = tokens[1:]
    elif first.kind == "word" and first.text.startswith("d") and len(first.text) > 1 and len(tokens) == 1:
        rest = [Token("word", first.text[1:], first.pos + 1)]
    else:
        return None
    if not rest or rest[0].kind not in ("word", "hat", "loss", "greek"):
        return None
    head = rest[0]
    base = {"word": head.text, "hat": head.text + "_hat", "loss": "l", "greek": head.text}[head.kind]
    if head.kind == "word" and head.text in ("J", "L", "E") and scope.find(head.text) is None:
        base = "l"
    pieces = []
    j = 1
    while j < len(rest):
        t = rest[j]
        if t.kind == "op" and t.text == "_" or (t.kind == "op" and t.text == "^"):
            j += 1
            continue
        if t.kind == "op" and t.text in ("{", "}", "(", ")", "[", "]", ","):  # W^{(1)}, W^{[1]}, z_{1}
            j += 1
            continue
        if t.kind in ("num", "word", "greek", "text"):
            pieces.append(t.text)
            j += 1
            continue
        if t.kind == "top":
            return None
        return None
    name = base + "".join(p for p in pieces if p.isdigit())  # letters after _ are indices or text: dropped
    return scope.find(name) or name


# ----------------------------------------------------------------------------------------------------
# Formulas: left side, chains, where-clauses


_SEPARATOR_WORDS = {"where", "with", "and"}


def _top_level(tokens: list):
    """Yield (index, token) for the tokens outside every bracket, bar and environment."""
    depth = 0
    bars = {"|": False, "norm": False}
    for j, t in enumerate(tokens):
        if t.kind == "op" and t.text in ("(", "[", "{") or t.kind in ("lbrace", "begin"):
            depth += 1
        elif t.kind == "op" and t.text in (")", "]", "}") or t.kind in ("rbrace", "end"):
            depth -= 1
        elif t.kind == "op" and t.text == "|":
            bars["|"] = not bars["|"]
        elif t.kind == "norm":
            bars["norm"] = not bars["norm"]
        elif depth == 0 and not any(bars.values()):
            yield j, t


def _clauses(tokens: list) -> list:
    """Split at top-level separators (',', ';', \\quad, 'where', ...) and drop a trailing \\in annotation or '.'."""
    cuts = []
    for j, t in _top_level(tokens):
        if (
            t.kind == "sep"
            or (t.kind == "op" and t.text in (",", ";"))
            or (t.kind == "kw" and t.text in _SEPARATOR_WORDS)
        ):
            cuts.append(j)
        elif t.kind == "in":
            cuts.append(("in", j))
    clauses, start, skipping = [], 0, False
    for cut in [*cuts, len(tokens)]:
        if isinstance(cut, tuple):
            if not skipping:
                clauses.append(tokens[start : cut[1]])
            skipping = True
            continue
        if not skipping:
            clauses.append(tokens[start:cut])
        skipping = False
        start = cut + 1
    clauses = [c for c in clauses if c]
    for c in clauses:
        while c and c[-1].kind == "op" and c[-1].text == ".":
            c.pop()
    return [c for c in clauses if c]


def _split_equals(tokens: list) -> list:
    pieces, start = [], 0
    for j, t in _top_level(tokens):
        if t.kind == "op" and t.text == "=":
            pieces.append(tokens[start:j])
            start = j + 1
    pieces.append(tokens[start:])
    return pieces


def _head_key(tokens: list, scope: _Scope) -> str | None:
    """What a left-hand side names: 'dl_dW1' for \\frac{\\partial \\ell}{\\partial W^{(1)}}, 'l' for
    \\ell_{\\text{BCE}}(w, b; x, y), 'softmax' for \\text{softmax}(z)_i, "relu'" for \\mathrm{ReLU}'(x);
    None when it is no such head."""
    if not tokens:
        return None
    first = tokens[0]
    if first.kind == "frac":
        if len(tokens) < 2 or not (tokens[1].kind == "op" and tokens[1].text == "{"):
            return None
        close1 = _matching(tokens, 1)
        if close1 + 1 >= len(tokens) or not (tokens[close1 + 1].kind == "op" and tokens[close1 + 1].text == "{"):
            return None
        close2 = _matching(tokens, close1 + 1)
        top = _derivative_part(tokens[2:close1], scope)
        bottom = _derivative_part(tokens[close1 + 2 : close2], scope)
        return f"d{top}_d{bottom}" if top and bottom and close2 == len(tokens) - 1 else None
    if first.kind == "partial":
        end = _symbol_end(tokens, 1)
        if end < len(tokens) and tokens[end].kind == "op" and tokens[end].text == "/":
            top, bottom = _derivative_part(tokens[:end], scope), _derivative_part(tokens[end + 1 :], scope)
            if top and bottom and _symbol_end(tokens, end + 2) == len(tokens):
                return f"d{top}_d{bottom}"
        return None
    if len(tokens) == 3 and tokens[1].kind == "op" and tokens[1].text == "/" and first.kind == "word":
        if first.text.startswith("d") and tokens[2].kind == "word" and tokens[2].text.startswith("d"):
            return f"{first.text}_{tokens[2].text}"
        return None
    if first.kind not in ("word", "hat", "loss", "greek", "func"):
        return None
    if first.kind == "word" and first.text in ("J", "L", "E") and scope.find(first.text) is None:
        key = "l"
    else:
        key = {"word": first.text, "hat": first.text + "_hat", "loss": "l", "greek": first.text, "func": first.text}
        key = key[first.kind]
    stack: list[str] = []
    pieces = []
    for t in tokens[1:]:
        if t.kind == "op" and t.text in ("(", "[", "{"):
            stack.append(t.text)
        elif t.kind == "op" and t.text in (")", "]", "}"):
            if not stack:
                return None
            stack.pop()
        elif stack:
            if t.kind == "num" and stack[0] == "{":  # z_{2}, W^{(1)}; not the arguments of f(x_1)
                pieces.append(t.text)
        elif t.kind == "op" and t.text == "'":
            key += "'"
        elif t.kind == "num":
            pieces.append(t.text)
        elif not (t.kind == "op" and t.text in ("_", "^")) and t.kind not in ("word", "text", "greek", "top"):
            return None
    if first.kind in ("word", "hat") and key != "l":
        key = key + "".join(pieces)
    return key


def _definition_name(tokens: list, scope: _Scope, text: str) -> str:
    """The name a where-clause defines: a vocabulary name, a derivative, or a new letter (u, s, ...)."""
    key = _head_key(tokens, scope)
    if key is not None:
        found = scope.find(key)
        if found is not None:
            return found
        if len(tokens) == 1 and tokens[0].kind in ("word", "greek") and _WORD.fullmatch(tokens[0].text):
            return tokens[0].text
    raise FormulaError(
        "a where-clause must define one name, as in '\\quad u = W^{(1)}x + b^{(1)}'", tokens[0].pos, text
    )


def parse(text: str, vocabulary: dict, asked=(), number: bool = False) -> Expr:
    """Read ``text`` (LaTeX or the plain syntax) with the names of ``vocabulary`` (name -> kind).

    A left-hand side naming one of ``asked`` (keys like 'dl_dW1', 'y_hat', 'l', 'softmax', "relu'") is
    dropped; another left-hand side is kept in the result's ``lhs_key`` for the caller to judge.
    ``number``: the formula is a number (a loss), so ``u \\cdot v`` of two columns is their dot product uᵀv. Returns
    an :class:`Expr`, an :class:`Equation` when there is a left side, a chain or a where-clause.
    Raises :class:`FormulaError` for anything it cannot read.
    """
    tokens = _lex(text)
    end = len(text)
    if not tokens:
        raise FormulaError("the formula is empty", 0, text)
    scope = _Scope(vocabulary)
    clauses = _clauses(tokens)
    if not clauses:
        raise FormulaError("the formula is empty", 0, text)
    main, defs = clauses[0], clauses[1:]
    if len(defs) > MAX_DEFINITIONS:
        raise FormulaError(
            f"more than {MAX_DEFINITIONS} where-clauses: paste one answer at a time", defs[-1][0].pos, text
        )
    asked_keys = {norm(a).lower() for a in asked}

    def read(toks) -> Expr:
        if not toks:
            raise FormulaError("expected a formula here", end, text)
        parser = _Parser(list(toks), text, scope, end, number)
        e = parser.whole(parser.expr)
        if height(e) > MAX_HEIGHT:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_HEIGHT} levels)", toks[0].pos, text)
        return e

    definitions = []
    pending = []
    for clause in defs:
        pieces = _split_equals(clause)
        if len(pieces) != 2 or not pieces[0] or not pieces[1]:
            raise FormulaError(
                "after the formula, expected a definition 'name = ...' (paste one answer at a time)",
                clause[0].pos,
                text,
            )
        name = _definition_name(pieces[0], scope, text)
        if name not in scope.kinds:
            scope.add(name, None)
        pending.append((name, pieces[1]))
    for name, rhs in pending:
        e = read(rhs)
        if scope.kinds.get(name) is None:
            scope.add(name, _vocabulary_kind(e.kind()))
        definitions.append((name, e))

    pieces = _split_equals(main)
    lhs, lhs_key = "", ""
    if len(pieces) > 1:
        key = _head_key(pieces[0], scope)
        is_asked = key is not None and norm(key).lower() in asked_keys
        if is_asked or (key is not None and (scope.find(key) is None or key == "l")):
            lhs_key = "" if is_asked else key
            first, last = pieces[0][0].pos, pieces[1][0].pos if pieces[1] else end
            lhs = text[first:last].rstrip().rstrip("=").strip()
            pieces = pieces[1:]
    for p in pieces:
        if not p:
            raise FormulaError("expected a formula on both sides of '='", main[0].pos, text)
    sides = tuple(read(p) for p in pieces)
    for name, _ in definitions:
        if not any(name in s.names() for s in (*sides, *(d for _, d in definitions))):
            raise FormulaError(
                f"the formula defines {name_text(name)} but does not use it: paste one answer at a time", end, text
            )
    if not lhs and len(sides) == 1 and not definitions:
        return sides[0]
    equation = Equation(lhs, lhs_key, sides, tuple(definitions))
    try:
        expanded = equation.expanded()
    except EvalError as exc:
        raise FormulaError(str(exc), main[0].pos, text) from None
    if max(height(e) for e in expanded) > MAX_HEIGHT:
        raise FormulaError(f"with its definitions the formula is nested more than {MAX_HEIGHT} levels", 0, text)
    return equation


def _vocabulary_kind(kind):
    return {"column": "vector", "row": "row", "matrix": "matrix", "scalar": "scalar", "samples": "samples"}.get(kind)


# ----------------------------------------------------------------------------------------------------
# Evaluation


def evaluate(expr: Expr, values: dict, shape=None) -> np.ndarray:
    """The value of ``expr`` for ``values`` (name -> array, int for an index, callable for a function).

    Vectors are columns (n, 1) (a 1-D array is taken as a column); a row is (1, n); numbers are 0-d
    or (1, 1). Returns a float64 array: 0-d for a number. An identity without a size takes ``shape``
    (square) when the whole formula is one. Overflow gives inf, 0/0 NaN, with no warning: check
    ``np.isfinite`` on the result. Raises :class:`ShapeError` or :class:`EvalError`.
    """
    ctx = _Context(values)
    try:
        with np.errstate(all="ignore"):
            v = expr._eval(ctx)
    finally:
        if ctx.budget is not None:
            ctx.budget[0] -= ctx.steps
    if isinstance(v, _Eye):
        if shape is None or len(shape) != 2 or shape[0] != shape[1]:
            raise EvalError("the size of I is not clear: write it, as in I_K")
        v = v.full(shape[0])
    return v
