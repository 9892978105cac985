"""The health report: database reachable, jobs flowing, and counts other apps register."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_checks: dict[str, Callable[[], dict[str, Any]]] = {}


def register_health_check(name: str, check: Callable[[], dict[str, Any]]) -> None:
    """``check()`` returns a dict with at least ``ok``; other apps add theirs (mail quarantine…)."""
    _checks[name] = check


def health_report() -> dict[str, Any]:
    from amparo.core.views import database_ok

    report: dict[str, Any] = {"database": {"ok": database_ok()}}
    for name, check in _checks.items():
        try:
            report[name] = check()
        except Exception as exc:
            report[name] = {"ok": False, "error": type(exc).__name__}
    report["ok"] = all(part.get("ok", False) for part in report.values() if isinstance(part, dict))
    return report
