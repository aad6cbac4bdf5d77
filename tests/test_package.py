"""The package face: fast, lazy imports; the command line; docs and examples that run."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import io
import re
import runpy
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

import influcampaign as ic
from influcampaign.cli import main
from influcampaign.demo import run_demo

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


INIT = ROOT / "src" / "influcampaign" / "__init__.py"


def _reexports() -> tuple[dict[str, set[str]], dict[str, set[str]], list[str]]:
    """What type checkers read in ``__init__.py``: the names re-exported by its eager imports and
    by its ``if TYPE_CHECKING:`` block, by module, and any import not spelt ``X as X``."""
    eager: dict[str, set[str]] = defaultdict(set)
    typing_only: dict[str, set[str]] = defaultdict(set)
    implicit: list[str] = []
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        in_block = isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        into = typing_only if in_block else eager
        for stmt in node.body if isinstance(node, ast.If) else [node]:
            if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("influcampaign"):
                for alias in stmt.names:
                    into[str(stmt.module)].add(alias.name)
                    if alias.asname != alias.name:
                        implicit.append(alias.name)
    return dict(eager), dict(typing_only), implicit


class TestPublicNames:
    """The package face: one list of public names, from which everything else derives."""

    def test_all_is_sorted_and_derived_from_the_one_list(self) -> None:
        """__all__ is alphabetised and is exactly the names of ``_PUBLIC`` plus ``open``."""
        assert list(ic.__all__) == sorted(ic.__all__)
        listed = [name for names in ic._PUBLIC.values() for name in names]
        assert len(listed) == len(set(listed)), "a name is listed under two modules"
        assert sorted(ic.__all__) == sorted([*listed, "open"])

    def test_every_public_name_resolves_to_the_object_of_its_module(self) -> None:
        """Each name in __all__ resolves, to the very object its module defines."""
        for module, names in ic._PUBLIC.items():
            for name in names:
                assert getattr(ic, name) is getattr(importlib.import_module(module), name)
        assert callable(ic.open)
        with pytest.raises(AttributeError):
            ic.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018

    def test_typing_imports_name_exactly_the_list(self) -> None:
        """The re-exports mypy reads (eager imports and the TYPE_CHECKING block) are ``_PUBLIC``:
        the eager modules at import, all others under TYPE_CHECKING, each spelt ``X as X``."""
        eager, typing_only, implicit = _reexports()
        public = {module: set(names) for module, names in ic._PUBLIC.items()}
        assert eager == {m: n for m, n in public.items() if m in ic._EAGER}
        assert typing_only == {m: n for m, n in public.items() if m not in ic._EAGER}
        assert implicit == []

    def test_only_the_eager_names_load_with_the_package(self) -> None:
        """A fresh ``import influcampaign`` holds the eager names and ``open``; the others are
        loaded on first use (fresh interpreter)."""
        code = (
            "import influcampaign as ic\n"
            "print(' '.join(n for n in ic.__all__ if n in vars(ic)))\n"
            "ic.Workspace\n"
            "print('Workspace' in vars(ic))\n"
        )
        loaded, cached = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        eager = [name for module in ic._EAGER for name in ic._PUBLIC[module]]
        assert loaded.split() == sorted([*eager, "open"])
        assert cached == "True"

    def test_dir_lists_the_public_names(self) -> None:
        """``dir(influcampaign)`` shows every public name, loaded or not, and nothing private."""
        assert [name for name in dir(ic) if not name.startswith("__")] == ic.__all__

    def test_every_public_object_has_a_docstring(self) -> None:
        """Public classes and functions say what they are for."""
        missing = [
            name
            for name in ic.__all__
            if isinstance(getattr(ic, name), type) and not getattr(ic, name).__doc__
        ]
        assert missing == []


def _undocumented_tests(source: str) -> list[str]:
    """The test functions of a module's source that have no docstring, as ``name:line``."""
    return sorted(
        f"{node.name}:{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
        and ast.get_docstring(node) is None
    )


