"""Static resources (fonts with their licence, later icons and templates), shipped as package data."""
