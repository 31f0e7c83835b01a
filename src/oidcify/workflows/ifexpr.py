"""Can a job's (or step's) ``if:`` be true for a given run? GitHub expressions, evaluated with
three values: true, false and UNKNOWN.

Only what a run's trigger fixes is known: the event name, the ref (possibly as a pattern such as
``refs/tags/*``, or a pull request's ``refs/pull/*/merge``), whether a pull request comes from a
fork, the repository, and that a pull request event has a pull request in its payload and a
``head_ref`` and ``base_ref`` that are not empty. Everything else
(secrets, inputs, needs, matrix, step outputs, and the status functions ``success``,
``failure`` and ``cancelled``, which hang on other jobs' results) is UNKNOWN, so a run is
dropped only when its condition is false whatever those hold. String comparisons ignore case,
as GitHub's do. A value that mixes ``${{ }}`` with other text is a non-empty string, which
GitHub reads as true.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class Sym(NamedTuple):  # a NamedTuple, not a dataclass: see workflows/model.py
    """A string known only relative to others: the repository, a fork's full name (which is
    not the repository's, ``differs_from``)."""

    name: str
    differs_from: str | None = None


class Glob(NamedTuple):
    """A string known to match an IAM-style ``*`` pattern, e.g. the ref of ``tags: ['v*']``."""

    pattern: str


class NonEmpty(NamedTuple):
    """A string known only not to be empty: a pull request's ``github.head_ref``, or the
    ``github.event.pull_request`` object of a pull request event."""

    name: str


class Facts(NamedTuple):
    event: str | None = None  # None: unknown
    ref: str | None = None  # concrete, or a pattern with '*'
    fork: bool | None = None  # a pull request from a fork
    repository: str | None = None  # OWNER/REPO


_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\],.*])|(?P<id>[A-Za-z_][\w-]*))"
)
_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


# --- parsing into nested tuples ---------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.tokens) or (expected and self.tokens[self.pos][1] != expected):
            raise ValueError(f"expected {expected or 'more'}")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def binary(self, ops: tuple[str, ...], lower: Callable[[], Any]) -> Any:
        node = lower()
        while self.peek() in ops:
            op = self.take()[1]
            node = ("op", op, node, lower())
        return node

    def or_(self) -> Any:
        return self.binary(("||",), self.and_)

    def and_(self) -> Any:
        return self.binary(("&&",), self.equality)

    def equality(self) -> Any:
        return self.binary(("==", "!="), self.comparison)

    def comparison(self) -> Any:
        return self.binary(("<", "<=", ">", ">="), self.unary)

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return ("not", self.unary())
        return self.postfix(self.primary())

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return ("lit", text[1:-1].replace("''", "'"))
        if kind == "num":
            return ("lit", float(int(text, 16)) if "x" in text.lower() else float(text))
        if text == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind != "id":
            raise ValueError(f"unexpected {text!r}")
        if text in ("true", "false", "null"):
            return ("lit", {"true": True, "false": False, "null": None}[text])
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.or_())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            return ("call", text.lower(), args)
        return ("ctx", (text.lower(),))

    def postfix(self, node: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                name = self.take()[1]
                key = None if name == "*" else name.lower()
            else:
                inner = self.or_()
                self.take("]")
                key = inner[1].lower() if inner[0] == "lit" and isinstance(inner[1], str) else None
            node = ("ctx", (*node[1], key)) if node[0] == "ctx" and key else ("unknown",)
        return node


@lru_cache(maxsize=2048)
def parse(condition: str) -> Any:
    """The syntax tree of an ``if:`` value; ``("unknown",)`` when it cannot be read."""
    text = condition.strip()
    inner = _EXPR.fullmatch(text)
    if inner:
        text = inner.group(1)
    elif "${{" in text:
        return ("lit", "text with an expression inside")  # a non-empty string: true
    try:
        parser = _Parser(_tokens(text))
        node = parser.or_()
        if parser.peek() is not None:
            raise ValueError("trailing tokens")
        return node
    except ValueError:
        return ("unknown",)


# --- evaluation -------------------------------------------------------------------------------
def truthy(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, Sym | Glob | NonEmpty):
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (False, None, "", 0.0)


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool | float):
        return float(value)
    try:
        return float(value.strip() or 0) if isinstance(value, str) else float("nan")
    except ValueError:
        return float("nan")


def equal(a: Any, b: Any) -> Any:
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(b, NonEmpty):
        a, b = b, a
    if isinstance(a, NonEmpty):
        return False if b == "" else UNKNOWN
    if isinstance(b, Sym) and not isinstance(a, Sym):
        a, b = b, a
    if isinstance(a, Sym):
        if isinstance(b, Sym):
            return a.name == b.name
        if isinstance(b, str) and a.differs_from and b.casefold() == a.differs_from.casefold():
            return False
        return UNKNOWN
    if isinstance(b, Glob):
        a, b = b, a
    if isinstance(a, Glob):
        if isinstance(b, str):
            return UNKNOWN if _glob(a.pattern).fullmatch(b) else False
        return UNKNOWN
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return _number(a) == _number(b)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """``*`` matches anything (IAM's reading, as the runs' patterns use it); case ignored."""
    return re.compile(".*".join(map(re.escape, pattern.split("*"))), re.IGNORECASE | re.DOTALL)


