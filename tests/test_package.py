"""A built wheel, installed in a fresh virtual environment outside the repository, carries
everything it needs at run time: the schema, the stylesheets, the assets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                            env=env, timeout=600)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(venv python, venv bin folder) with tei-edition installed from a freshly built wheel."""
    root = tmp_path_factory.mktemp("wheel")
    wheels = root / "dist"
    try:
        import hatchling  # noqa: F401 - present: build without fetching it again
        isolation = ["--no-build-isolation"]
    except ImportError:
        isolation = []
    _run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", *isolation,
          "-w", str(wheels)], cwd=root)
    wheel = next(wheels.glob("tei_edition-*.whl"))
    venv = root / "venv"
    # System site packages provide lxml, saxonche, click, WeasyPrint without downloading them;
    # tei_edition itself must come from the wheel.
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], cwd=root)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    _run([str(python), "-m", "pip", "install", "--no-deps", "--force-reinstall", "--quiet",
          str(wheel)], cwd=root)
    return python, bin_dir


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return env


def test_package_comes_from_the_wheel_with_its_data(installed, tmp_path):
    python, _ = installed
    code = (
        "import tei_edition, pathlib\n"
        "from tei_edition import resources\n"
        "print(tei_edition.__file__)\n"
        "print(resources.schema_dir() / 'tei-edition.rng')\n"
        "print(resources.xslt_dir())\n"
    )
    out = _run([str(python), "-c", code], cwd=tmp_path, env=_clean_env()).stdout.split("\n")
    package_file, schema_file, xslt = (Path(line) for line in out[:3])
    venv = python.parent.parent
    assert venv in package_file.parents, package_file
    assert schema_file.is_file() and venv in schema_file.parents
    assert (schema_file.parent / "tei-edition.odd").is_file()
    assert xslt.is_dir() and venv in xslt.parents
    assert any(xslt.rglob("*.xsl"))


def test_installed_script_validates_a_fixture(installed, tmp_path):
    _, bin_dir = installed
    fixtures = tmp_path / "edition"
    shutil.copytree(FIXTURES / "validate" / "pass", fixtures)
    ok = subprocess.run([str(bin_dir / "tei-edition"), "validate", str(fixtures)], cwd=tmp_path,
                        capture_output=True, text=True, check=False, env=_clean_env())
    assert ok.returncode == 0, ok.stderr
    assert "7 files: 0 errors, 0 warnings" in ok.stderr
    bad = subprocess.run(
        [str(bin_dir / "tei-edition"), "validate",
         str(FIXTURES / "validate" / "misspelt-element.xml")],
        cwd=tmp_path, capture_output=True, text=True, check=False, env=_clean_env())
    assert bad.returncode == 1 and "did you mean <persName>?" in bad.stdout
