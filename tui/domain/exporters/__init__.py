"""Exporters: models in, text out. File writing stays at the edges (tui/files.py)."""
