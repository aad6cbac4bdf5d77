"""Audience data: a creator's followers as exact ids or as a theta sketch, checked on entry.

Follower ids are non-negative 64-bit integers, given as any iterable, a numpy array, or a
file (``.npy``, or text with one id per line). A theta sketch comes from ids or from the bytes
that Apache DataSketches writes (Spark, Druid, Java, C++ or Python), with the same seed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from influcampaign.domain.creator import Platform
from influcampaign.errors import ValidationError

__all__ = [
    "DEFAULT_SEED",
    "AudienceData",
    "AudienceDirectory",
    "AudienceSource",
    "ExactAudience",
    "ThetaAudience",
]

DEFAULT_SEED = 9001
"""DataSketches' default hash seed; sketches built with another seed cannot be combined."""

Ids = npt.NDArray[np.int64]


def _check_ids(field: str, values: Any) -> Ids:
    if isinstance(values, str | bytes | os.PathLike):
        path = Path(os.fsdecode(values)) if not isinstance(values, Path) else values
        return _load(field, path)
    if isinstance(values, np.ndarray):
        array = values
    else:
        try:
            items = list(values)
        except TypeError as e:
            raise ValidationError(field, _short(values), "must be a list of integer ids") from e
        flag = next((v for v in items if isinstance(v, bool | np.bool_)), None)
        if flag is not None:
            raise ValidationError(field, flag, "is not an integer id (a boolean)")
        try:
            array = np.asarray(items)
        except (OverflowError, ValueError):
            array = np.asarray(items, dtype=object)
    if array.ndim != 1:
        raise ValidationError(field, f"array of shape {array.shape}", "must be one-dimensional")
    if array.size == 0:
        return np.empty(0, dtype=np.int64)
    kind = array.dtype.kind
    if kind == "b":
        raise ValidationError(field, array.dtype.name, "ids must be integers, not booleans")
    if kind == "O":
        if not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in array):
            bad = next(
                v for v in array if not isinstance(v, int | np.integer) or isinstance(v, bool)
            )
            raise ValidationError(field, bad, "is not an integer id")
        if any(v < 0 or v >= 2**63 for v in array):
            bad = next(v for v in array if v < 0 or v >= 2**63)
            raise ValidationError(field, bad, "ids must be integers from 0 to 2**63 - 1")
        return array.astype(np.int64)
    if kind == "f":
        if np.isnan(array).any():
            raise ValidationError(field, "NaN", "is not an id")
        raise ValidationError(field, array.dtype.name, "ids must be integers, not floats")
    if kind == "u":
        if int(array.max()) >= 2**63:
            raise ValidationError(field, int(array.max()), "ids must be below 2**63")
        return array.astype(np.int64)
    if kind != "i":
        raise ValidationError(field, array.dtype.name, "ids must be integers")
    low = int(array.min())
    if low < 0:
        raise ValidationError(field, low, "ids must not be negative")
    return array.astype(np.int64, copy=False)


def _load(field: str, path: Path) -> Ids:
    try:
        if path.suffix == ".npy":
            data = np.load(path, allow_pickle=False)
        else:
            data = np.loadtxt(path, dtype=np.int64, ndmin=1)
    except (OSError, ValueError) as e:
        raise ValidationError(field, str(path), f"cannot be read as ids: {e}") from e
    return _check_ids(field, data)


def _short(value: Any) -> Any:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _ids(values: Any) -> Ids:
    return _check_ids("ids", values)


@attrs.frozen(eq=False)
class ExactAudience:
    """A creator's followers as exact ids (duplicates are allowed and counted once)."""

    ids: Ids = attrs.field(converter=_ids)

    @classmethod
    def of(cls, values: Any, *, field: str = "audience") -> ExactAudience:
        """Followers from an iterable of ints, a numpy array or a file path; checked."""
        return cls(_check_ids(field, values))

    @property
    def size(self) -> int:
        """How many ids were given (before removing duplicates)."""
        return int(self.ids.size)


