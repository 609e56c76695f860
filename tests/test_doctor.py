"""`briefing doctor`: reports each problem with the command that fixes it; exit 1 on problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import doctor as doctor_module
from briefing.render.fonts import Check, check_fonts

FC_LIST_OK = "\n".join(
    [
        "Noto Sans CJK JP,Noto Sans CJK SC\tRegular",
        "Noto Sans CJK SC,Noto Sans CJK JP\tBold",
        "Noto Serif CJK SC\tRegular",
        "Noto Serif CJK SC\tBold",
        "DejaVu Sans\tBook",
    ]
)


def test_fonts_found() -> None:
    assert check_fonts(lambda argv: FC_LIST_OK).ok


def test_missing_bold_face_names_the_package() -> None:
    output = "\n".join(line for line in FC_LIST_OK.splitlines() if "Sans CJK SC,Noto Sans CJK JP" not in line)
    check = check_fonts(lambda argv: output)
    assert not check.ok
    assert "Noto Sans CJK SC Bold" in check.detail
    assert check.fix == "sudo apt-get install -y fonts-noto-cjk"


def test_no_fontconfig() -> None:
    check = check_fonts(lambda argv: "")
    assert not check.ok and "fontconfig" in (check.fix or "")


def test_doctor_fails_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        doctor_module,
        "run_checks",
        lambda: [
            Check("fonts", False, "missing Noto Sans CJK SC Bold",
                  "sudo apt-get install -y fonts-noto-cjk", ("fonts-noto-cjk",)),
            Check("harfbuzz-subset", False, "libharfbuzz-subset not found",
                  "sudo apt-get install -y libharfbuzz-subset0", ("libharfbuzz-subset0",)),
            Check("pango", True, "Pango 1.50.12"),
            Check("chromium", False, "not found", "sudo apt-get install -y chromium",
                  ("chromium",), required=False),
        ],
    )
    result = CliRunner().invoke(doctor_module.doctor, [])
    assert result.exit_code == 1
    assert "FAIL  fonts: missing Noto Sans CJK SC Bold" in result.output
    assert "note  chromium" in result.output
    assert "sudo apt-get install -y fonts-noto-cjk libharfbuzz-subset0" in result.output


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_doctor_on_this_machine() -> None:
    result = CliRunner().invoke(doctor_module.doctor, [])
    expected_ok = all(c.ok for c in doctor_module.run_checks() if c.required)
    assert (result.exit_code == 0) == expected_ok, result.output
    assert "weasyprint:" in result.output and "fonts:" in result.output


def test_package_files_present() -> None:
    from briefing.package_files import check_package_files

    check = check_package_files()
    assert check.ok, check.detail
    assert "templates" in check.detail


def test_package_without_templates_is_a_failure(tmp_path: Path) -> None:
    """The state of a wheel built without its package data: doctor must not say Ready."""
    from briefing.package_files import PACKAGE_DIR, check_package_files

    shutil.copytree(PACKAGE_DIR / "data", tmp_path / "data")
    check = check_package_files(tmp_path)
    assert not check.ok
    assert "templates/briefing.html.j2" in check.detail
    assert check.fix and "pip install" in check.fix


def test_broken_template_is_named(tmp_path: Path) -> None:
    from briefing.package_files import PACKAGE_DIR, check_package_files

    shutil.copytree(PACKAGE_DIR / "data", tmp_path / "data")
    shutil.copytree(PACKAGE_DIR / "templates", tmp_path / "templates")
    (tmp_path / "templates" / "site" / "base.html.j2").write_text("{% if %}", encoding="utf-8")
    check = check_package_files(tmp_path)
    assert not check.ok and "site/base.html.j2" in check.detail


def test_doctor_notes_a_missing_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    check = doctor_module.check_config()
    assert not check.ok and not check.required
    assert check.fix and "briefing init" in check.fix


def test_a_slow_pdf_blames_harfbuzz_only_when_it_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor_module, "_SLOW_PDF_SECONDS", 0.0)  # every PDF counts as slow
    busy = doctor_module.check_weasyprint(harfbuzz_subset=True)
    assert busy.ok and "slow" in busy.detail
    missing = doctor_module.check_weasyprint(harfbuzz_subset=False)
    assert not missing.ok and missing.fix == "sudo apt-get install -y libharfbuzz-subset0"
