"""The command line: help and version, validate's output, formats and exit codes, hostile
files, and the installed ``tei-edition`` script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO

from tei_edition import __version__
from tei_edition.cli import main

VALIDATE = FIXTURES / "validate"
PASS = VALIDATE / "pass"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_help_lists_commands_with_examples():
    code, out, _ = run("--help")
    assert code == 0
    assert "validate" in out and "render" in out and "Examples:" in out
    for command in main.commands.values():
        assert command.help and "Example" in command.help, command.name


def test_validate_help_documents_exit_codes():
    code, out, _ = run("validate", "--help")
    assert code == 0 and "Exit status" in out and "--schema" in out and "--strict" in out


def test_clean_edition_exits_0_with_summary_on_stderr():
    code, out, err = run("validate", str(PASS))
    assert code == 0
    assert out == ""
    assert "7 files: 0 errors, 0 warnings" in err


def test_errors_exit_1_in_compiler_format():
    code, out, err = run("validate", str(VALIDATE / "dangling-ref.xml"))
    assert code == 1
    line = out.strip().splitlines()[0]
    path, lineno, column, rest = line.split(":", 3)
    assert path.endswith("dangling-ref.xml") and lineno == "20" and column.isdigit()
    assert rest.startswith(" error: [pointer-dangling] ")
    assert "1 error" in err


def test_warnings_fail_only_with_strict():
    path = str(VALIDATE / "unused-register-entry.xml")
    assert run("validate", path)[0] == 0
    assert run("validate", "--strict", path)[0] == 1


def test_unreferenced_names_option():
    path = str(VALIDATE / "unreferenced-name.xml")
    assert run("validate", path)[0] == 1
    code, out, _ = run("validate", "--unreferenced-names", "warning", path)
    assert code == 0 and "warning: [name-unreferenced]" in out
    assert run("validate", "--unreferenced-names", "off", path)[1] == ""


def test_json_format():
    code, out, _ = run("validate", "--format", "json", str(VALIDATE / "julian-mismatch.xml"))
    assert code == 1
    data = json.loads(out)
    assert data["summary"]["errors"] == 1
    finding = data["findings"][0]
    assert finding["rule"] == "date-julian-mismatch" and finding["line"] == 25
    assert set(finding) == {"path", "line", "column", "severity", "rule", "message"}


@pytest.mark.parametrize("name", ["malformed.xml", "external-entity.xml", "entity-bomb.xml",
                                  "not-tei.xml", "tei-without-text.xml"])
def test_hostile_and_broken_files_give_a_clean_error_and_exit_1(name):
    code, out, err = run("validate", str(VALIDATE / name))
    assert code == 1
    assert f"{name}:" in out and ": error: [" in out
    assert "Traceback" not in out + err


def test_external_entity_is_not_expanded():
    _, out, _ = run("validate", str(VALIDATE / "external-entity.xml"))
    assert "root:" not in out  # nothing of /etc/passwd


def test_missing_path_is_a_usage_error():
    code, _, err = run("validate", "no/such/folder")
    assert code == 2 and "no/such/folder: no such file or folder" in err


def test_missing_schema_is_a_usage_error():
    code, _, err = run("validate", "--schema", "missing.rng", str(PASS))
    assert code == 2 and "missing.rng: no such file" in err


def test_bad_option_value_is_a_usage_error():
    code, _, _ = run("validate", "--format", "yaml", str(PASS))
    assert code == 2


def test_default_path_is_tei(tmp_path, monkeypatch):
    shutil.copytree(PASS, tmp_path / "tei")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("validate")
    assert code == 0 and "7 files" in err


def test_external_schema_option(tei_all):
    code, out, _ = run("validate", "--schema", str(tei_all), str(VALIDATE / "misspelt-element.xml"))
    assert code == 1
    assert "[schema-external] tei_all.rng:" in out and "[schema] " in out


# --- through the installed script ------------------------------------------------------------

def _script() -> list[str]:
    exe = shutil.which("tei-edition")
    return [exe] if exe else [sys.executable, "-m", "tei_edition.cli"]


def test_script_in_a_subprocess_exit_codes_and_output():
    ok = subprocess.run([*_script(), "validate", str(PASS)], capture_output=True, text=True,
                        check=False)
    assert ok.returncode == 0, ok.stderr
    bomb = subprocess.run([*_script(), "validate", str(VALIDATE / "entity-bomb.xml")],
                          capture_output=True, text=True, check=False, timeout=60)
    assert bomb.returncode == 1
    assert "[xml-entity]" in bomb.stdout and "Traceback" not in bomb.stderr
    missing = subprocess.run([*_script(), "validate", "nowhere"], capture_output=True,
                             text=True, check=False)
    assert missing.returncode == 2 and "nowhere" in missing.stderr


def test_validate_does_not_import_saxon_or_weasyprint():
    code = (
        "import sys\n"
        "from tei_edition.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(PASS)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('saxonche', 'weasyprint')]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, env=env)
    assert result.returncode == 0, result.stderr


def test_validate_is_fast_on_a_small_edition():
    """Whole process on the passing edition: start-up plus well under a second of checking."""
    result = subprocess.run([*_script(), "validate", str(PASS)], capture_output=True,
                            text=True, check=False)
    seconds = float(result.stderr.strip().rsplit("(", 1)[1].split()[0])
    assert seconds < 1.0
    assert Path(PASS).is_dir()


def test_no_customisation_for_other_projects_tei(tmp_path, tei_all):
    """TEI outside the customisation (here <div1>) fails against it, and passes with
    --no-customisation and TEI's own tei_all."""
    text = (PASS / "front.xml").read_text(encoding="utf-8")
    other = text.replace('<div type="introduction">', '<div1 type="introduction">').replace(
        "</div>", "</div1>")
    path = tmp_path / "other.xml"
    path.write_text(other, encoding="utf-8")
    code, out, _ = run("validate", "--unreferenced-names", "off", str(path))
    assert code == 1 and "[schema] <div1> is not an element of the schema" in out
    args = ["validate", "--no-customisation", "--unreferenced-names", "off", str(path)]
    code, out, _ = run(*args)
    assert "[schema]" not in out
    code, out, _ = run(*args[:-1], "--schema", str(tei_all), str(path))
    assert "[schema" not in out