class TestTheSuite:
    """The test suite itself reads as a specification."""

    def test_every_test_function_has_a_docstring(self) -> None:
        """Every test function in tests/ says in its docstring the behaviour it checks."""
        missing = [
            f"{path.relative_to(ROOT)}:{where}"
            for path in sorted((ROOT / "tests").rglob("*.py"))
            for where in _undocumented_tests(path.read_text(encoding="utf-8"))
        ]
        assert missing == []

    def test_the_docstring_check_sees_methods_and_functions(self) -> None:
        """The check finds an undocumented test method or function and passes documented ones."""
        source = (
            "class TestX:\n"
            "    def test_a(self):\n        pass\n"
            '    def test_b(self):\n        """Says what."""\n'
            "def test_c():\n    pass\n"
            "def helper():\n    pass\n"
        )
        assert _undocumented_tests(source) == ["test_a:2", "test_c:6"]


MANAGER = ic.BrandMember("u_claire", brand_id="maison-verte", role="manager")


@dataclasses.dataclass(frozen=True)
class DemoRun:
    """What one run of the demo left: its report, its workspace and the calendar it wrote."""

    report: str
    ws: ic.Workspace
    ics: Path

    def says(self, fact: str) -> bool:
        """Whether a line of the report holds ``fact``, however its columns are padded."""
        return _squeeze(fact) in _squeeze(self.report)

    def rows(self, pattern: str) -> list[dict[str, str]]:
        """The named groups of every report line that ``pattern`` matches (spaces squeezed)."""
        return [
            m.groupdict() for m in re.finditer(pattern, _squeeze(self.report), flags=re.MULTILINE)
        ]


