"""One source of packs: a command run in a folder holding rules/ reads that folder, and says so.

The silent-edit scenario of issue 15: after `pip install .` the packs are copied into the installed
package; an edit to the checkout's rules/ must be what validate and lint check, not the old copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from villagepolicy.cli import main
from villagepolicy.packsource import find_local, resolve

REPO = Path(__file__).resolve().parents[1]


def _copy_checkout(dest: Path) -> Path:
    """The parts of a clone that `pip install .` and the pack commands need."""
    for name in ("rules", "jurisdictions", "rules-tests", "src"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A checkout copy installed with a real `pip install .` into a new venv (dependencies borrowed)."""
    base = tmp_path_factory.mktemp("install")
    checkout = _copy_checkout(base / "checkout")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps", "."],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"pip install . failed here (offline build backend?): {done.stderr[-500:]}")
    # The dependencies come from this test's environment: a plain path line, so its .pth files (the
    # editable install of this very checkout) are not processed and the installed copy is what runs.
    site = next((venv / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "zz_test_deps.pth").write_text("\n".join(deps) + "\n")
    return checkout, venv


def _run(venv: Path, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "VILLAGEPOLICY_PACKS"} | (env or {})
    return subprocess.run(
        [str(venv / "bin" / "villagepolicy"), *args], cwd=cwd, capture_output=True, text=True, env=full, timeout=300
    )


def test_silent_edit_is_seen_by_validate_and_lint_after_pip_install(installed: tuple[Path, Path]) -> None:
    checkout, venv = installed
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import villagepolicy, sys; print(villagepolicy.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout
    assert str(venv) in where, "the test must run the installed copy, not this checkout"
    pack = checkout / "rules" / "shiquan-2021.yaml"
    original = pack.read_text(encoding="utf-8")
    try:
        # An overlap on purpose: 5 days now sits in two first-secretary tiers.
        pack.write_text(
            original.replace(
                "when: {role: first_secretary, days: {gte: 6, lte: 10}}",
                "when: {role: first_secretary, days: {gte: 5, lte: 10}}",
            ),
            encoding="utf-8",
        )
        lint = _run(venv, checkout, "lint")
        assert lint.returncode == 1, lint.stdout + lint.stderr
        assert "sq-leave-fs-medium" in lint.stdout and str(checkout) in lint.stderr  # the edit, and which folder
        assert "使用当前目录的规则包" in lint.stderr
        # Below the folder too (a person working in rules/).
        assert _run(venv, checkout / "rules", "lint").returncode == 1
        # --installed (or VILLAGEPOLICY_PACKS=installed) checks the installed copy, as asked.
        assert _run(venv, checkout, "lint", "--installed").returncode == 0
        assert _run(venv, checkout, "lint", env={"VILLAGEPOLICY_PACKS": "installed"}).returncode == 0

        # A clause that does not exist: validate must fail on the edited file.
        pack.write_text(original.replace('cites: ["13(2)"]', 'cites: ["13(9)"]', 1), encoding="utf-8")
        validate = _run(venv, checkout, "validate")
        assert validate.returncode == 1, validate.stdout + validate.stderr
        assert f"{pack}:" in validate.stdout and "13(9)" in validate.stdout
        assert _run(venv, checkout, "validate", "--installed").returncode == 0
        decide = _run(venv, checkout, "decide", "shiquan", "leave_approval", "--facts", "{role: team_member, days: 3}")
        assert decide.returncode == 2 and "13(9)" in decide.stderr  # decide reads the same folder
    finally:
        pack.write_text(original, encoding="utf-8")
    ok = _run(venv, checkout, "validate")
    assert ok.returncode == 0 and "通过 ok" in ok.stdout


def test_a_county_folder_is_read_over_the_installed_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    county = tmp_path / "lakeside"
    (county / "rules").mkdir(parents=True)
    (county / "jurisdictions").mkdir()
    deep = county / "rules"
    monkeypatch.delenv("VILLAGEPOLICY_PACKS", raising=False)
    assert find_local(deep) == county.resolve()
    source = resolve(start=deep)
    assert source.folder == county.resolve() and source.include_shipped and source.found
    assert resolve(installed=True, start=deep).folder is None
    assert resolve(packs="elsewhere", start=deep).folder == Path("elsewhere")


def test_this_checkout_is_read_alone_not_on_top_of_an_installed_copy(tmp_path: Path) -> None:
    checkout = tmp_path / "clone"
    (checkout / "rules").mkdir(parents=True)
    (checkout / "src" / "villagepolicy").mkdir(parents=True)
    (checkout / "src" / "villagepolicy" / "__init__.py").write_text("")
    source = resolve(start=checkout)
    assert source.folder == checkout.resolve() and not source.include_shipped


def test_load_of_a_missing_folder_says_folder_not_line_one(tmp_path: Path) -> None:
    import villagepolicy as vp

    with pytest.raises(vp.PackError) as e:
        vp.load(tmp_path / "missing")
    text = str(e.value)
    assert "目录不存在 no such folder" in text and ":1:1" not in text


def test_the_notice_is_printed_once_on_stderr(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VILLAGEPOLICY_PACKS", raising=False)
    assert main(["validate"]) == 0
    err = capsys.readouterr().err
    assert err.count("使用当前目录的规则包 using the packs in") == 1


def test_packs_dir_scopes_coverage_and_its_check_to_the_folders_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "lakeside"
    assert main(["init", str(folder), "--county", "lakeside", "--year", "2024"]) == 0
    capsys.readouterr()
    # No coverage file of the folder's own yet: stale, naming the folder's file, not the shipped docs/coverage.md.
    assert main(["coverage", "--packs", str(folder), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"{folder}/docs/coverage.md: 已过期" in err and "1 条款 clauses" in err
    assert main(["coverage", "--packs", str(folder)]) == 0
    text = (folder / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert "lakeside-2024" in text and "shiquan-2021" not in text
    assert main(["coverage", "--packs", str(folder), "--check"]) == 0


def test_packs_dir_scopes_lint_and_test_coverage_to_the_folders_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "lakeside"
    assert main(["init", str(folder), "--county", "lakeside", "--year", "2024"]) == 0
    capsys.readouterr()
    assert main(["test", "--packs", str(folder), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "规则覆盖率 rule coverage: 100.0% (1/1)" in out and "shiquan" not in out
    assert main(["lint", "--packs", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "shiquan-2021" not in out and "rules/central-2017" not in out
