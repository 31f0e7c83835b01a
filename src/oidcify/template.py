"""The Copier template: where it is, what it asks, and rendering or updating with it, with every
answer checked.

Copier reports a refused answer as a traceback whose last line carries the validator's message,
reads an unknown ``--data`` key silently, and turns any unrecognised yes/no string into true.
``render``, ``update`` and ``parse_data`` give each of those one clear InputError that names
the question; ``update`` names the destination when Copier refuses it (dirty, not in git).
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from oidcify import template_location
from oidcify.errors import InputError, describe_os_error, describe_read_error, path_error
from oidcify.template_location import Source

# Copier's default; `copier update` and oidcify find the answers only under this name.
ANSWERS_FILE = ".copier-answers.yml"
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_VALIDATION = re.compile(
    r"Validation error for question '(?P<q>\w+)': (?:(?P=q): )?(?P<m>.*)", re.S
)
_CHOICE = re.compile(r"Invalid choice for '(?P<q>\w+)': (?P<m>.*)", re.S)
_REQUIRED = re.compile(r'Question "(?P<q>\w+)" is required')
_TYPE = re.compile(
    r'Invalid answer (?P<m>.*) to question "(?P<q>\w+)"(?: of type "(?P<t>\w+)")?', re.S
)
_ANSWER = re.compile(r'"(?P<a>.*)" of type ".*"', re.S)
# What a value of each Copier type must be, in the words of the validators' messages.
_TYPE_RULES = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    multiselect: bool = False


def questions(src: str) -> dict[str, Question] | None:
    """The questions in ``src``'s copier.yml; None when ``src`` is not a local directory."""
    import yaml  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    config = Path(src) / "copier.yml"
    if not config.is_file():
        return None
    loaded = yaml.safe_load(config.read_text(encoding="utf-8"))
    return {
        name: Question(name, str(spec.get("type", "yaml")), bool(spec.get("multiselect")))
        for name, spec in loaded.items()
        if not name.startswith("_") and isinstance(spec, dict)
    }


def _typed(question: Question, text: str) -> Any:
    """``text`` from ``--data NAME=TEXT`` as the question's type, or an InputError naming it."""
    import yaml  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    if question.type == "str" and not question.multiselect:
        return text
    if question.type == "bool":
        if text.strip().lower() not in _BOOLEANS:
            raise InputError(f"true or false; got {text!r}", field=question.name)
        return _BOOLEANS[text.strip().lower()]
    if question.type == "int":
        if not _WHOLE.fullmatch(text.strip()):
            raise InputError(f"a whole number; got {text!r}", field=question.name)
        return int(text)
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as err:
        problem = str(getattr(err, "problem", None) or "cannot be parsed")
        raise InputError(f"is not valid YAML ({problem}): {text!r}", field=question.name) from None
    if question.multiselect and not isinstance(value, list):
        raise InputError(f"a YAML list such as [a, b]; got {text!r}", field=question.name)
    return value


def _known(name: str, asked: Mapping[str, Question] | None, origin: str) -> None:
    if asked is not None and name not in asked:
        raise InputError(
            f"is not a question of this template ({origin}); questions: {', '.join(asked)}",
            field=name,
        )


def parse_data(
    pairs: Sequence[str], data_file: Path | None, asked: Mapping[str, Question] | None
) -> dict[str, Any]:
    """Answers from ``--data-file`` then ``--data NAME=VALUE`` (which wins), typed and checked."""
    import yaml  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    data: dict[str, Any] = {}
    if data_file is not None:
        try:
            loaded = yaml.safe_load(data_file.read_text(encoding="utf-8"))
        except OSError as err:
            reason = describe_os_error(err)
            raise InputError(f"cannot read {data_file}: {reason}", field="--data-file") from None
        except UnicodeDecodeError:
            raise InputError(f"{data_file} is not UTF-8 text", field="--data-file") from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            at = f" at line {mark.line + 1}" if mark is not None else ""
            problem = str(getattr(err, "problem", None) or "cannot be parsed")
            raise InputError(
                f"{data_file} is not valid YAML{at} ({problem})", field="--data-file"
            ) from None
        if not isinstance(loaded, dict):
            raise InputError(f"{data_file} is not a YAML mapping", field="--data-file")
        for name in loaded:
            _known(str(name), asked, "--data-file")
        data.update(loaded)
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise InputError(f"expected NAME=VALUE, got {pair!r}", field="--data")
        _known(name, asked, "--data")
        data[name] = _typed(asked[name], text) if asked is not None else text
    return data


def _as_input_error(message: str) -> InputError:
    """Copier's message for a refused answer, as one InputError naming the question."""
    if match := _VALIDATION.search(message) or _CHOICE.search(message):
        return InputError(match["m"].strip(), field=match["q"])
    if match := _REQUIRED.search(message):
        return InputError(f"is required: pass --data {match['q']}=VALUE", field=match["q"])
    if match := _TYPE.search(message):
        rule = _TYPE_RULES.get(match["t"] or "")
        answer = _ANSWER.fullmatch(match["m"].strip())
        if rule and answer:
            return InputError(f"{rule}; got {answer['a']!r}", field=match["q"])
        return InputError(f"{match['m'].strip()} is not accepted", field=match["q"])
    return InputError(message.strip().splitlines()[-1] if message.strip() else "refused")