def _squeeze(text: str) -> str:
    """Each line with its runs of spaces as one space: the facts, without column padding."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """The demo, run once on an SQLite file for all the tests of its facts."""
    folder = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    ws = run_demo(f"sqlite:///{folder / 'demo.sqlite'}", out, ics_path=folder / "demo.ics")
    with ws:
        yield DemoRun(out.getvalue(), ws, folder / "demo.ics")


class TestDemo:
    """`python -m influcampaign demo` runs the SDK's main job end to end and prints its facts."""

    def test_creators_group_and_project(self, demo: DemoRun) -> None:
        """Five creators with their tiers, a group of the food and outdoor ones, a running project."""
        creators = demo.rows(
            r"^(?P<id>cre_\d+) (?P<name>\D+) (?P<tier>\w+) (?P<followers>[\d,]+) followers"
        )
        assert {c["name"]: (c["id"], c["tier"], c["followers"]) for c in creators} == {
            "Léa Martin": ("cre_0001", "nano", "8,400"),
            "Hugo Bernard": ("cre_0002", "micro", "46,000"),
            "Amélie Dubois": ("cre_0003", "mid", "180,000"),
            "Sam Okafor": ("cre_0004", "macro", "720,000"),
            "Noor Haddad": ("cre_0005", "nano", "3,100"),
        }
        assert demo.says("(an analyst reading Léa Martin sees contact = None)")
        assert demo.says("Group grp_0001 “Spring food & outdoor”: cre_0001, cre_0002, cre_0004")
        assert demo.says("Campaign cmp_0001 “Printemps au jardin” (seeding, project)")
        assert demo.says("status running")
        assert demo.says("gift 39.90 EUR")
        assert demo.ws.campaigns.get(MANAGER, "cmp_0001").status is ic.CampaignStatus.RUNNING

    def test_overlap_and_reach_plan(self, demo: DemoRun) -> None:
        """The exact overlap leaves out the creator without Instagram data and the one who opted out."""
        assert demo.says("Audience overlap on Instagram (exact)")
        left_out = demo.rows(r"^left out: (?P<name>[^(]+) \((?P<state>[^:]+):")
        assert left_out == [
            {"name": "Sam Okafor", "state": "no data"},
            {"name": "Noor Haddad", "state": "opted_out"},
        ]
        assert demo.says("Reach plan for a budget of 80 EUR (one gift of 39.90 EUR each)")
        assert demo.says("cost 79.80 EUR, at least 32% of the best reach (greedy bound)")

    def test_workflow_brief_checks_and_validation(self, demo: DemoRun) -> None:
        """Reminders stop at submission; '#ad' fails the French rule; the late reel is validated
        automatically after 10 days at 100 %; both reels are delivered, week by week."""
        assert demo.says("day 5: cre_0001 submits its reel; its reminders stop")
        assert demo.says("day 8: the brand validates sub_0001 at 95 %")
        assert demo.rows(r"^day +\d+: reminder (?P<n>\d) to (?P<creator>cre_\d+)$") == [
            {"n": "1", "creator": "cre_0001"},
            {"n": "1", "creator": "cre_0002"},
            {"n": "2", "creator": "cre_0002"},
            {"n": "3", "creator": "cre_0002"},
        ]
        assert demo.says("'#ad' is not enough under FR")
        assert demo.says(
            "sub_0002: validated automatically after 10 days → 100 % (automatic: True)"
        )
        per_format = demo.rows(r"^(?P<format>reel|story) (?P<delivered>\d+)/(?P<expected>\d+)$")
        assert per_format == [
            {"format": "reel", "delivered": "2", "expected": "2"},
            {"format": "story", "delivered": "0", "expected": "4"},
        ]
        assert demo.rows(r"^week of (?P<monday>\d\d \w+)$") == [
            {"monday": "09 Mar"},
            {"monday": "16 Mar"},
        ]
        validations = {
            s: demo.ws.submissions.get(MANAGER, s).validation for s in ("sub_0001", "sub_0002")
        }
        assert {s: (v.compliance, v.automatic) for s, v in validations.items() if v} == {
            "sub_0001": (95, False),
            "sub_0002": (100, True),
        }

    def test_calendar_file(self, demo: DemoRun) -> None:
        """The content calendar is written as an iCalendar file in the campaign's time zone."""
        ics = demo.ics.read_bytes()
        assert ics.startswith(b"BEGIN:VCALENDAR")
        assert b"TZID:Europe/Paris" in ics
        assert demo.says(f"written to {demo.ics} ({ics.count(b'BEGIN:VEVENT')} events)")
        assert ics.count(b"BEGIN:VEVENT") == 6

    def test_links_webhooks_and_sales(self, demo: DemoRun) -> None:
        """A robot's click is not counted, a retried webhook is a duplicate, a tampered one is
        refused, an order in USD is converted at the recorded rate; sales add up per creator."""
        assert demo.says("code LEACOOKS15")
        assert demo.says("robot (facebookexternalhit)")
        hooks = demo.rows(
            r"^(?P<topic>\w+/\w+) (?P<event>evt-\d) → (?P<status>\d+) (?P<outcome>\w+)$"
        )
        assert [(h["topic"], h["event"], h["status"], h["outcome"]) for h in hooks] == [
            ("refunds/create", "evt-9", "200", "applied"),
            ("orders/create", "evt-1", "200", "applied"),
            ("orders/create", "evt-1", "200", "duplicate"),
            ("orders/create", "evt-2", "200", "applied"),
            ("orders/create", "evt-3", "200", "applied"),
            ("orders/paid", "evt-4", "200", "applied"),
        ]
        assert demo.says("tampered body → 401 the HMAC signature does not match the body")
        assert demo.says("#1043 → cre_0001 (code_wins: landing")
        assert demo.says("at 0.92 ECB reference rate (demo))")
        assert demo.says(
            "total clicks 4 (3 unique), orders 4 (2 via a link), conversion 67%, "
            "gross 206.80 EUR, net 196.80 EUR"
        )
        total = demo.ws.sales.report(MANAGER, "cmp_0002").total
        assert (total.clicks, total.unique_clicks, total.orders, total.orders_via_link) == (
            4,
            3,
            4,
            2,
        )
        assert (total.gross, total.net) == (
            ic.Money.of("206.80", "EUR"),
            ic.Money.of("196.80", "EUR"),
        )

    def test_costs_and_campaign_report(self, demo: DemoRun) -> None:
        """The bonus is paid at the validated percentage; the budget, ROI, forecast and segments
        of the offer are reported."""
        assert demo.says("bonus of cre_0001: 50.00 EUR x 95 % = 47.50 EUR")
        assert demo.says("total planned 291.70 EUR, committed 291.70 EUR, paid 63.30 EUR")
        budget = demo.ws.costs.budget(MANAGER, "cmp_0002").total
        assert (budget.planned, budget.committed, budget.paid) == (
            ic.Money.of("291.70", "EUR"),
            ic.Money.of("291.70", "EUR"),
            ic.Money.of("63.30", "EUR"),
        )
        assert demo.says("rate card: influcampaign default EUR v1")
        roi = demo.rows(
            r"^(?P<who>cre_\d+|total) (?P<cost>\S+ EUR) (?P<emv>\S+ EUR) (?P<net>\S+ EUR) "
            r"(?P<roi_emv>-?\d+%) (?P<roi_sales>-?\d+%) (?P<roas>[\d.]+) (?P<cpe>\S+ EUR)$"
        )
        assert roi[-1] == {
            "who": "total",
            "cost": "291.70 EUR",
            "emv": "175.63 EUR",
            "net": "196.80 EUR",
            "roi_emv": "-40%",
            "roi_sales": "-33%",
            "roas": "0.6747",
            "cpe": "0.40 EUR",
        }
        assert [r["who"] for r in roi] == ["cre_0001", "cre_0002", "total"]
        assert demo.says("forecast (10,000 draws, seed 2026)")
        verdicts = demo.rows(
            r"^forecast vs actual (?P<key>dlv_\d+) (?P<figure>\w+): .* → (?P<verdict>\w+)$"
        )
        assert [(v["key"], v["figure"], v["verdict"]) for v in verdicts] == [
            ("dlv_0001", "impressions", "within"),
            ("dlv_0001", "emv", "within"),
            ("dlv_0003", "impressions", "below"),
            ("dlv_0003", "emv", "below"),
        ]
        segments = demo.rows(r"^(?P<segment>\w+=[\w ]+?) (?P<n>\d+) (?P<cost>\S+) EUR ")
        assert {s["segment"]: s["n"] for s in segments}["format=reel"] == "2"

    def test_retrospective_reviews_and_history(self, demo: DemoRun) -> None:
        """The ended offer's retrospective, both reviews and what the brand keeps of each creator."""
        assert demo.says("adjust deadlines: allow 3 more days (the median delay)")
        assert demo.says("late: cre_0002 reel, 3 day(s) after due")
        assert demo.says(
            "cre_0001: 5/5/4/5 (overall 4.75), work again: True, tags: product_test, ugc"
        )
        assert demo.says("on time 100%, compliance 95 %, EMV 103.13 EUR, rating 4.75")
        assert demo.says("to reactivate for UGC: Léa Martin (nano)")
        reviews = demo.ws.reviews.list(MANAGER, "cmp_0002")
        assert {r.creator_id: (str(r.ratings.overall), r.work_again) for r in reviews} == {
            "cre_0001": ("4.75", True),
            "cre_0002": ("3.00", True),
        }

    def test_matching_learns_from_a_refusal(self, demo: DemoRun) -> None:
        """The first offer's best creator ranks first for the second; after a quick refusal, a
        similar profile moves down."""
        assert demo.says("8 of 10 creators ranked (filtered out: tiers 1, engagement_rate 1)")
        ranked = demo.rows(r"^#(?P<rank>\d) (?P<creator>cre_\d+) score (?P<score>[\d.]+) ")
        assert ranked[0] == {"rank": "1", "creator": "cre_0001", "score": "82.4"}
        assert len(ranked) == 8 + 7
        assert demo.says("rating: partial (4.75 / 5; target 5 / 5) +2.81")
        assert demo.says("cre_0009 (beauty) from 46.2 to 38.5")
        assert demo.says("refusals: partial (resembles cre_0008, refused (out_of_target)")
        assert demo.says("Outbox: 204 events to deliver, of 61 kinds")

    def test_capture_drafts_and_rights(self, demo: DemoRun) -> None:
        """The feed's creators' posts and story are captured once, the stranger's post is an
        earned mention, the bad line is reported, the draft's lost #ad is flagged, and the
        rights answer at their last day."""
        assert demo.says("dft_0001: approved after 2 reviews")
        assert demo.says(
            "4 posts read: 3 captured, 0 updated, 1 earned (0 updated), 0 unmatched, 1 problem"
        )
        assert demo.says("problem line 5: timestamp: has no UTC offset (a naive time)")
        captured = demo.rows(r"^(?P<creator>cre_\d+) (?P<format>\w+) post (?P<post>\d+) reach")
        assert [(r["creator"], r["format"]) for r in captured] == [
            ("cre_0001", "reel"),
            ("cre_0002", "post"),
            ("cre_0001", "story"),
        ]
        assert demo.says("earned mentions: 1 by instagram:la.voisine.verte (reach 1,100)")
        assert demo.says("dft_0001 published with a difference: hashtag #ad")
        assert demo.says("the same feed again: changed False")
        assert demo.says("may use paid_ads in FR on 30 Jun? True")
        assert demo.says(
            "may use paid_ads in FR on 01 Jul? False: rights rgt_0001 ended on 2026-06-30"
        )
        assert demo.says("reminded 16 Jun: the rights end on 30 Jun")

    def test_a_creator_exports_then_erases_its_data(self, demo: DemoRun) -> None:
        """A creator exports its data, then erases it: the report keeps its totals and the
        creator reads as anonymous (issue 20)."""
        assert demo.says("export: influcampaign.creator-export version 1")
        before = demo.rows(r"^report before: (?P<totals>.*)$")
        after = demo.rows(r"^report after: (?P<totals>.*)$")
        assert before == after
        assert len(before) == 1
        assert demo.says("totals unchanged; the creator now reads as")
        assert demo.says("'Anonymous creator 25f7d1', contact: None")
        assert demo.says("erasing again changes nothing: True")

    def test_a_creator_paid_by_commission(self, demo: DemoRun) -> None:
        """The pay chapter: the budget from priced deliverables, a reversal inside the lock
        period, a paid statement, and a late refund clawed back on the next one."""
        assert demo.says(
            "budget estimated from the deliverables (Inès's rates): 500.00 EUR "
            "(planned costs: 0.00 EUR)"
        )
        assert demo.says("forecast budget 500.00 EUR, ROI by EMV P50 -40%")
        assert demo.says(
            "after the refund: 0.00 EUR reversed (refunded 80.00 EUR: #2002: nothing left of "
            "the order)"
        )
        assert demo.says("PS-000001 to cre_0011, 2026-07-02 to 2026-07-05: 12.00 EUR")
        assert demo.says("paid through the host's gateway: reference memory-payout-1")
        assert demo.says("PS-000002 to cre_0011, 2026-07-06 to 2026-07-23: 1.20 EUR")
        assert demo.says("PS-000001 unchanged by the late refund: True")
        assert demo.says(
            "budget: fees 500.00 EUR planned, commission 13.20 EUR committed, 13.20 EUR paid"
        )

    def test_a_contest_drawn_again_by_hand_and_an_event_with_its_waitlist(
        self, demo: DemoRun
    ) -> None:
        """The contest rejects a duplicate entrant with its reason and its draw, re-run by
        hand from the revealed seed, gives the same winner; the event promotes its waitlisted
        guest, checks guests in and counts their coverage (issue 23)."""
        assert demo.says("rejected jardin.de.lou: duplicate (instagram:jardin.de.lou already")
        assert demo.says("drawn with the revealed seed: winner ['basilic_max'], reserve")
        assert demo.says("re-drawn by hand from the seed and the published list: same winner")
        assert demo.says("Léa Martin declines: Amélie Dubois is accepted from the waitlist")
        assert demo.says("checked in: 2 of 2 accepted")
        assert demo.says("coverage Amélie Dubois: 2 of 2 stories")


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


