"""Run axe-core (vendored, MPL-2.0) inside a Playwright page and list what it finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
# Every WCAG 2.0-2.2 A/AA rule plus axe's best practices (landmarks, one h1, ...).
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the page as loaded now (the page's CSP must be bypassed)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                // Off by default in axe; WCAG 2.2 AA 2.5.8 (Lighthouse runs it too).
                rules: {"target-size": {enabled: true}},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        AXE_TAGS,
    )


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable failure message: rule, impact and the first few offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"][:5])
    return "\n".join(lines)
