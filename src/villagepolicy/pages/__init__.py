"""Pages people look at: the HTML roster report and the static pack site (Jinja2 templates, autoescaped)."""

from .report import html_report
from .site import build_site

__all__ = ["build_site", "html_report"]