def _prefix_test(value: Any, part: Any, ends: bool) -> Any:
    if value is UNKNOWN or part is UNKNOWN or not isinstance(part, str):
        return UNKNOWN
    if isinstance(value, str):
        v, p = value.casefold(), part.casefold()
        return v.endswith(p) if ends else v.startswith(p)
    if isinstance(value, Glob):  # the fixed text before the first '*' (after the last one)
        known = value.pattern.rsplit("*", 1)[-1] if ends else value.pattern.split("*", 1)[0]
        known, part = known.casefold(), part.casefold()
        if known.endswith(part) if ends else known.startswith(part):
            return True
        return UNKNOWN if (part.endswith(known) if ends else part.startswith(known)) else False
    return UNKNOWN


def _contains(value: Any, part: Any) -> Any:
    if isinstance(value, str) and isinstance(part, str):
        return part.casefold() in value.casefold()
    if isinstance(value, Glob) and isinstance(part, str):
        # '*' can hold any text, so only a fixed piece can make it certain
        fixed = value.pattern.casefold().split("*")
        return True if any(part.casefold() in piece for piece in fixed) else UNKNOWN
    return UNKNOWN


def _call(name: str, args: list[Any]) -> Any:
    if name == "always":
        return True
    # success(), failure() and cancelled() depend on other jobs' (or steps') results, which no
    # trigger fixes: a rollback job's ``!success()`` runs whenever a needed job fails.
    if name in ("startswith", "endswith") and len(args) == 2:
        return _prefix_test(args[0], args[1], ends=name == "endswith")
    if name == "contains" and len(args) == 2:
        return _contains(args[0], args[1])
    return UNKNOWN


def _context(path: tuple[str, ...], facts: Facts) -> Any:
    repository: Any = facts.repository or Sym("repository")
    pr_event = facts.event is not None and facts.event.startswith("pull_request")
    values: dict[tuple[str, ...], Any] = {
        ("github", "event_name"): facts.event if facts.event is not None else UNKNOWN,
        ("github", "repository"): repository,
    }
    if facts.ref is not None:
        ref = facts.ref
        short = re.sub(r"^refs/(heads|tags|pull)/", "", ref)  # a pull request's: N/merge
        values[("github", "ref")] = Glob(ref) if "*" in ref else ref
        values[("github", "ref_name")] = Glob(short) if "*" in short else short
        kind = "branch" if ref.startswith("refs/heads/") else "tag"
        values[("github", "ref_type")] = kind if ref.startswith(("refs/heads/", "refs/tags/")) \
            else UNKNOWN  # fmt: skip
    head = ("github", "event", "pull_request", "head", "repo")
    if pr_event:  # a pull request event's payload has the pull request, head and base
        values[("github", "event", "pull_request")] = NonEmpty("pull_request")
        values[("github", "head_ref")] = NonEmpty("head_ref")
        values[("github", "base_ref")] = NonEmpty("base_ref")
    if pr_event and facts.fork is not None:
        values[(*head, "fork")] = facts.fork
        fork = Sym("fork", facts.repository)
        values[(*head, "full_name")] = fork if facts.fork else repository
    elif facts.event is not None and not pr_event and path[:3] == head[:3]:
        return None  # github.event.pull_request is null outside pull request events
    if facts.event is not None and not pr_event:
        values[("github", "head_ref")] = values[("github", "base_ref")] = ""
    return values.get(path, UNKNOWN)


def evaluate(node: Any, facts: Facts) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ctx":
        return _context(node[1], facts)
    if kind == "not":
        value = truthy(evaluate(node[1], facts))
        return UNKNOWN if value is UNKNOWN else not value
    if kind == "call":
        return _call(node[1], [evaluate(arg, facts) for arg in node[2]])
    if kind == "op":
        return _operator(node[1], evaluate(node[2], facts), lambda: evaluate(node[3], facts))
    return UNKNOWN


def _operator(op: str, left: Any, right: Callable[[], Any]) -> Any:
    if op in ("&&", "||"):
        first = truthy(left)
        if first is (op == "||"):
            return left
        if first is not UNKNOWN:
            return right()
        second = truthy(right())
        return second if second is (op == "||") else UNKNOWN
    value = right()
    if op in ("==", "!="):
        same = equal(left, value)
        return same if same is UNKNOWN or op == "==" else not same
    return UNKNOWN


def may_run(condition: str | None, facts: Facts) -> bool:
    """False only when ``condition`` is false for every run ``facts`` describes."""
    if condition is None or not condition.strip():
        return True
    return truthy(evaluate(parse(condition), facts)) is not False
