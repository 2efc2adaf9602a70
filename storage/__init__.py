"""Persistence: SQLAlchemy tables, Alembic migrations, repositories and a unit of work."""
