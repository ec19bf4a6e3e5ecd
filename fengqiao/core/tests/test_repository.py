"""The repository holds product files only: no working notes, no paths of a developer's
machine (a checkout lives anywhere)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Written so that this file does not match itself.
MACHINE_PATH = re.compile("/(?:" + "work" + "|" + "root" + r")/[\w.]")
NOTES = "TEAM" + "_RULES"


def _tracked_text_files() -> list[Path]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    done = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False, timeout=60
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    files = []
    for name in done.stdout.decode().split("\0"):
        path = ROOT / name
        if name and path.is_file() and b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


def test_no_file_names_a_path_of_this_machine_or_the_working_notes():
    offending = []
    for path in _tracked_text_files():
        text = path.read_text(errors="replace")
        for match in MACHINE_PATH.finditer(text):
            offending.append(f"{path.relative_to(ROOT)}: {text[match.start() : match.end() + 30]}")
        if NOTES in text:
            offending.append(f"{path.relative_to(ROOT)}: {NOTES}")
    assert offending == []
    assert not (ROOT / "docs" / f"{NOTES}.md").exists()
