"""The `browser` marker and the browser fixtures go together, or the run stops at collection."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def collect(tmp_path, source):
    (tmp_path / "test_probe.py").write_text(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The project's ini and both conftests (root: settings; tests/: the marker check), on a foreign file.
    args = ["-c", ROOT / "pyproject.toml", "--rootdir", tmp_path, "-p", "conftest", "-p", "tests.conftest"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *map(str, args), "--collect-only", "-q", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_browser_test_without_the_marker_stops_the_run(tmp_path):
    result = collect(tmp_path, "def test_unmarked(page):\n    pass\n")
    assert result.returncode != 0
    assert "test_probe.py::test_unmarked[chromium] opens a browser but is not marked `browser`" in (
        result.stderr
    )


def test_a_marked_test_without_a_browser_stops_the_run(tmp_path):
    source = "import pytest\n\n\n@pytest.mark.browser\ndef test_marked():\n    pass\n"
    result = collect(tmp_path, source)
    assert result.returncode != 0
    assert "test_probe.py::test_marked is marked `browser` but opens no browser" in result.stderr


def test_a_marked_browser_test_is_collected(tmp_path):
    source = "import pytest\n\npytestmark = pytest.mark.browser\n\n\ndef test_marked(browser):\n    pass\n"
    result = collect(tmp_path, source)
    assert result.returncode == 0, result.stderr
    assert "test_probe.py::test_marked[chromium]" in result.stdout
