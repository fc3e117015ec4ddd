"""Domain and services of TTA-team. Runs without a display: never imports PySide6 or ``ui``."""
