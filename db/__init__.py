"""Storage layer: SQLAlchemy models, engine/session set-up and Alembic migrations.

Never imports PySide6 or ``ui``; ``app`` builds on it.
"""