_SAID_PRINT = re.compile(r"^(?P<indent>\s*)print\((?P<args>.*)\)  # (?P<said>.+)$", flags=re.M)
_SAID_PRINT_WRAPPED = re.compile(
    r"^(?P<indent>[ \t]*)print\(\n(?P<args>(?:(?P=indent)[ \t]+.*\n)+?)(?P=indent)\)  # (?P<said>.+)$",
    flags=re.M,
)
"""The same, as ``ruff format`` wraps a print whose comment makes the line too long."""


def _check_said_prints(block: str) -> str:
    """``print(x)  # what it prints`` becomes a check that it prints exactly that (also when
    the formatter wrapped the call over several lines)."""
    block = _SAID_PRINT_WRAPPED.sub(
        lambda m: f"{m['indent']}_printed_as_said_({m['said']!r},\n{m['args']}{m['indent']})",
        block,
    )
    return _SAID_PRINT.sub(
        lambda m: f"{m['indent']}_printed_as_said_({m['said']!r}, {m['args']})", block
    )


def _printed_as_said(said: str, *args: object) -> None:
    printed = " ".join(str(a) for a in args)
    assert printed == said, f"prints {printed!r} where its comment says {said!r}"
    print(printed)


class TestImport:
    """Importing the package stays light."""

    def test_import_loads_no_heavy_or_optional_module(self) -> None:
        """`import influcampaign` imports neither SQLAlchemy nor numpy nor any extra (fresh interpreter)."""
        code = "import sys, influcampaign; print(' '.join(sorted(sys.modules)))"
        loaded = set(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        assert sorted(m for m in HEAVY if m in loaded) == []


class TestCli:
    """The command line: ``python -m influcampaign``."""

    def test_demo_runs_as_a_module(self, tmp_path: Path) -> None:
        """The module entry point works from a shell: it writes the SQLite file and the calendar."""
        result = subprocess.run(
            [sys.executable, "-m", "influcampaign", "demo", "--db", str(tmp_path / "d.sqlite")],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "Printemps au jardin" in result.stdout
        assert (tmp_path / "d.sqlite").exists()
        assert (tmp_path / "d.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")

    def test_cli_reports_storage_errors_without_a_traceback(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A corrupt database file gives a one-line error and exit status 1."""
        bad = tmp_path / "bad.sqlite"
        bad.write_bytes(b"garbage" * 1000)
        assert main(["migrate", f"sqlite:///{bad}"]) == 1
        assert "corrupt" in capsys.readouterr().err

    def test_cli_migrate(self, tmp_path: Path) -> None:
        """`influcampaign migrate URL` creates the schema and prints its version."""
        out = io.StringIO()
        assert main(["migrate", f"sqlite:///{tmp_path / 'm.sqlite'}"], out) == 0
        assert out.getvalue().startswith("schema version ")


class TestDocs:
    """The docs and examples run as written, and say what they print."""

    @pytest.mark.parametrize(
        "path", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
    )
    def test_markdown_code_runs(
        self,
        path: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
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

    def test_a_print_comment_is_checked(self) -> None:
        """In README and docs, ``print(...)  # text`` must print that text (the README once said
        ``micro running`` where it printed ``micro draft``)."""
        namespace: dict[str, object] = {"_printed_as_said_": _printed_as_said}
        exec(_check_said_prints('print("micro", "running")  # micro running'), namespace)
        with pytest.raises(AssertionError, match="micro draft"):
            exec(_check_said_prints('print("micro", "draft")  # micro running'), namespace)
        wrapped = 'print(\n    "micro",\n    "draft",\n)  # micro running'
        with pytest.raises(AssertionError, match="micro draft"):
            exec(_check_said_prints(wrapped), namespace)

    @pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
    def test_examples_run(
        self, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Every script in examples/ runs to completion."""
        monkeypatch.chdir(tmp_path)
        runpy.run_path(str(path), run_name="__main__")