def _shown(dest: Path) -> str:
    """``dest`` as a message names it: the current directory by its path, not as ``.``."""
    return str(dest.resolve()) if dest == Path() else str(dest)


@contextlib.contextmanager
def _copier_errors(dest: Path | None = None, existing: Path | None = None) -> Iterator[None]:
    """Run Copier quietly; what it refuses becomes one InputError (Ctrl-C stays an interrupt).

    With ``dest``, Copier's refusals of the destination (dirty, not in git, a downgrade) name it.
    With ``existing`` (a non-empty destination, every answer given), the only question Copier
    can still ask is whether to overwrite a file, and the message says so.
    """
    from copier.errors import (  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)
        CopierError,
        CopierWarning,
        InteractiveSessionError,
        UnsafeTemplateError,
        UserMessageError,
    )

    # Copier's notes ("No git tags found", "Dirty template changes included") would surround
    # our one line; the summary printed afterwards says where the template came from.
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore", CopierWarning)
        try:
            yield
        except KeyboardInterrupt:
            raise  # CopierAnswersInterrupt is a CopierError too: keep it an interrupt
        except InteractiveSessionError:
            if existing is not None:
                raise InputError(
                    "already holds files the template would change; pass --overwrite to replace "
                    "them, or run `oidcify update` in a project bootstrapped earlier",
                    field=_shown(existing),
                ) from None
            raise InputError(
                "no terminal to ask on: pass --defaults and --data NAME=VALUE", field="--data"
            ) from None
        except UnsafeTemplateError as err:
            used = str(err).splitlines()[0].rstrip(".")
            raise InputError(
                f"{used}; oidcify never passes --trust: review them, then run copier with --trust"
            ) from None
        except (ValueError, TypeError, CopierError) as err:
            if dest is not None and isinstance(err, UserMessageError):
                raise InputError(str(err).strip(), field=_shown(dest)) from None
            raise _as_input_error(str(err)) from None
        except OSError as err:  # a destination that cannot be written: name the path
            raise path_error(err, dest or existing or ".") from None


def check_destination(dest: Path, *, exists: bool = False) -> None:
    """Refuse a DEST that is, or lies below, a file: name that file rather than a path inside.
    With ``exists``, DEST must be a directory already."""
    for path in (dest, *dest.parents):
        if path.is_dir():
            break
        if path.exists() or path.is_symlink():
            raise InputError(f"{_shown(path)} is a file, not a directory", field="DEST")
    if exists and not dest.is_dir():
        raise InputError(f"{_shown(dest)} does not exist", field="DEST")


def render(
    src: str | Source,
    dest: Path,
    data: Mapping[str, Any],
    *,
    defaults: bool,
    vcs_ref: str | None = None,
    overwrite: bool = False,
) -> None:
    """Copy the template into ``dest`` with ``data``; a refused answer raises an InputError.
    The answers file names the source as ``src`` says it should be recorded."""
    import copier  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    src = src if isinstance(src, Source) else Source(src)

    check_destination(dest)
    existing = (
        dest if defaults and not overwrite and dest.is_dir() and any(dest.iterdir()) else None
    )
    with _copier_errors(existing=existing):
        copier.run_copy(
            src_path=src.location,
            dst_path=dest,
            data=dict(data),
            defaults=defaults,
            vcs_ref=vcs_ref,
            overwrite=overwrite,
            unsafe=False,
            quiet=True,
        )
        template_location.record(dest / ANSWERS_FILE, src)


def last_answers(dest: Path) -> dict[str, Any]:
    """The answers Copier recorded in ``dest``, from the answers file under its default name."""
    import yaml  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    check_destination(dest, exists=True)
    path = dest / ANSWERS_FILE
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        reason = (
            "not found"
            if isinstance(err, FileNotFoundError)
            else f"unreadable ({describe_read_error(err)})"
        )
        raise InputError(
            f"{ANSWERS_FILE} {reason}: update needs the answers file Copier wrote, under its "
            "default name",
            field=_shown(dest),
        ) from None
    if not isinstance(loaded, dict) or not loaded.get("_src_path"):
        raise InputError(f"{ANSWERS_FILE} names no template (_src_path)", field=_shown(dest))
    return loaded


@dataclass(frozen=True)
class Updated:
    """Where an update came from and went to: the ``_commit`` before and after, the template."""

    before: str
    after: str
    src: str


def update(
    dest: Path,
    data: Mapping[str, Any],
    *,
    defaults: bool,
    skip_answered: bool = False,
    vcs_ref: str | None = None,
    conflict: Literal["inline", "rej"] = "inline",
) -> Updated:
    """``copier update`` of ``dest`` (a clean git checkout); refusals raise an InputError.

    Conflicts are not errors here: Copier writes them into the files (``conflict="inline"``) or
    as ``.rej`` files, and ``oidcify.conflicts.scan`` finds them.
    """
    import copier  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)

    before = last_answers(dest)
    template_location.check_recorded(str(before["_src_path"]), dest / ANSWERS_FILE)
    with _copier_errors(dest):
        copier.run_update(
            dst_path=dest,
            data=dict(data),
            defaults=defaults,
            skip_answered=skip_answered,
            vcs_ref=vcs_ref,
            conflict=conflict,
            overwrite=True,
            unsafe=False,
            quiet=True,
        )
    after = last_answers(dest)
    return Updated(str(before.get("_commit")), str(after.get("_commit")), str(after["_src_path"]))
