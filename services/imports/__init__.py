"""Imports of sanctions lists: parsers, planning, matching, applying, the review queue and the
import rules."""
