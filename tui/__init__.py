"""Convener: plan convenings, keep guest lists and hand out agendas, from a terminal."""

__version__ = "0.1.0"