def _datasketches() -> Any:
    try:
        import datasketches
    except ImportError as e:  # pragma: no cover - the extra is installed in tests
        raise ImportError(
            "theta sketches need the 'sketches' extra: pip install influcampaign[sketches]"
        ) from e
    return datasketches


@attrs.frozen(eq=False)
class ThetaAudience:
    """A creator's followers as an Apache DataSketches compact theta sketch."""

    sketch: Any
    seed: int = DEFAULT_SEED

    @classmethod
    def from_bytes(
        cls, data: bytes, *, seed: int = DEFAULT_SEED, field: str = "sketch"
    ) -> ThetaAudience:
        """A sketch serialised by any DataSketches library; a corrupt sketch or one built
        with another seed is refused."""
        ds = _datasketches()
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ValidationError(field, _short(data), "must be the bytes of a theta sketch")
        try:
            sketch = ds.compact_theta_sketch.deserialize(bytes(data), seed)
        except (ValueError, IndexError, RuntimeError) as e:
            reason = (
                f"was built with another seed than {seed}"
                if "seed" in str(e)
                else "is not a valid theta sketch"
            )
            raise ValidationError(field, f"{len(data)} bytes", f"{reason} ({e})") from e
        return cls(sketch, seed)

    @classmethod
    def from_ids(
        cls, values: Any, *, lg_k: int = 12, seed: int = DEFAULT_SEED, field: str = "audience"
    ) -> ThetaAudience:
        """A sketch of ``values`` (checked like exact ids) with 2**lg_k nominal entries."""
        ds = _datasketches()
        if isinstance(lg_k, bool) or not isinstance(lg_k, int) or not 5 <= lg_k <= 26:
            raise ValidationError("lg_k", lg_k, "must be an integer from 5 to 26")
        ids = _check_ids(field, values)
        sketch = ds.update_theta_sketch(lg_k, 1.0, seed)
        update = sketch.update
        for value in ids.tolist():
            update(value)
        return cls(sketch.compact(), seed)

    def to_bytes(self) -> bytes:
        """The sketch in DataSketches' binary format."""
        return bytes(self.sketch.serialize())

    @property
    def estimate(self) -> float:
        """The estimated number of distinct followers."""
        return float(self.sketch.get_estimate())


AudienceData = ExactAudience | ThetaAudience


class AudienceSource(Protocol):
    """Where a host keeps audience data: the SDK asks for one creator and platform at a time,
    and never asks for a creator who opted out."""

    def audience(self, creator_id: str, platform: Platform) -> AudienceData | None:
        """The audience, or None when there is none."""
        ...


class AudienceDirectory:
    """An :class:`AudienceSource` held in memory: ``{(creator_id, platform): data}``; raw ids
    are checked and wrapped on the way in.

    >>> directory = AudienceDirectory({("cre_1", "instagram"): [1, 2, 3]})
    >>> directory.audience("cre_1", Platform.INSTAGRAM).size
    3
    """

    def __init__(self, data: Mapping[tuple[str, Platform | str], Any] | None = None) -> None:
        self._data: dict[tuple[str, Platform], AudienceData] = {}
        self.reads: list[tuple[str, Platform]] = []  # who was read, for audits and tests
        for (creator_id, platform), value in (data or {}).items():
            self.add(creator_id, platform, value)

    def add(self, creator_id: str, platform: Platform | str, value: Any) -> None:
        """Keep a creator's audience on a platform (ids, a sketch, or audience data)."""
        key = (creator_id, Platform(platform))
        if not isinstance(value, ExactAudience | ThetaAudience):
            value = ExactAudience.of(value, field=f"audience[{creator_id}]")
        self._data[key] = value

    def audience(self, creator_id: str, platform: Platform) -> AudienceData | None:
        """The audience, or None."""
        self.reads.append((creator_id, platform))
        return self._data.get((creator_id, platform))
