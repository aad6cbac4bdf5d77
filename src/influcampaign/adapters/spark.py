"""Audience overlap beyond one machine: the membership histogram as a Spark job (the
``spark`` extra).

Audiences that do not fit one machine live in a table of ``(creator, follower)`` rows (a
warehouse export, a Parquet folder, a Delta table). The histogram is additive over disjoint
partitions of followers, so Spark computes it where the rows are — group by follower, OR the
creators' bits into membership words; group by words, count — and only the histogram (one
row per distinct set of creators, a few thousand rows) comes back to the SDK, which derives
every figure from it exactly (:func:`influcampaign.analytics.overlap.histogram_report`).

Audiences whose ids are not shared with the table (another platform's, a partner's) can
only be compared through theta sketches: :func:`spark_sketches` builds the table's creators'
sketches in the same job style (one per partition, merged by union), in Apache DataSketches'
binary format, and :func:`spark_overlap` merges them with the others in the sketch engine.

>>> # spark = SparkSession.builder.master("local[2]").getOrCreate()
>>> # table = spark.read.parquet("follows/")        # columns creator_id, follower_id
>>> # report = spark_overlap(table)                 # exact, from the histogram
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from influcampaign.analytics.audiences import DEFAULT_SEED, ThetaAudience
from influcampaign.analytics.membership import merge_histograms
from influcampaign.analytics.overlap import (
    Excluded,
    MembershipHistogram,
    OverlapReport,
    histogram_report,
    overlap_report,
)
from influcampaign.errors import ValidationError

__all__ = ["spark_histogram", "spark_overlap", "spark_sketches"]


def _functions() -> Any:
    try:
        from pyspark.sql import functions
    except ImportError as e:  # pragma: no cover - the extra is installed in tests
        raise ImportError(
            "Spark jobs need the 'spark' extra: pip install influcampaign[spark]"
        ) from e
    return functions


def _columns(frame: Any, creator: str, follower: str) -> None:
    names = set(getattr(frame, "columns", ()))
    for field, name in (("creator", creator), ("follower", follower)):
        if name not in names:
            raise ValidationError(field, name, f"is not a column of the table ({sorted(names)})")


def _creators(frame: Any, creator: str, creators: Sequence[str] | None) -> list[str]:
    if creators is not None:
        wanted = [str(c) for c in creators]
        if len(set(wanted)) != len(wanted):
            raise ValidationError("creators", wanted, "a creator appears twice")
        return wanted
    rows = frame.select(creator).distinct().collect()
    return sorted(str(row[0]) for row in rows if row[0] is not None)


def spark_histogram(
    frame: Any,
    *,
    creator: str = "creator_id",
    follower: str = "follower_id",
    creators: Sequence[str] | None = None,
) -> MembershipHistogram:
    """The membership histogram of a Spark DataFrame of ``(creator, follower)`` rows,
    computed by Spark; ``creators`` picks and orders the creators (default: all, sorted).
    A follower id must be an integer from 0 to 2**63 - 1 (a null, a negative id or text
    is refused). Duplicated rows count once."""
    f = _functions()
    _columns(frame, creator, follower)
    names = _creators(frame, creator, creators)
    words = max(1, math.ceil(len(names) / 64))
    spark = frame.sparkSession
    index = spark.createDataFrame([(c, i) for i, c in enumerate(names)], "c string, i int")
    rows = frame.select(
        f.col(creator).cast("string").alias("c"),
        f.col(follower).alias("raw"),
        f.col(follower).cast("long").alias("f"),
    ).join(f.broadcast(index), "c")
    bad = (f.col("f").isNull() | (f.col("f") < 0)).cast("int")
    masks = rows.groupBy("f").agg(
        f.max(bad).alias("bad"),
        *(
            f.bit_or(
                f.expr(
                    f"case when i div 64 = {w} then shiftleft(cast(1 as bigint), i % 64) "
                    "else cast(0 as bigint) end"
                )
            ).alias(f"w{w}")
            for w in range(words)
        ),
    )
    counted = (
        masks.groupBy(*(f"w{w}" for w in range(words)))
        .agg(f.count(f.lit(1)).alias("n"), f.max("bad").alias("bad"))
        .collect()
    )
    if any(row["bad"] for row in counted):
        example = rows.filter(f.col("f").isNull() | (f.col("f") < 0)).select("raw").first()
        raise ValidationError(
            follower, None if example is None else example[0], "ids must be integers from 0"
        )
    patterns = np.array(
        [[row[f"w{w}"] for w in range(words)] for row in counted], dtype=np.int64
    ).reshape(-1, words)
    counts = np.array([row["n"] for row in counted], dtype=np.int64)
    merged = merge_histograms(names, [(patterns.view(np.uint64), counts)])
    return MembershipHistogram(tuple(names), *merged)


def spark_sketches(
    frame: Any,
    *,
    creator: str = "creator_id",
    follower: str = "follower_id",
    lg_k: int = 12,
    seed: int = DEFAULT_SEED,
) -> dict[str, ThetaAudience]:
    """A theta sketch of each creator's followers, built by Spark: one sketch per creator
    and partition, merged by union (the sketches are mergeable: the result is the sketch of
    the whole audience), in DataSketches' binary format with ``seed``."""
    _functions()
    _columns(frame, creator, follower)
    if isinstance(lg_k, bool) or not isinstance(lg_k, int) or not 5 <= lg_k <= 26:
        raise ValidationError("lg_k", lg_k, "must be an integer from 5 to 26")

    def build(rows: Iterator[Any]) -> Iterator[tuple[str, bytes]]:
        import datasketches as ds

        sketches: dict[str, Any] = {}
        for who, follower_id in rows:
            if who is None:
                continue
            if follower_id is None or int(follower_id) < 0:
                raise ValueError(f"follower id {follower_id!r} must be an integer from 0")
            key = str(who)
            if key not in sketches:
                sketches[key] = ds.update_theta_sketch(lg_k, 1.0, seed)
            sketches[key].update(int(follower_id))
        for key, sketch in sketches.items():
            yield key, bytes(sketch.compact().serialize())

    def union(a: bytes, b: bytes) -> bytes:
        import datasketches as ds

        merged = ds.theta_union(lg_k, 1.0, seed)
        merged.update(ds.compact_theta_sketch.deserialize(a, seed))
        merged.update(ds.compact_theta_sketch.deserialize(b, seed))
        return bytes(merged.get_result().serialize())

    pairs = frame.select(creator, follower).rdd.mapPartitions(build).reduceByKey(union)
    return {
        key: ThetaAudience.from_bytes(data, seed=seed, field=f"sketch[{key}]")
        for key, data in sorted(pairs.collect())
    }


