"""The SQL schema, as an ordered list of migrations.

The current :class:`sqlalchemy.MetaData` is built by replaying the migrations, so the
schema is written once: a database at version *n* is upgraded by applying steps *n+1* …,
and the tables the code queries are exactly those the steps created.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = ["LATEST_VERSION", "MIGRATIONS", "AddColumn", "CreateTable", "metadata"]

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
"""Documents: JSON text in SQLite, JSONB in PostgreSQL."""

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""An auto-incrementing key (SQLite only auto-increments INTEGER PRIMARY KEY)."""


@attrs.frozen
class CreateTable:
    """Create a table with its columns and indexes (``(name, columns, unique)``)."""

    name: str
    columns: Callable[[], Sequence[sa.Column[object]]]
    indexes: tuple[tuple[str, tuple[str, ...], bool], ...] = ()

    def replay(self, metadata: sa.MetaData) -> sa.Table:
        table = sa.Table(self.name, metadata, *self.columns())
        for name, columns, unique in self.indexes:
            sa.Index(name, *(table.c[c] for c in columns), unique=unique)
        return table

    def apply(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        self.replay(metadata).create(connection)


@attrs.frozen
class AddColumn:
    """Add a nullable column (or one with a server default) to an existing table."""

    table: str
    column: Callable[[], sa.Column[object]]

    def replay(self, metadata: sa.MetaData) -> None:
        metadata.tables[self.table].append_column(self.column())

    def apply(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        column = self.column()
        metadata.tables[self.table].append_column(column)
        ddl = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
        table = connection.dialect.identifier_preparer.quote(self.table)
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {ddl}")


Step = CreateTable | AddColumn


def _aggregate(
    name: str, *extra: Callable[[], sa.Column[object]]
) -> Callable[[], list[sa.Column[object]]]:
    """The columns every aggregate table has (id, version, doc) plus its indexed ones."""

    def columns() -> list[sa.Column[object]]:
        return [
            sa.Column("id", sa.String(128), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("doc", JSON, nullable=False),
            *(make() for make in extra),
        ]

    return columns


def _text(
    name: str, *, nullable: bool = True, length: int = 128
) -> Callable[[], sa.Column[object]]:
    return lambda: sa.Column(name, sa.String(length), nullable=nullable)


MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    # version 1: creators, groups, campaigns, the outbox
    (
        CreateTable(
            "ic_meta",
            lambda: [
                sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", sa.String(256), nullable=False),
            ],
        ),
        CreateTable(
            "ic_creators",
            _aggregate(
                "ic_creators", _text("country", length=2), _text("audience_data", nullable=False)
            ),
            (("ix_ic_creators_country", ("country",), False),),
        ),
        CreateTable(
            "ic_groups",
            _aggregate("ic_groups", _text("brand_id", nullable=False)),
            (("ix_ic_groups_brand", ("brand_id",), False),),
        ),
        CreateTable(
            "ic_campaigns",
            _aggregate(
                "ic_campaigns",
                _text("brand_id", nullable=False),
                _text("status", nullable=False),
                _text("mode", nullable=False),
            ),
            (
                ("ix_ic_campaigns_brand", ("brand_id",), False),
                ("ix_ic_campaigns_status", ("status",), False),
            ),
        ),
        CreateTable(
            "ic_outbox",
            lambda: [
                sa.Column("position", BIGINT_PK, primary_key=True, autoincrement=True),
                sa.Column("id", sa.String(128), nullable=False, unique=True),
                sa.Column("type", sa.String(128), nullable=False),
                sa.Column("occurred_at_us", sa.BigInteger, nullable=False),
                sa.Column("payload", JSON, nullable=False),
                sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()),
            ],
            (("ix_ic_outbox_pending", ("delivered", "position"), False),),
        ),
    ),
)

LATEST_VERSION = len(MIGRATIONS)


@functools.cache
def metadata(version: int = LATEST_VERSION) -> sa.MetaData:
    """The schema at ``version``, built by replaying the migrations."""
    meta = sa.MetaData()
    for steps in MIGRATIONS[:version]:
        for step in steps:
            step.replay(meta)
    return meta
