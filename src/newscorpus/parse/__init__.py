"""Seed text to header fields and body paragraphs (see ``layout`` for the layout we accept)."""

from newscorpus.parse.layout import DroppedLine, Layout, parse_layout

__all__ = ["DroppedLine", "Layout", "parse_layout"]