def spark_overlap(
    frame: Any,
    *,
    creator: str = "creator_id",
    follower: str = "follower_id",
    creators: Sequence[str] | None = None,
    sketches: Mapping[str, ThetaAudience] | None = None,
    excluded: Sequence[Excluded] = (),
    std_devs: int = 2,
    lg_k: int = 12,
) -> OverlapReport:
    """The overlap report of the creators of a ``(creator, follower)`` Spark table: exact,
    from :func:`spark_histogram`; or, with ``sketches`` of audiences whose ids are not in the
    table, estimated by the sketch engine over the table's sketches and those."""
    if not sketches:
        return histogram_report(
            spark_histogram(frame, creator=creator, follower=follower, creators=creators),
            excluded,
        )
    seeds = {s.seed for s in sketches.values()}
    seed = seeds.pop() if len(seeds) == 1 else DEFAULT_SEED
    built = spark_sketches(frame, creator=creator, follower=follower, lg_k=lg_k, seed=seed)
    if creators is not None:
        built = {c: built[c] for c in creators if c in built}
    both = sorted(set(built) & set(sketches))
    if both:
        raise ValidationError("sketches", both, "creators already in the table")
    return overlap_report(
        {**built, **sketches}, engine="sketch", excluded=excluded, std_devs=std_devs, lg_k=lg_k
    )
