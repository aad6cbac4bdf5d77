"""The overlap job on Spark (local[2]): the same histogram and figures as one machine."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import influcampaign as ic
from influcampaign.adapters.spark import spark_histogram, spark_overlap, spark_sketches
from influcampaign.analytics.audiences import ThetaAudience
from influcampaign.analytics.overlap import membership_histogram
from influcampaign.errors import ValidationError


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session (2 cores) for the whole test session."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("influcampaign-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        # tiny tables: interpreting beats compiling (whole-stage code generation, C2 JIT)
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


AUDIENCES = {
    "lea": [1, 2, 3, 4, 5, 6],
    "hugo": [4, 5, 6, 7, 7],
    "sam": [6, 8, 9],
}


def _table(spark: Any, audiences: dict[str, list[int]]) -> Any:
    rows = [(c, f) for c, ids in audiences.items() for f in ids]
    return spark.createDataFrame(rows, "creator_id string, follower_id long").repartition(2)


class TestSparkHistogram:
    def test_the_same_report_as_one_machine(self, spark: Any) -> None:
        """Spark's histogram gives every figure of the exact report on one machine."""
        report = spark_overlap(_table(spark, AUDIENCES), creators=list(AUDIENCES))
        local = ic.overlap_report(AUDIENCES)
        assert report.engine == "exact"
        assert report.distinct_reach.value == local.distinct_reach.value == 9
        assert report.pair("lea", "hugo").shared.value == 3
        assert [c.exclusive.value for c in report.creators] == [
            c.exclusive.value for c in local.creators
        ]

    def test_many_creators_and_partitions(self, spark: Any) -> None:
        """With more than 64 creators (two words) over several partitions, Spark's histogram
        equals the one counted on this machine."""
        rng = np.random.default_rng(4)
        audiences = {
            f"c{i:02}": rng.integers(0, 3_000, size=int(rng.integers(1, 200))).tolist()
            for i in range(70)
        }
        names = sorted(audiences)
        histogram = spark_histogram(_table(spark, audiences))
        local = membership_histogram(names, [np.array(audiences[c]) for c in names])
        assert histogram.creators == tuple(names)
        assert np.array_equal(histogram.shared(), local.shared())
        assert np.array_equal(histogram.exclusive(), local.exclusive())
        assert histogram.reach() == local.reach()

    def test_bad_follower_ids_are_refused(self, spark: Any) -> None:
        """A negative or null follower id is refused, naming the column and the value."""
        table = spark.createDataFrame(
            [("a", 1), ("a", -4), ("b", None)], "creator_id string, follower_id long"
        )
        with pytest.raises(ValidationError, match="follower_id"):
            spark_histogram(table)

    def test_unknown_columns_are_refused(self, spark: Any) -> None:
        """A column that is not in the table is refused before any job runs."""
        with pytest.raises(ValidationError, match="follower"):
            spark_histogram(_table(spark, AUDIENCES), follower="user")


class TestSparkSketches:
    def test_sketches_merged_with_audiences_not_in_the_table(self, spark: Any) -> None:
        """Sketches built by Spark (merged across partitions) combine with another sketch in
        the sketch engine; below the sketch size every figure is exact."""
        sketches = spark_sketches(_table(spark, AUDIENCES))
        assert {c: s.estimate for c, s in sketches.items()} == {"hugo": 4, "lea": 6, "sam": 3}
        partner = ThetaAudience.from_ids([9, 10, 11])
        report = spark_overlap(_table(spark, AUDIENCES), sketches={"partner": partner})
        assert report.engine == "theta sketch"
        assert report.distinct_reach.value == 11
        assert report.pair("sam", "partner").shared.value == 1

    def test_a_creator_in_both_is_refused(self, spark: Any) -> None:
        """A sketch given for a creator who is also in the table is refused."""
        with pytest.raises(ValidationError, match="already in the table"):
            spark_overlap(_table(spark, AUDIENCES), sketches={"sam": ThetaAudience.from_ids([1])})
