"""Column types shared by the tables (typed with Annotated, as in pypi/warehouse)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(moment, datetime)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")

IntPK = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
WorkspaceFK = Annotated[
    int, mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime())]
OptionalTimestamp = Annotated[datetime | None, mapped_column(UTCDateTime(), nullable=True)]
Name = Annotated[str, mapped_column(String(200))]
OptionalName = Annotated[str | None, mapped_column(String(200), nullable=True)]
PlatformId = Annotated[str, mapped_column(String(64))]
Seed = Annotated[int, mapped_column(BigInteger)]
JSONList = Annotated[list[Any], mapped_column(JSONType, default=list)]
JSONDict = Annotated[dict[str, Any], mapped_column(JSONType, default=dict)]
