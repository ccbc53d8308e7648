"""A tool call's arguments, checked before the tool runs: unknown names, missing or bad values.

The tools take the API's own spelling (camelCase: ``ticketId``, ``pageSize``, ``createdAfter``).
An argument a tool does not have is an error naming it, with the names that come close ("Did
you mean createdAfter?") and every accepted one, so an agent never believes a filter worked
that was dropped. A missing or wrongly typed value is an error naming the argument and what it
expects, in words drawn from the tool's input schema (never pydantic's own dump). No MCP SDK
import here: :mod:`cstar_cli.mcp.server` calls these with each tool's input schema.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from cstar_cli.mcp.toolkit import ToolInputError

SYNONYMS = {
    "limit": "pageSize",
    "perpage": "pageSize",
    "size": "pageSize",
    "count": "pageSize",
    "q": "search",
    "query": "search",
    "text": "search",
    "assignee": "assignedTo",
    "customer": "customerId",
    "for": "forId",
}
"""Words agents reach for, folded (lower case, no ``_`` or ``-``), and the argument they mean."""

MAX_SUGGESTIONS = 3
MAX_SHOWN = 60


def _fold(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _names(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def suggestions(name: str, accepted: Sequence[str]) -> list[str]:
    """The accepted names ``name`` probably meant, in the tool's order (at most three).

    The same name in another case or with underscores (``ticket_id``) is the one answer, and
    so is a synonym's (``limit`` → ``pageSize``); otherwise the ``…Id`` names for a bare ``id``,
    names that start with it (``created`` → ``createdAfter``, ``createdBefore``) and close
    spellings.
    """
    key = _fold(name)
    folded = {_fold(candidate): candidate for candidate in accepted}
    if key in folded:
        return [folded[key]]
    synonym = SYNONYMS.get(key, "")
    if synonym in accepted:
        return [synonym]
    picked: set[str] = set()
    if key == "id":
        picked.update(candidate for candidate in accepted if candidate.endswith("Id"))
    if len(key) >= 3:
        picked.update(candidate for fold, candidate in folded.items() if fold.startswith(key))
    picked.update(folded[fold] for fold in difflib.get_close_matches(key, folded, n=3, cutoff=0.7))
    return [candidate for candidate in accepted if candidate in picked][:MAX_SUGGESTIONS]


def check_names(tool: str, arguments: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Raise :class:`ToolInputError` (code ``unknown_argument``) for names the tool lacks."""
    accepted = list(schema.get("properties", {}))
    unknown = [name for name in arguments if name not in accepted]
    if not unknown:
        return
    if len(unknown) == 1:
        close = suggestions(unknown[0], accepted)
        message = f"{tool} has no argument {unknown[0]!r}."
        message += f" Did you mean {_names(close)}?" if close else ""
    else:
        parts = []
        for name in unknown:
            close = suggestions(name, accepted)
            parts.append(f"{name!r}" + (f" (did you mean {_names(close)}?)" if close else ""))
        message = f"{tool} has no arguments {', '.join(parts)}."
    accepted_text = ", ".join(accepted) if accepted else "none"
    raise ToolInputError(
        message,
        code="unknown_argument",
        param=unknown[0],
        hint=f"Accepted arguments: {accepted_text}. Names are spelled as the API spells them.",
    )


def expectation(prop: Mapping[str, Any]) -> str:
    """What a property of an input schema accepts, in words: "an integer from 1 to 100"."""
    variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
    kind = variants[0] if len(variants) == 1 else prop  # an optional argument: its own type
    if "enum" in kind:
        return f"one of {', '.join(map(str, kind['enum']))}"
    if "const" in kind:
        return json.dumps(kind["const"])
    return _typed(kind)


def _typed(kind: Mapping[str, Any]) -> str:
    match kind.get("type"):
        case "integer" | "number" as number:
            words = "an integer" if number == "integer" else "a number"
            low, high = kind.get("minimum"), kind.get("maximum")
            if low is not None and high is not None:
                return f"{words} from {low} to {high}"
            if low is not None:
                return f"{words} of at least {low}"
            return words if high is None else f"{words} of at most {high}"
        case "string":
            longest = kind.get("maxLength")
            words = "a non-empty string" if kind.get("minLength", 0) > 0 else "a string"
            return words if longest is None else f"{words} of at most {longest} characters"
        case "boolean":
            return "true or false"
        case "array":
            item = kind.get("items", {}).get("type")
            words = f"a list of {item}s" if item else "a list"
            most = kind.get("maxItems")
            return words if most is None else f"{words} (at most {most})"
        case "object":
            return "an object"
    return "a value of another type"


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def explain(
    tool: str, error: ValidationError, arguments: Mapping[str, Any], schema: Mapping[str, Any]
) -> ToolInputError:
    """The :class:`ToolInputError` for a failed validation: one sentence per argument."""
    properties: Mapping[str, Any] = schema.get("properties", {})
    sentences: list[str] = []
    names: list[str] = []
    missing = False
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else ""
        if name in names:
            continue
        names.append(name)
        prop = properties.get(name, {})
        expects = expectation(prop) if prop else "something else"
        if problem["type"] == "missing":
            missing = True
            about = prop.get("description")
            sentences.append(f"{tool} needs {name}: {expects}" + (f" — {about}" if about else "."))
        else:
            sentences.append(f"{name} must be {expects}; got {_shown(arguments.get(name))}.")
    required = schema.get("required", [])
    return ToolInputError(
        " ".join(sentences),
        code="missing_argument" if missing and len(names) == 1 else "invalid_argument",
        param=names[0] if names else None,
        hint=f"Required: {', '.join(required)}." if missing and required else None,
    )
