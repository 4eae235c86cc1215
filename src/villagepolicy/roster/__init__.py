"""Rosters of stationed cadres: reading, checking against the packs, reports, samples."""

from .check import ADAPTERS, CaseResult, CheckReport, Item, check
from .read import Roster, RosterError, Row, read_roster

__all__ = ["ADAPTERS", "CaseResult", "CheckReport", "Item", "Roster", "RosterError", "Row", "check", "read_roster"]
