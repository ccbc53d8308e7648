"""Every decision (``D13``) and documentation fact (``facts §3.2``) the code cites is defined.

The code refers to the project's decisions and to sections of the public-docs digest by number;
``docs/decisions.md`` gives each one a heading (``### D13 — …``, ``### §3.2 …``). A citation with
no heading there is a reference a maintainer cannot look up, so it fails here, naming the file.
Pure file reading: no imports of the package, no platform.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cstar_cli"
DECISIONS = ROOT / "docs" / "decisions.md"

# ``D13``, and ranges ``D19–D22`` / ``D14-D16``; ``\b`` keeps ``0xD2``, ``PID12`` and ``D100`` out.
DECISION = re.compile(r"\bD(\d{1,2})\b(?:\s*[–-]\s*D(\d{1,2})\b)?")
# ``facts §3.2`` (also ``platform-facts §4.1``); in Python sources § is used for nothing else, so
# a bare ``§1`` counts as well. A sentence's final dot is not part of the number.
FACT = re.compile(r"§\s*(\d+(?:\.\d+)*)")
DECISION_HEADING = re.compile(r"^###\s+D(\d{1,2})\b", re.MULTILINE)
FACT_HEADING = re.compile(r"^###\s+§(\d+(?:\.\d+)*)(?=\s|$)", re.MULTILINE)


def cited(text: str) -> list[tuple[int, str]]:
    """``(line, "D13" | "§3.2")`` for every citation in ``text``, ranges expanded."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in DECISION.finditer(line):
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else first
            found.extend((number, f"D{n}") for n in range(first, max(first, last) + 1))
        found.extend((number, f"§{match.group(1)}") for match in FACT.finditer(line))
    return found


def defined(markdown: str) -> set[str]:
    """The decisions and facts ``markdown`` gives a ``###`` heading of their own."""
    return {f"D{int(n)}" for n in DECISION_HEADING.findall(markdown)} | {
        f"§{n}" for n in FACT_HEADING.findall(markdown)
    }


def undefined(sources: dict[str, str], markdown: str) -> list[str]:
    """``path:line cites X`` for each citation in ``sources`` that ``markdown`` does not define."""
    known = defined(markdown)
    return [
        f"{path}:{line} cites {label}"
        for path, text in sorted(sources.items())
        for line, label in cited(text)
        if label not in known
    ]


def package_sources() -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_every_citation_in_the_package_is_defined_in_docs_decisions() -> None:
    sources = package_sources()
    problems = undefined(sources, DECISIONS.read_text(encoding="utf-8"))
    assert not problems, "docs/decisions.md has no heading for:\n" + "\n".join(problems)
    # The scan did see the code's citations (it would pass trivially on an empty tree).
    assert sum(len(cited(text)) for text in sources.values()) > 100


def test_the_checker_reports_a_made_up_citation() -> None:
    markdown = DECISIONS.read_text(encoding="utf-8")
    sources = {
        "cstar_cli/made_up.py": '"""Known: D13, facts §3.2.\nMade up: D99 and facts §9.9."""\n',
    }
    assert undefined(sources, markdown) == [
        "cstar_cli/made_up.py:2 cites D99",
        "cstar_cli/made_up.py:2 cites §9.9",
    ]


def test_citations_are_told_apart_from_other_text() -> None:
    text = "0xD2 PID12 D100 XD5 D7x, see D3. Ranges D19–D22 and D14-D16; facts §3.10. §1 here."
    assert [label for _, label in cited(text)] == [
        "D3",
        *("D19", "D20", "D21", "D22"),
        *("D14", "D15", "D16"),
        "§3.10",
        "§1",
    ]


def test_every_decision_has_exactly_one_heading() -> None:
    headings = DECISION_HEADING.findall(DECISIONS.read_text(encoding="utf-8"))
    assert sorted(int(n) for n in headings) == list(range(1, 50))
