"""What is wrong with a data file: one :class:`DataFileError` naming the JSON path
(``tickets[3].customerId``) and the problem, and how the checks a load makes produce it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cstar_cli.platform.http.errors import ApiError
from cstar_cli.wire.times import iso, parse_iso

M = TypeVar("M", bound=BaseModel)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Path = tuple[str | int, ...]


class DataFileError(Exception):
    """A data file that cannot be loaded: where (a JSON path) and what is wrong."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = json_path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)

    def as_api_error(self) -> ApiError:
        """The API's answer to it: a 400 whose ``param`` is the JSON path."""
        return ApiError.invalid(
            f"The data file cannot be loaded; nothing was changed. {self}",
            param=self.path or None,
        )


def json_path(parts: Iterable[str | int]) -> str:
    """``("tickets", 3, "customerId")`` → ``tickets[3].customerId``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif NAME.match(part):
            text += f".{part}" if text else part
        else:
            text += "[" + repr(part).replace("'", '"') + "]"
    return text


def validated(model: type[M], item: dict[str, Any], path: Path, noun: str) -> M:
    """``item`` checked by the API's own request model for ``noun``; its first problem as a
    :class:`DataFileError`."""
    try:
        return model.model_validate(item)
    except ValidationError as err:
        first = err.errors()[0]
        where = (*path, *first["loc"])
        if first["type"] == "extra_forbidden":
            field = str(first["loc"][-1])
            raise DataFileError(where, unknown(field, known_fields(model), noun)) from None
        if first["type"] == "missing":
            raise DataFileError(where, f"missing: every {noun} needs one.") from None
        raise DataFileError(where, f"{first['msg']}.") from None


def known_fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def unknown(field: str, accepted: Sequence[str], noun: str) -> str:
    """An unknown field's problem, with the close matches."""
    close = difflib.get_close_matches(field, accepted, n=2, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return f"unknown field of a {noun}.{hint}"


def an_object(value: Any, path: Path, noun: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataFileError(path, f"must be a JSON object (a {noun}), not {kind_of(value)}.")
    return value


def a_section(value: Any, path: Path, keys: Sequence[str], noun: str, owner: str) -> dict[str, Any]:
    """An object (a ``noun``) holding nothing but ``keys``: any other is an unknown field of a
    ``owner``."""
    section = an_object(value, path, noun)
    for key in section:
        if key not in keys:
            raise DataFileError((*path, key), unknown(key, keys, owner))
    return section


def a_list(value: Any, path: Path) -> list[Any]:
    if not isinstance(value, list):
        raise DataFileError(path, f"must be a JSON array, not {kind_of(value)}.")
    return value


def a_time(value: Any, path: Path) -> str:
    """An ISO-8601 time, as the API writes it (``2026-03-06T14:30:00.123Z``)."""
    if isinstance(value, str):
        try:
            return iso(parse_iso(value))
        except (ValueError, OverflowError, OSError):
            pass
    raise DataFileError(path, "must be an ISO-8601 time such as 2026-03-06T14:30:00.000Z.")


def a_count(value: Any, path: Path) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**53:
        return value
    raise DataFileError(path, "must be a whole number, 0 or more.")


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    names.update({list: "an array", dict: "an object"})
    return names.get(type(value), type(value).__name__)
