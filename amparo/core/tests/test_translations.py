"""pt-BR is complete: every string the code marks for translation has a Portuguese text.

Runs Django's makemessages on a copy of each app, so a string added to the code but never
extracted fails here just like one extracted and left untranslated or fuzzy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent.parent for p in ROOT.glob("*/locale/pt_BR"))


def _entries(po: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry of a .po file, header excluded."""
    entries = []
    for block in po.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        parts: dict[str, list[str]] = {}
        current = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', line)
            if match:
                current = match.group(1)
                parts.setdefault(current, []).append(match.group(2))
            elif line.startswith('"') and current:
                parts[current].append(line[1:-1])
        msgid = "".join(parts.get("msgid", []))
        if not msgid:
            continue
        if "msgctxt" in parts:  # gettext's own notation for a text in a context
            msgid = "".join(parts["msgctxt"]) + "\x04" + msgid
        strs = [v for k, v in parts.items() if k.startswith("msgstr")]
        msgstr = "".join(strs[0]) if strs else ""
        if any(not "".join(v) for v in strs):
            msgstr = ""
        entries.append((msgid, msgstr, fuzzy))
    return entries


def test_every_app_has_a_catalogue():
    names = {app.name for app in APPS}
    assert {"accounts", "core", "crm", "desk", "inbox", "portal", "tickets"} <= names


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_portuguese_catalogue_is_complete_and_current(app: Path, tmp_path: Path):
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "amparo.config.settings"}
    subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "-l",
            "pt_BR",
            "--no-obsolete",
            "-v0",
        ],
        cwd=copy,
        env=env,
        check=True,
    )
    po = (copy / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po").read_text()
    missing = [msgid for msgid, msgstr, fuzzy in _entries(po) if not msgstr or fuzzy]
    assert missing == [], f"untranslated in {app.name}: run makemessages there and translate"


def test_amparos_words_win_over_djangos():
    """Where Django's own catalogues translate the same text, the page shows Amparo's words."""
    from django.utils import translation

    ours: dict[str, set[str]] = {}
    for app in APPS:
        po = (app / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po").read_text()
        for msgid, msgstr, fuzzy in _entries(po):
            if msgstr and not fuzzy and "\x04" not in msgid:
                ours.setdefault(msgid.replace('\\"', '"').replace("\\n", "\n"), set()).add(
                    msgstr.replace('\\"', '"').replace("\\n", "\n")
                )
    with translation.override("pt-br"):
        shown = {msgid: translation.gettext(msgid) for msgid in ours}
    lost = {m: (shown[m], sorted(ours[m])) for m in ours if shown[m] not in ours[m]}
    assert lost == {}
    assert shown["Search"] == "Buscar"


def test_one_text_has_one_translation_across_apps():
    """Django merges the apps' catalogues and the first app wins, so the same English text
    translated two ways shows one of them everywhere: different meanings need a context."""
    seen: dict[str, set[str]] = {}
    for app in APPS:
        po = (app / "locale" / "pt_BR" / "LC_MESSAGES" / "django.po").read_text()
        for msgid, msgstr, fuzzy in _entries(po):
            if msgstr and not fuzzy:
                seen.setdefault(msgid, set()).add(msgstr)
    assert {m: sorted(t) for m, t in seen.items() if len(t) > 1} == {}
