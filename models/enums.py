"""Allowed values of every enumerated column, shared by models, forms and the demo loader."""

from __future__ import annotations

STATE_ROLES = ("aggressor", "co_aggressor_territory", "participant_forces", "victim", "other")

INSTITUTION_KINDS = (
    "head_of_state_office",
    "government",
    "ministry",
    "military_command",
    "parliament_chamber",
    "security_council",
    "party_organ",
    "other",
)

POSITION_TIERS = ("leadership", "senior", "operational")
TROIKA_KINDS = ("head_of_state", "head_of_government", "foreign_minister")

SCRIPTS = ("Latn", "Cyrl", "Hang", "Kore", "Hani")  # ISO 15924 codes
NAME_KINDS = ("alias", "transliteration", "former_name", "weak_alias")
GENDERS = ("male", "female", "other")
# EU schemes per regulation (entry numbers restart in each): 269/2014 Ukraine, 765/2006
# Belarus, 2017/1509 DPRK
IDENTIFIER_SCHEMES = (
    "eu_269_2014",
    "eu_765_2006",
    "eu_1509_2017",
    "eu_fsf",
    "ofac_sdn",
    "opensanctions",
    "un",
    "uk",
    "wikidata",
)

# UNGA Res. 3314 (1974), Art. 3 (a)-(g)
ACT_CATEGORIES = ("a", "b", "c", "d", "e", "f", "g")

DECISION_KINDS = ("political", "diplomatic", "military")
CONDUCT_STAGES = ("planning", "preparation", "initiation", "execution")

INVOLVEMENT_ROLES = (
    "proposed",
    "authored",
    "signed",
    "voted_for",
    "ordered",
    "commanded",
    "negotiated",
    "implemented",
    "publicly_endorsed",
    "attended",
    "supplied",  # weapons, forces or other means to the act
    "allowed",  # the use of the State's territory for the act (UNGA Res. 3314 Art. 3(f))
)
INVOLVEMENT_STATUSES = ("alleged", "corroborated", "disputed")

EVIDENCE_KINDS = (
    "document",
    "testimony",
    "pow_interview",
    "official_statement",
    "audio_video",
    "image",
    "satellite_imagery",
    "intercept",
    "osint_capture",
    "expert_report",
    "sanctions_listing",
    "statement_of_reasons",  # a listing authority's published reasons, apart from the listing
    "press_report",
)
# Ordered from least to most protected; a user sees what their clearance covers.
CLASSIFICATIONS = ("public", "restricted", "confidential", "strictly_confidential")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")  # Admiralty: source reliability
CREDIBILITY_GRADES = ("1", "2", "3", "4", "5", "6")  # Admiralty: information credibility

CUSTODY_EVENT_TYPES = (
    "collected",
    "received",
    "transferred",
    "copied",
    "analysed",
    "viewed",
    "downloaded",
    "exported",
    "sealed",
)

# How a derivative file was made from its parent
DERIVATION_KINDS = ("translation", "transcript", "redaction", "still", "conversion", "other")

# What makes an act of aggression a manifest violation of the Charter (Art. 8 bis, E5): each
# is assessed apart, with its own evidence
MANIFEST_ASPECTS = ("character", "gravity", "scale")

SUPPORT_TARGETS = ("tenure", "involvement", "decision", "act", "act_assessment")
STANCES = ("supports", "contradicts")

EXPORT_FORMATS = ("pdf", "bag", "ftm", "csv")

IMPORT_FORMATS = ("ftm", "eu-csv", "ofac-csv")
IMPORT_RULE_KINDS = ("involvement", "position")
# applied: written; dry_run: checked, nothing written; refused: a malformed row stopped it
IMPORT_STATUSES = ("applied", "dry_run", "refused")
# undone: a confirmed match taken apart again (both records restored)
REVIEW_STATUSES = ("pending", "confirmed", "rejected", "undone")
# match: the scores say the two may be one person; conflict: the row's identity (its entry or
# an identifier) points at an official whose names or birth date contradict it
REVIEW_REASONS = ("match", "conflict")

DOSSIER_STATUSES = ("candidate", "under_review", "recommended_for_indictment", "deferred", "closed")
# The modes of liability of Rome Statute Art. 25(3) a prosecutor may choose to charge
# (services/assessment_modes.py assesses each): (a) direct or co-perpetration, indirect
# perpetration; (b) ordering, soliciting or inducing; (c) aiding, abetting or assisting;
# (d) contributing to a group acting with a common purpose
LIABILITY_MODES = ("co_perpetration", "indirect_perpetration", "ordering", "inducing", "aiding", "common_purpose")

LOCALES = ("en", "uk")  # interface languages

USER_ROLES = ("viewer", "analyst", "prosecutor", "admin")  # each includes the one before
AUDIT_ACTIONS = ("create", "update", "delete", "restore", "login", "logout", "export", "import", "view")
