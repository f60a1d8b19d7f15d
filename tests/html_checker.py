"""The Nu HTML Checker (vnu.jar, from npm, run with Java) over pages the tests fetched."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run of the checker: Java's quick compiler only, which halves the processor time
# a run takes beside the optimising one, with the deeper thread stack the checker's schema
# then needs (it asks for at least 512k).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss8m"]


def validate_html(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors, page by page (one run of the checker for them all)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("The HTML checker needs java and node_modules/vnu-jar: run `make setup`.")
    files, checked = {}, []
    for index, (path, html) in enumerate(sorted(pages.items())):
        file = folder / f"page-{index}.html"
        file.write_text(html)
        files[file.name] = path
        checked.append(file)
    command = [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
    run = subprocess.run(
        [*command, *map(str, checked)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = defaultdict(list)
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = files.get(url.rsplit("/", 1)[-1], url)
        errors[path].append(f"line {message.get('lastLine')}: {message.get('message')}")
    return dict(errors)
