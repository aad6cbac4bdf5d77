"""The package's public face for hosts: its version and the events namespace."""

from __future__ import annotations

import tomllib
from pathlib import Path

import influcampaign as ic
from influcampaign.domain.event import event_types

ROOT = Path(__file__).resolve().parent.parent


class TestVersion:
    """``ic.__version__``."""

    def test_version_is_the_project_version(self) -> None:
        """It says what pyproject.toml says (and what pip installed)."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert ic.__version__ == project["project"]["version"]
        from importlib.metadata import version

        assert version("influcampaign") == ic.__version__


class TestEventsNamespace:
    """``ic.events`` holds every event class."""

    def test_every_registered_event_is_in_the_namespace(self) -> None:
        """Each event a domain module registers is ``ic.events.<Name>``, listed in its __all__."""
        for name, cls in event_types().items():
            assert getattr(ic.events, name) is cls
            assert name in ic.events.__all__
        assert ic.events.DomainEvent is ic.DomainEvent
