"""The Copier template: where it is, what it asks, and rendering it with every answer checked.

Copier reports a refused answer as a traceback whose last line carries the validator's message,
reads an unknown ``--data`` key silently, and turns any unrecognised yes/no string into true.
``render`` and ``parse_data`` give each of those one clear InputError that names the question.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oidcify.errors import InputError

ENV_VAR = "OIDCIFY_TEMPLATE"
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_VALIDATION = re.compile(
    r"Validation error for question '(?P<q>\w+)': (?:(?P=q): )?(?P<m>.*)", re.S
)
_CHOICE = re.compile(r"Invalid choice for '(?P<q>\w+)': (?P<m>.*)", re.S)
_REQUIRED = re.compile(r'Question "(?P<q>\w+)" is required')
_TYPE = re.compile(r'Invalid answer (?P<m>.*) to question "(?P<q>\w+)"', re.S)


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    multiselect: bool = False


def checkout_root() -> Path | None:
    """The source checkout this package runs from (an editable install), if it holds copier.yml."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "copier.yml").is_file() else None


def source(explicit: str | None = None) -> str:
    """``--template``, else ``$OIDCIFY_TEMPLATE``, else this package's own checkout."""
    chosen = explicit or os.environ.get(ENV_VAR) or checkout_root()
    if not chosen:
        raise InputError(
            f"no template found: pass --template PATH-OR-GIT-URL or set ${ENV_VAR} "
            "(an installed oidcify package does not carry its template)",
            field="--template",
        )
    return str(chosen)


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
            raise InputError(f"must be true or false, got {text!r}", field=question.name)
        return _BOOLEANS[text.strip().lower()]
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as err:
        problem = str(getattr(err, "problem", None) or "cannot be parsed")
        raise InputError(f"is not valid YAML ({problem}): {text!r}", field=question.name) from None
    if question.multiselect and not isinstance(value, list):
        raise InputError(f"must be a YAML list such as [a, b], got {text!r}", field=question.name)
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
        except (OSError, yaml.YAMLError) as err:
            raise InputError(f"cannot read {data_file}: {err}", field="--data-file") from None
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
        return InputError(f"needs an answer: pass --data {match['q']}=VALUE", field=match["q"])
    if match := _TYPE.search(message):
        return InputError(f"{match['m'].strip()} is not accepted", field=match["q"])
    return InputError(message.strip().splitlines()[-1] if message.strip() else "refused")


def render(
    src: str,
    dest: Path,
    data: Mapping[str, Any],
    *,
    defaults: bool,
    vcs_ref: str | None = None,
    overwrite: bool = False,
) -> None:
    """Copy the template into ``dest`` with ``data``; a refused answer raises an InputError."""
    import copier  # noqa: PLC0415 (lazy: keeps `oidcify --help` fast)
    from copier.errors import CopierError, CopierWarning, InteractiveSessionError  # noqa: PLC0415

    # Copier's notes ("No git tags found", "Dirty template changes included") would surround
    # our one line; the summary printed after rendering says where the template came from.
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore", CopierWarning)
        try:
            copier.run_copy(
                src_path=src,
                dst_path=dest,
                data=dict(data),
                defaults=defaults,
                vcs_ref=vcs_ref,
                overwrite=overwrite,
                unsafe=False,
                quiet=True,
            )
        except InteractiveSessionError:
            raise InputError(
                "no terminal to ask on: pass --defaults and --data NAME=VALUE", field="--data"
            ) from None
        except (ValueError, TypeError, CopierError) as err:
            raise _as_input_error(str(err)) from None
