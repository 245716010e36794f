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


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the page now, moderate or worse: each with its rule, impact, help and the elements."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` (axe-core is a devDependency in package.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, node["target"])) for node in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in FAILING
    ]


def assert_accessible(page: Any) -> None:
    """Fail with a readable list of what axe found on the page (its address first)."""
    found = axe_violations(page)
    assert not found, f"{page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['rule']}: {v['help']} at {v['targets']}" for v in found
    )
