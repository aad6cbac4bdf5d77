"""The steps SQL migrations are made of (create a table, add a column or an index, run a
statement, set a collation), and the column shapes every aggregate table shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = [
    "BIGINT_PK",
    "JSON",
    "AddColumn",
    "BinaryCollation",
    "CreateIndex",
    "CreateTable",
    "Execute",
    "Step",
]

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
"""Documents: JSON text in SQLite, JSONB in PostgreSQL."""


def text_type(length: int) -> sa.types.TypeEngine[str]:
    """A string column that sorts and compares by code point on every server: SQLite's
    default (BINARY) does; PostgreSQL gets the ``C`` collation, whatever the database's."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


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


@attrs.frozen
class CreateIndex:
    """Create an index on existing columns (``unique`` ones refuse a second equal non-NULL key)."""

    name: str
    table: str
    columns: tuple[str, ...]
    unique: bool = False

    def _index(self, metadata: sa.MetaData) -> sa.Index:
        table = metadata.tables[self.table]
        return sa.Index(self.name, *(table.c[c] for c in self.columns), unique=self.unique)

    def replay(self, metadata: sa.MetaData) -> None:
        self._index(metadata)

    def apply(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        self._index(metadata).create(connection)


@attrs.frozen
class Execute:
    """Run one data statement (a backfill), written in SQL both SQLite and PostgreSQL accept."""

    sql: str

    def replay(self, metadata: sa.MetaData) -> None:
        """Nothing: data statements do not change the schema."""

    def apply(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        connection.execute(sa.text(self.sql))


@attrs.frozen
class BinaryCollation:
    """On PostgreSQL, give every text column of ``tables`` the ``C`` collation (ids and keys
    sort by code point, as in memory and SQLite); nothing to do on SQLite."""

    tables: tuple[str, ...]

    def replay(self, metadata: sa.MetaData) -> None:
        """Nothing: :func:`text_type` already declares the collation."""

    def apply(self, connection: sa.Connection, metadata: sa.MetaData) -> None:
        if connection.dialect.name != "postgresql":
            return
        quote = connection.dialect.identifier_preparer.quote
        for name in self.tables:
            for column in metadata.tables[name].columns:
                if isinstance(column.type, sa.String):
                    connection.exec_driver_sql(
                        f"ALTER TABLE {quote(name)} ALTER COLUMN {quote(column.name)} "
                        f'TYPE VARCHAR({column.type.length}) COLLATE "C"'
                    )


Step = CreateTable | AddColumn | CreateIndex | Execute | BinaryCollation


def _aggregate(
    name: str, *extra: Callable[[], sa.Column[object]]
) -> Callable[[], list[sa.Column[object]]]:
    """The columns every aggregate table has (id, version, doc) plus its indexed ones."""

    def columns() -> list[sa.Column[object]]:
        return [
            sa.Column("id", text_type(128), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("doc", JSON, nullable=False),
            *(make() for make in extra),
        ]

    return columns


def _text(
    name: str, *, nullable: bool = True, length: int = 128
) -> Callable[[], sa.Column[object]]:
    return lambda: sa.Column(name, text_type(length), nullable=nullable)


def _micros(name: str, *, nullable: bool = True) -> Callable[[], sa.Column[object]]:
    return lambda: sa.Column(name, sa.BigInteger, nullable=nullable)


def _flag(name: str) -> Callable[[], sa.Column[object]]:
    return lambda: sa.Column(name, sa.Boolean, nullable=False)
