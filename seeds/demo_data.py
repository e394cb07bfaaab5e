"""The demo data set (seeds/data/*.json, read and checked by seeds/loader.py) as one list per
record kind, for code that reads the records themselves (the synthetic frame, tests)."""

from __future__ import annotations

from seeds.loader import demo_set

STATES = demo_set().states
INSTITUTIONS = demo_set().institutions
POSITIONS = demo_set().positions
OFFICIALS = demo_set().officials
TENURES = demo_set().tenures
ACTS = demo_set().acts
ACT_ASSESSMENTS = demo_set().act_assessments
DECISIONS = demo_set().decisions
INVOLVEMENTS = demo_set().involvements
EVIDENCE = demo_set().evidence
SUPPORTS = demo_set().supports
DOSSIERS = demo_set().dossiers
IMPORT_RULES = demo_set().import_rules
