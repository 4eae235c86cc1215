"""Pages people look at: the HTML roster report (Jinja2 templates, autoescaped, one self-contained file)."""

from .report import html_report

__all__ = ["html_report"]
