"""Rank creators for an offer, with an explained score. Deterministic, vectorised with numpy.

The rule, for one creator (:func:`score_creator` is this rule written plainly, one creator
at a time; :func:`rank` computes the same figures for a whole :class:`CreatorPool`):

1. **Main account.** The creator's largest account on a targeted platform (any platform
   when none is targeted; the first in :class:`~influcampaign.Platform` order on a tie).
   Its followers, tier (under the campaign's tier thresholds) and engagement rate are the
   creator's for this offer.
2. **Hard filters**, in this order; the first one failed is the reason given:
   ``excluded`` (the targeting's list), ``in_campaign`` (already applied or on the list),
   ``work_again`` (the latest review said no, when the policy excludes them),
   ``platforms``, ``tiers``, ``followers``, ``engagement_rate``, ``countries``,
   ``languages``, ``audience_country_share``, ``audience_language_share`` (with a minimum
   share). A filter only excludes
   on known data: an unknown country or engagement rate passes it.
3. **Fit**, each from 0 to 1, times its weight (:class:`~influcampaign.MatchWeights`):

   - ``themes``: targeted themes the creator covers / targeted themes;
   - ``engagement``: engagement rate / (2 x the minimum asked), at most 1;
   - ``audience_countries`` / ``audience_languages``: the share of the audience there;
   - ``collaboration``: 1 if the creator already joined one of the brand's campaigns of
     this kind (paid or gifted) or was tagged for it (paid partnership, product test),
     0 if it has a history with the brand but neither;
   - ``rating``: (mean overall rating - 1) / 4; ``on_time``: the on-time rate;
     ``compliance``: the mean "% of brief respected" / 100, from the brand's history.

   Fit criteria only count when targeted (themes, engagement, audience); collaboration
   and the history criteria always count. Data not known (no history, audience not
   shared) gets the policy's ``unknown_fit`` (0.5 by default).
4. **Learning from refusals.** Each creator the brand refused on this offer for a reason
   about the profile (out of target: 1, audience: 0.75, content quality: 0.5; full,
   budget and other: 0) is a signal, halved (``slow_refusal_factor``) when the refusal
   took longer than ``quick_refusal_hours``. Similarity of two creators = the Jaccard
   index of their themes, halved when their tiers differ: a refusal teaches about the
   kind of content and the size of creator, not about what the hard filters already fix
   (platform, country, language), which every candidate shares. The penalty is the
   largest similarity x strength over the signals, and costs ``weights.refusals`` x
   penalty points.
5. **Score** = (sum of points - refusal points) / (sum of the weights of the criteria that
   count) x 100. Ranked by score, then creator id. The arithmetic is the same IEEE
   operations in the same order in both forms, so both give identical floats.

The package: ``pool`` (:class:`CreatorPool`, a directory as arrays), ``profile`` (step 1, a
creator's figures for an offer, for one creator and for the pool), ``rule`` (steps 2 and
3: each criterion one small class with its plain and vectorised forms, in the tables both
paths iterate), ``learning`` (step 4), ``ranking`` (:func:`rank`, :func:`score_creator`)
and ``explanation`` (:class:`Match`, :class:`Criterion`, :class:`Ranking`).
"""

from influcampaign.analytics.matching.explanation import Criterion, Match, Outcome, Ranking
from influcampaign.analytics.matching.learning import REFUSAL_STRENGTH, RefusalSignal
from influcampaign.analytics.matching.pool import CreatorPool
from influcampaign.analytics.matching.profile import PastPerformance
from influcampaign.analytics.matching.ranking import rank, score_creator
from influcampaign.analytics.matching.rule import CriterionKind

__all__ = [
    "REFUSAL_STRENGTH",
    "CreatorPool",
    "Criterion",
    "CriterionKind",
    "Match",
    "Outcome",
    "PastPerformance",
    "Ranking",
    "RefusalSignal",
    "rank",
    "score_creator",
]
