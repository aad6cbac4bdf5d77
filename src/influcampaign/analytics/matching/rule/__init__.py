"""The rule's criteria (steps 2 and 3 of the rule in the ``matching`` docstring): each one
small class holding its plain form, its vectorised form and the words that explain it, listed in
the tables :data:`FILTERS` (``filters``) and :data:`FITS` (``fits``) that
:func:`~influcampaign.score_creator` and :func:`~influcampaign.rank` both iterate. Learning
from refusals (step 4) is in ``learning``."""

from influcampaign.analytics.matching.rule.base import CriterionKind, Filter, Fit, names, pct
from influcampaign.analytics.matching.rule.filters import FILTER_NAMES, FILTERS
from influcampaign.analytics.matching.rule.fits import FITS

__all__ = ["FILTERS", "FILTER_NAMES", "FITS", "CriterionKind", "Filter", "Fit", "names", "pct"]
