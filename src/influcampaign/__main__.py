"""``python -m influcampaign``."""

from influcampaign.cli import main

raise SystemExit(main())
