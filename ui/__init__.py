"""Qt user interface (PySide6). Talks to ``app.services`` only; never opens a database session."""
