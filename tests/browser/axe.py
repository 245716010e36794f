"""axe-core in the browser tests: the page as the browser drew it, checked against WCAG 2.2 AA and axe's best
practice (landmarks, unique landmark names, headings) with node_modules/axe-core (package.json's devDependency).

axe is evaluated through Playwright rather than added as a <script>: the Content-Security-Policy forbids inline
scripts, and rightly, so the page under test is the page as served.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What fails a test: anything axe rates moderate or worse. "minor" findings are left to judgement.
FAILING = frozenset({"moderate", "serious", "critical"})


def _known_govuk_exception(rule: str, node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's conditional reveal puts aria-expanded on the radio that reveals a follow-up question. The
    ARIA spec does not list it for radios, so axe calls it critical; GOV.UK keeps it on purpose because screen
    readers announce it (alphagov/govuk-frontend#979, a documented known issue). Only exactly that is let through."""
    return (
        rule == "aria-allowed-attr"
        and "govuk-radios__input" in node["html"]
        and "aria-controls=" in node["html"]
        and all("aria-expanded" in line for line in node["failureSummary"].splitlines()[1:] if line.strip())
    )


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the page now, moderate or worse: each with its rule, impact, help and the elements."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` (axe-core is a devDependency in package.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in results["violations"]:
        nodes = [node for node in v["nodes"] if not _known_govuk_exception(v["id"], node)]
        if v["impact"] in FAILING and nodes:
            targets = [" ".join(map(str, node["target"])) for node in nodes][:5]
            found.append({"rule": v["id"], "impact": v["impact"], "help": v["help"], "targets": targets})
    return found


def assert_accessible(page: Any) -> None:
    """Fail with a readable list of what axe found on the page (its address first)."""
    found = axe_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['rule']}: {v['help']} at {v['targets']}" for v in found
    )
