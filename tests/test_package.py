"""The package face: fast, lazy imports; the command line; docs and examples that run."""

from __future__ import annotations

import io
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import influcampaign as ic
from influcampaign.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "sqlalchemy",
    "numpy",
    "cattrs",
    "babel",
    "pandas",
    "polars",
    "matplotlib",
    "icalendar",
    "datasketches",
    "psycopg",
    "hypothesis",
    "pytest",
)


def test_import_loads_no_heavy_or_optional_module() -> None:
    """`import influcampaign` imports neither SQLAlchemy nor numpy nor any extra (fresh interpreter)."""
    code = "import sys, influcampaign; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_public_names_are_sorted_and_resolvable() -> None:
    """__all__ is alphabetised and every name in it resolves."""
    assert list(ic.__all__) == sorted(ic.__all__)
    for name in ic.__all__:
        assert getattr(ic, name) is not None
    with pytest.raises(AttributeError):
        ic.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


def test_every_public_object_has_a_docstring() -> None:
    """Public classes and functions say what they are for."""
    missing = [
        name
        for name in ic.__all__
        if isinstance(getattr(ic, name), type) and not getattr(ic, name).__doc__
    ]
    assert missing == []


def test_demo_prints_creators_group_and_campaign(tmp_path: Path) -> None:
    """`python -m influcampaign demo` writes an SQLite file and prints the campaign."""
    out = io.StringIO()
    assert main(["demo", "--db", str(tmp_path / "demo.sqlite")], out) == 0
    text = out.getvalue()
    for expected in (
        "Léa Martin",
        "micro",
        "Group grp_0001",
        "Printemps au jardin",
        "running",
        "39.90 EUR",
        "the brand validates sub_0001 at 95 %",
        "'#ad' is not enough under FR",
        "validated automatically after 10 days → 100 % (automatic: True)",
        "reel   2/2",
        "week of 09 Mar",
        "Audience overlap on Instagram (exact)",
        "left out: Noor Haddad (opted_out",
        "Reach plan for a budget of 80 EUR",
        "code LEACOOKS15",
        "robot (facebookexternalhit)",
        "orders/create   evt-1  → 200 duplicate",
        "tampered body → 401 the HMAC signature does not match the body",
        "at 0.92 ECB reference rate (demo)",
        "total     clicks 4 (3 unique), orders 4 (2 via a link), conversion 67%, "
        "gross 206.80 EUR, net 196.80 EUR",
        "bonus of cre_0001: 50.00 EUR x 95 % = 47.50 EUR",
        "total     planned 291.70 EUR, committed 291.70 EUR, paid 63.30 EUR",
        "rate card: influcampaign default EUR v1",
        "total       291.70 EUR  175.63 EUR  196.80 EUR      -40%        -33%",
        "forecast (10,000 draws, seed 2026)",
        "→ within",
        "format=reel",
        "adjust deadlines: allow 3 more days (the median delay)",
        "cre_0001: 5/5/4/5 (overall 4.75), work again: True, tags: product_test, ugc",
        "on time 100%, compliance 95 %, EMV 103.13 EUR, rating 4.75",
        "to reactivate for UGC: Léa Martin (nano)",
        "8 of 10 creators ranked (filtered out: tiers 1, engagement_rate 1)",
        "#1 cre_0001  score  82.4",
        "rating: partial (4.75 / 5; target 5 / 5) +2.81",
        "cre_0009 (beauty) from 46.2 to 38.5",
        "refusals: partial (resembles cre_0008, refused (out_of_target)",
    ):
        assert expected in text
    assert (tmp_path / "demo.sqlite").exists()
    ics = (tmp_path / "demo.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert b"TZID:Europe/Paris" in ics


def test_demo_runs_as_a_module(tmp_path: Path) -> None:
    """The module entry point works from a shell."""
    result = subprocess.run(
        [sys.executable, "-m", "influcampaign", "demo", "--db", str(tmp_path / "d.sqlite")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Printemps au jardin" in result.stdout


def test_cli_reports_storage_errors_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrupt database file gives a one-line error and exit status 1."""
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    assert main(["migrate", f"sqlite:///{bad}"]) == 1
    assert "corrupt" in capsys.readouterr().err


def test_cli_migrate(tmp_path: Path) -> None:
    """`influcampaign migrate URL` creates the schema and prints its version."""
    out = io.StringIO()
    assert main(["migrate", f"sqlite:///{tmp_path / 'm.sqlite'}"], out) == 0
    assert out.getvalue().startswith("schema version ")


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize(
    "path", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_markdown_code_runs(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every ```python block of the README and docs/ runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    blocks = _python_blocks(path)
    assert blocks, f"{path.name} has no python example"
    source = "\n".join(blocks)
    if "def test_" in source:
        # Documentation that shows tests: run them with pytest, as a reader would.
        (tmp_path / f"test_doc_{path.stem}.py").write_text(source, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert re.search(r"\b[1-9]\d* passed", result.stdout), result.stdout
        return
    namespace: dict[str, object] = {"_printed_as_said_": _printed_as_said}
    for block in blocks:
        exec(compile(_check_said_prints(block), str(path), "exec"), namespace)


_SAID_PRINT = re.compile(r"^(?P<indent>\s*)print\((?P<args>.*)\)  # (?P<said>.+)$", flags=re.M)


def _check_said_prints(block: str) -> str:
    """``print(x)  # what it prints`` becomes a check that it prints exactly that."""
    return _SAID_PRINT.sub(
        lambda m: f"{m['indent']}_printed_as_said_({m['said']!r}, {m['args']})", block
    )


def _printed_as_said(said: str, *args: object) -> None:
    printed = " ".join(str(a) for a in args)
    assert printed == said, f"prints {printed!r} where its comment says {said!r}"
    print(printed)


def test_a_print_comment_is_checked() -> None:
    """In README and docs, ``print(...)  # text`` must print that text (the README once said
    ``micro running`` where it printed ``micro draft``)."""
    namespace: dict[str, object] = {"_printed_as_said_": _printed_as_said}
    exec(_check_said_prints('print("micro", "running")  # micro running'), namespace)
    with pytest.raises(AssertionError, match="micro draft"):
        exec(_check_said_prints('print("micro", "draft")  # micro running'), namespace)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_examples_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every script in examples/ runs to completion."""
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(path), run_name="__main__")
