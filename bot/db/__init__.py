"""Storage: SQLAlchemy 2.0 models and sessions; Alembic migrations in ``bot/migrations``."""
