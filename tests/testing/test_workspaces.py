"""Host test tooling: the workspace factory (testing/workspaces.py) and the configurable
fixtures of the pytest plugin (testing/plugin.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.testing.workspaces import WorkspaceFactory

ME = ic.BrandMember("u1", brand_id="acme", role="manager")


class TestWorkspaceFactory:
    """Each call of the factory is a fresh, configured workspace."""

    @given(names=st.lists(st.sampled_from(["Alice", "Bob", "Chloé"]), min_size=1, max_size=4))
    @settings(max_examples=20)
    def test_usable_inside_given(
        self, ic_workspace_factory: WorkspaceFactory, names: list[str]
    ) -> None:
        """The session-scoped factory passes Hypothesis' health checks; every example starts
        from an empty store, with ids from cre_0001."""
        ws = ic_workspace_factory()
        made = [ws.creators.register(ME, name).id for name in names]
        assert made == [f"cre_{n:04d}" for n in range(1, len(names) + 1)]

    def test_keys_rates_and_clock_by_default(self, ic_workspace_factory: WorkspaceFactory) -> None:
        """Workspaces have test signing keys, a USD→EUR rate and a clock of their own."""
        one, two = ic_workspace_factory(), ic_workspace_factory()
        assert one.keys is not None
        assert one.rates is not None
        assert one.rates.rate("USD", "EUR", pendulum.date(2026, 1, 5)) is not None
        assert isinstance(one.clock, ic.FrozenClock)
        one.clock.advance(days=3)
        assert two.clock.now() == pendulum.datetime(2026, 1, 5, 9)

    def test_sqlite_backend_and_overrides(self, tmp_path: Path) -> None:
        """``backend="sqlite"`` gives a migrated file per workspace; options override per call."""
        factory = WorkspaceFactory(backend="sqlite", timezone="Europe/Paris", directory=tmp_path)
        ws = factory(keys=None)
        assert isinstance(ws.store, ic.SqlStore)
        assert ws.keys is None
        assert ws.clock.now() == pendulum.datetime(2026, 1, 5, 8)  # 09:00 in Paris
        assert ws.creators.register(ME, "Alice").id == "cre_0001"
        assert factory().store is not ws.store
        factory.close()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["ws-1.sqlite", "ws-2.sqlite"]

    def test_an_unknown_backend_is_refused(self) -> None:
        """A backend that is neither memory, sqlite nor a URL names the field."""
        with pytest.raises(ic.ValidationError, match="backend"):
            WorkspaceFactory(backend="mongo")()


def test_a_host_conftest_configures_the_fixtures(tmp_path: Path) -> None:
    """Overriding ic_backend, ic_timezone, ic_keys and ic_rates in a conftest changes
    ic_workspace, ic_clock and the factory (a fresh pytest run, as a host's suite)."""
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            import pytest

            @pytest.fixture(scope="session")
            def ic_backend():
                return "sqlite"

            @pytest.fixture(scope="session")
            def ic_timezone():
                return "Europe/Paris"

            @pytest.fixture(scope="session")
            def ic_keys():
                return None

            @pytest.fixture(scope="session")
            def ic_rates():
                return {("CHF", "EUR"): "1.05"}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "test_host.py").write_text(
        textwrap.dedent(
            """
            import pendulum
            import influcampaign as ic

            def test_configured(ic_workspace, ic_clock, ic_workspace_factory):
                assert isinstance(ic_workspace.store, ic.SqlStore)
                assert ic_workspace.keys is None
                assert ic_workspace.rates.rate("CHF", "EUR", pendulum.date(2026, 1, 5)) is not None
                assert ic_clock.now() == pendulum.datetime(2026, 1, 5, 9, tz="Europe/Paris")
                assert isinstance(ic_workspace_factory().store, ic.SqlStore)
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
