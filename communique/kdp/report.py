"""Check results and the report that gathers them (JSON, text and HTML).

A check says "pass" or "fail" only when the facts behind it are firm; when a fact is
unverified, conflicting, stale or missing (facts.VERIFY_CONFIDENCES) it says "verify", so an
author is never told a guess is a rule.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, Literal

from .facts import Fact

Status = Literal["pass", "fail", "verify"]
_ORDER = {"fail": 0, "verify": 1, "pass": 2}


@dataclass(frozen=True)
class Check:
    rule_id: str
    status: Status
    message: str  # one plain sentence an author understands
    source: str

    def __post_init__(self):
        if self.status not in _ORDER:
            raise ValueError(f"status must be pass, fail or verify, not {self.status!r}")

    def to_dict(self) -> dict:
        return asdict(self)


def status_for(ok: bool, *used: Fact) -> Status:
    """pass/fail, unless a fact behind the rule is not firm enough to judge by."""
    if any(f.needs_verify for f in used):
        return "verify"
    return "pass" if ok else "fail"


def status_over_readings(results: Iterable[bool], *others: Fact) -> Status:
    """For a [CONFLICT] fact checked once per reading: agree → pass/fail, disagree → verify."""
    results = list(results)
    if any(f.needs_verify for f in others):
        return "verify"
    if all(results):
        return "pass"
    if not any(results):
        return "fail"
    return "verify"


def sources(*used: Fact) -> str:
    return " ; ".join(dict.fromkeys(f.source for f in used))


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    title: str = "KDP preflight"

    def add(self, *checks: Check) -> "Report":
        self.checks.extend(checks)
        return self

    def extend(self, checks: Iterable[Check]) -> "Report":
        self.checks.extend(checks)
        return self

    @property
    def status(self) -> Status:
        if not self.checks:
            return "verify"
        return min((c.status for c in self.checks), key=_ORDER.__getitem__)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for c in self.checks if c.status == s) for s in ("fail", "verify", "pass")}

    def by_status(self) -> list[Check]:
        return sorted(self.checks, key=lambda c: (_ORDER[c.status], c.rule_id))

    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    def to_dict(self) -> dict:
        return {"title": self.title, "status": self.status, "counts": self.counts(),
                "checks": [c.to_dict() for c in self.by_status()]}

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        counts = self.counts()
        lines = [f"{self.title}: {self.status.upper()} "
                 f"({counts['fail']} to fix, {counts['verify']} to verify, {counts['pass']} passed)", ""]
        mark = {"fail": "✗ FIX   ", "verify": "? VERIFY", "pass": "✓ OK    "}
        for c in self.by_status():
            lines.append(f"{mark[c.status]} {c.message}  [{c.rule_id}]")
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The report as a page (template kdp/preflight.html; KDP's links, no internal references)."""
        from .reports import preflight_html

        return preflight_html(self)

    def _old_to_html(self) -> str:  # pragma: no cover - kept until the merge; see reports.py
        counts = self.counts()
        rows = "\n".join(
            _ROW.format(status=c.status, label=_LABEL[c.status], message=html.escape(c.message),
                        rule=html.escape(c.rule_id), source=html.escape(c.source))
            for c in self.by_status()
        )
        return _PAGE.format(title=html.escape(self.title), status=self.status, label=_LABEL[self.status],
                            fail=counts["fail"], verify=counts["verify"], passed=counts["pass"], rows=rows)


_LABEL = {"fail": "Fix", "verify": "Verify", "pass": "OK"}
_ROW = ('<tr class="{status}"><td class="status">{label}</td><td>{message}'
        '<div class="meta">{rule} · {source}</div></td></tr>')
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font:16px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%}} td{{border-top:1px solid #ddd;padding:.5rem;vertical-align:top}}
td.status{{font-weight:bold;width:5rem}} .meta{{color:#666;font-size:.8rem;word-break:break-all}}
tr.fail td.status{{color:#b00020}} tr.verify td.status{{color:#8a5a00}} tr.pass td.status{{color:#1b5e20}}
.summary.fail{{color:#b00020}} .summary.verify{{color:#8a5a00}} .summary.pass{{color:#1b5e20}}
</style></head><body>
<h1>{title}</h1>
<p class="summary {status}"><strong>{label}</strong>: {fail} to fix, {verify} to verify, {passed} passed.</p>
<p>"Verify" means the rule comes from a source we could not confirm on KDP's own pages; check it on KDP before publishing.</p>
<table>
{rows}
</table>
</body></html>
"""
