"""Every enumeration of the case data, each value with the label the interface shows for it.

The stored strings are the members' values (the CHECK constraints of models/ are built from
them); a label belongs to its enumeration, so ``other`` can read differently as a State's
role, an institution's kind and a gender. The tuples below (``GENDERS`` ...) are the values as
plain strings, for the constraints, the API's validators and the demo loader.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext


class Labelled(StrEnum):
    """A string enumeration whose every member is declared as ``NAME = value, label``."""

    _lazy_label: Any

    def __new__(cls, value: str, lazy_label: Any) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._lazy_label = lazy_label
        return member

    @property
    def label(self) -> str:
        """The label in the current request's language."""
        return str(self._lazy_label)

    @property
    def lazy_label(self) -> Any:
        """The label translated when it is shown (form choices are built at import)."""
        return self._lazy_label

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of ``value``; ValueError when the enumeration has no such value."""
        return cls(value).label  # type: ignore[call-arg]  # a lookup by value, not __new__

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(value, label) pairs for a form's select."""
        return [(m.value, m.lazy_label) for m in cls]


# --- States, institutions, positions -------------------------------------------------------


class StateRole(Labelled):
    AGGRESSOR = "aggressor", _l("aggressor")
    CO_AGGRESSOR_TERRITORY = "co_aggressor_territory", _l("co-aggressor (territory, Art. 3(f))")
    PARTICIPANT_FORCES = "participant_forces", _l("participant (armed forces)")
    VICTIM = "victim", _l("victim")
    OTHER = "other", lazy_pgettext("state role", "other")


class InstitutionKind(Labelled):
    HEAD_OF_STATE_OFFICE = "head_of_state_office", _l("head of state's office")
    GOVERNMENT = "government", _l("government")
    MINISTRY = "ministry", _l("ministry")
    MILITARY_COMMAND = "military_command", _l("military command")
    PARLIAMENT_CHAMBER = "parliament_chamber", _l("parliament chamber")
    SECURITY_COUNCIL = "security_council", _l("security council")
    PARTY_ORGAN = "party_organ", _l("party organ")
    OTHER = "other", lazy_pgettext("institution kind", "other")


class PositionTier(Labelled):
    LEADERSHIP = "leadership", _l("leadership")
    SENIOR = "senior", _l("senior")
    OPERATIONAL = "operational", _l("operational")


class TroikaKind(Labelled):
    HEAD_OF_STATE = "head_of_state", _l("head of state")
    HEAD_OF_GOVERNMENT = "head_of_government", _l("head of government")
    FOREIGN_MINISTER = "foreign_minister", _l("foreign minister")


# --- officials -------------------------------------------------------------------------------


class Script(Labelled):  # ISO 15924 codes
    LATN = "Latn", _l("Latin")
    CYRL = "Cyrl", _l("Cyrillic")
    HANG = "Hang", _l("Hangul")
    KORE = "Kore", _l("Korean (Hangul and Hanja)")
    HANI = "Hani", _l("Han (Hanja)")


class NameKind(Labelled):
    ALIAS = "alias", _l("alias")
    TRANSLITERATION = "transliteration", _l("transliteration")
    FORMER_NAME = "former_name", _l("former name")
    WEAK_ALIAS = "weak_alias", _l("weak alias")


class Gender(Labelled):
    MALE = "male", _l("male")
    FEMALE = "female", _l("female")
    OTHER = "other", lazy_pgettext("gender", "other")


# EU schemes per regulation (entry numbers restart in each): 269/2014 Ukraine, 765/2006
# Belarus, 2017/1509 DPRK
class IdentifierScheme(Labelled):
    EU_269_2014 = "eu_269_2014", _l("EU Regulation 269/2014 (Ukraine)")
    EU_765_2006 = "eu_765_2006", _l("EU Regulation 765/2006 (Belarus)")
    EU_1509_2017 = "eu_1509_2017", _l("EU Regulation 2017/1509 (DPRK)")
    EU_FSF = "eu_fsf", _l("EU financial sanctions file")
    OFAC_SDN = "ofac_sdn", _l("OFAC SDN list")
    OPENSANCTIONS = "opensanctions", _l("OpenSanctions")
    UN = "un", _l("UN Security Council list")
    UK = "uk", _l("UK sanctions list")
    WIKIDATA = "wikidata", _l("Wikidata")


# --- acts, decisions, involvements -----------------------------------------------------------


class AggressionCategory(Labelled):  # UNGA Res. 3314 (1974), Art. 3 (a)-(g); forms/acts.py says more
    A = "a", _l("invasion, attack, occupation or annexation")
    B = "b", _l("bombardment or use of weapons")
    C = "c", _l("blockade of ports or coasts")
    D = "d", _l("attack on land, sea or air forces")
    E = "e", _l("use of forces stationed under agreement beyond its terms")
    F = "f", _l("territory placed at another State's disposal")
    G = "g", _l("sending armed bands, groups, irregulars or mercenaries")


class DecisionKind(Labelled):
    POLITICAL = "political", _l("political")
    DIPLOMATIC = "diplomatic", _l("diplomatic")
    MILITARY = "military", _l("military")


class ConductStage(Labelled):
    PLANNING = "planning", _l("planning")
    PREPARATION = "preparation", _l("preparation")
    INITIATION = "initiation", _l("initiation")
    EXECUTION = "execution", _l("execution")


class InvolvementRole(Labelled):
    PROPOSED = "proposed", _l("proposed")
    AUTHORED = "authored", _l("authored")
    SIGNED = "signed", _l("signed")
    VOTED_FOR = "voted_for", _l("voted for")
    ORDERED = "ordered", _l("ordered")
    COMMANDED = "commanded", _l("commanded")
    NEGOTIATED = "negotiated", _l("negotiated")
    IMPLEMENTED = "implemented", _l("implemented")
    PUBLICLY_ENDORSED = "publicly_endorsed", _l("publicly endorsed")
    ATTENDED = "attended", _l("attended")
    SUPPLIED = "supplied", _l("supplied means")  # weapons, forces or other means to the act
    # the use of the State's territory for the act (UNGA Res. 3314 Art. 3(f))
    ALLOWED = "allowed", _l("allowed the use of its territory")


class InvolvementStatus(Labelled):
    ALLEGED = "alleged", _l("alleged")
    CORROBORATED = "corroborated", _l("corroborated")
    DISPUTED = "disputed", _l("disputed")


# What makes an act of aggression a manifest violation of the Charter (Art. 8 bis, E5): each
# is assessed apart, with its own evidence
class ManifestAspect(Labelled):
    CHARACTER = "character", _l("character")
    GRAVITY = "gravity", _l("gravity")
    SCALE = "scale", _l("scale")


# --- evidence --------------------------------------------------------------------------------


class EvidenceKind(Labelled):
    DOCUMENT = "document", _l("document")
    TESTIMONY = "testimony", _l("testimony")
    POW_INTERVIEW = "pow_interview", _l("prisoner-of-war interview")
    OFFICIAL_STATEMENT = "official_statement", _l("official statement")
    AUDIO_VIDEO = "audio_video", _l("audio or video")
    IMAGE = "image", _l("image")
    SATELLITE_IMAGERY = "satellite_imagery", _l("satellite imagery")
    INTERCEPT = "intercept", _l("intercept")
    OSINT_CAPTURE = "osint_capture", _l("open-source capture")
    EXPERT_REPORT = "expert_report", _l("expert report")
    SANCTIONS_LISTING = "sanctions_listing", _l("sanctions listing")
    # a listing authority's published reasons, apart from the listing
    STATEMENT_OF_REASONS = "statement_of_reasons", _l("statement of reasons")
    PRESS_REPORT = "press_report", _l("press report")


# Ordered from least to most protected; a user sees what their clearance covers.
class Classification(Labelled):
    PUBLIC = "public", _l("public")
    RESTRICTED = "restricted", _l("restricted")
    CONFIDENTIAL = "confidential", _l("confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _l("strictly confidential")


class ReliabilityGrade(Labelled):  # the Admiralty (NATO) scale: the source's reliability
    A = "A", _l("completely reliable")
    B = "B", _l("usually reliable")
    C = "C", _l("fairly reliable")
    D = "D", _l("not usually reliable")
    E = "E", _l("unreliable")
    F = "F", _l("reliability cannot be judged")


class CredibilityGrade(Labelled):  # the Admiralty (NATO) scale: the information's credibility
    CONFIRMED = "1", _l("confirmed by other sources")
    PROBABLY_TRUE = "2", _l("probably true")
    POSSIBLY_TRUE = "3", _l("possibly true")
    DOUBTFUL = "4", _l("doubtful")
    IMPROBABLE = "5", _l("improbable")
    CANNOT_BE_JUDGED = "6", _l("truth cannot be judged")


class CustodyEventType(Labelled):
    COLLECTED = "collected", _l("collected")
    RECEIVED = "received", _l("received")
    TRANSFERRED = "transferred", _l("transferred")
    COPIED = "copied", _l("copied")
    ANALYSED = "analysed", _l("analysed")
    VIEWED = "viewed", _l("viewed")
    DOWNLOADED = "downloaded", _l("downloaded")
    EXPORTED = "exported", _l("exported")
    SEALED = "sealed", _l("sealed")
    DISCLOSED = "disclosed", _l("disclosed")


class DerivationKind(Labelled):  # how a derivative file was made from its parent
    TRANSLATION = "translation", _l("translation")
    TRANSCRIPT = "transcript", _l("transcript")
    REDACTION = "redaction", _l("redaction")
    STILL = "still", _l("still image")
    CONVERSION = "conversion", _l("format conversion")
    OTHER = "other", lazy_pgettext("derivation", "other")


class JobKind(Labelled):  # background work run by the queue (services/jobs/)
    EXTRACT_TEXT = "extract_text", _l("text extraction")
    BULK_INTAKE = "bulk_intake", _l("bulk intake")
    EXPORT_CASE_FILE = "export_case_file", _l("case-file export")


class JobStatus(Labelled):
    QUEUED = "queued", _l("queued")
    RUNNING = "running", _l("running")
    SUCCEEDED = "succeeded", _l("done")
    FAILED = "failed", _l("failed")


class TextMethod(Labelled):  # how the text of a page was obtained (services/evidence/text/)
    TEXT_LAYER = "text_layer", _l("text of the file")
    OCR = "ocr", _l("optical character recognition")


class FactKind(Labelled):
    """The kind of fact behind an element of a dossier; an exhibit supports any but the
    official (``SUPPORT_TARGETS``)."""

    TENURE = "tenure", _l("tenure")
    INVOLVEMENT = "involvement", _l("involvement")
    DECISION = "decision", _l("decision")
    ACT = "act", _l("act of aggression")
    ACT_ASSESSMENT = "act_assessment", _l("character, gravity or scale")
    OFFICIAL = "official", _l("official")


class Stance(Labelled):
    SUPPORTS = "supports", _l("supports")
    CONTRADICTS = "contradicts", _l("contradicts")


# --- exports, imports ------------------------------------------------------------------------


class ExportFormat(Labelled):
    PDF = "pdf", _l("PDF dossier")
    BAG = "bag", _l("signed BagIt case file (zip)")
    FTM = "ftm", _l("FollowTheMoney JSON lines")
    CSV = "csv", _l("CSV exhibit list")


class ImportFormat(Labelled):
    FTM = "ftm", _l("FollowTheMoney JSON lines")
    EU_CSV = "eu-csv", _l("EU consolidated list (CSV)")
    OFAC_CSV = "ofac-csv", _l("OFAC SDN list (CSV)")


class ImportRuleKind(Labelled):
    INVOLVEMENT = "involvement", _l("involvement")
    POSITION = "position", _l("position")


class ImportStatus(Labelled):
    APPLIED = "applied", _l("applied")  # written
    DRY_RUN = "dry_run", _l("dry run")  # checked, nothing written
    REFUSED = "refused", _l("refused")  # a malformed row stopped it


class ReviewStatus(Labelled):
    PENDING = "pending", _l("pending")
    CONFIRMED = "confirmed", _l("confirmed")
    REJECTED = "rejected", _l("rejected")
    UNDONE = "undone", _l("undone")  # a confirmed match taken apart again (both records restored)


class ReviewReason(Labelled):
    # the scores say the two may be one person
    MATCH = "match", _l("possible match")
    # the row's identity (its entry or an identifier) points at an official whose names or
    # birth date contradict it
    CONFLICT = "conflict", _l("conflict")


class MatchDecision(Labelled):  # what the matcher concludes of two records (services/imports/matching.py)
    SAME = "same", _l("the same person")
    LIKELY = "likely", _l("likely the same")
    POSSIBLE = "possible", _l("possibly the same")
    DIFFERENT = "different", _l("different people")


# --- dossiers --------------------------------------------------------------------------------


class DossierStatus(Labelled):
    CANDIDATE = "candidate", _l("candidate")
    UNDER_REVIEW = "under_review", _l("under review")
    RECOMMENDED_FOR_INDICTMENT = "recommended_for_indictment", _l("recommended for indictment")
    DEFERRED = "deferred", _l("deferred")
    CLOSED = "closed", _l("closed")


# The modes of liability of Rome Statute Art. 25(3) a prosecutor may choose to charge
# (services/assessment/modes.py assesses each): (a) direct or co-perpetration, indirect
# perpetration; (b) ordering, soliciting or inducing; (c) aiding, abetting or assisting;
# (d) contributing to a group acting with a common purpose
class LiabilityMode(Labelled):
    CO_PERPETRATION = "co_perpetration", _l("direct or co-perpetration")
    INDIRECT_PERPETRATION = "indirect_perpetration", _l("indirect perpetration")
    ORDERING = "ordering", _l("ordering")
    INDUCING = "inducing", _l("soliciting or inducing")
    AIDING = "aiding", _l("aiding, abetting or assisting")
    COMMON_PURPOSE = "common_purpose", _l("contributing to a common purpose")


class ElementStatus(Labelled):  # what an element of the crime stands at in a dossier
    MET = "met", _l("met")
    PARTIAL = "partial", _l("partial")
    GAP = "gap", _l("gap")
    INFERRED = "inferred", _l("inferred from conduct and position")


# --- comments, watches and notifications ------------------------------------------------------


class CommentedRecord(Labelled):  # the records a comment thread can hang on
    OFFICIAL = "official", _l("official")
    DECISION = "decision", _l("decision")
    EVIDENCE = "evidence", _l("exhibit")
    SUPPORT = "support", _l("evidence link")
    DOSSIER = "dossier", _l("dossier")


class WatchKind(Labelled):  # what a user can watch (services/workspace/watches.py)
    DOSSIER = "dossier", _l("dossier")
    OFFICIAL = "official", _l("official")
    SAVED_SEARCH = "saved_search", _l("saved search")


class NotificationKind(Labelled):  # why a user is told something (services/workspace/notifications.py)
    MENTION = "mention", _l("mentioned you")
    EVIDENCE_LINKED = "evidence_linked", _l("new evidence linked")
    ELEMENT_CHANGED = "element_changed", _l("an element changed status")
    TASK_ASSIGNED = "task_assigned", _l("a task was assigned to you")
    SEARCH_RESULT = "search_result", _l("new in a saved search you watch")
    IMPORT_LINKED = "import_linked", _l("an import linked evidence to officials you watch")


# --- disclosure (services/disclosure/) ---------------------------------------------------------


class RecipientKind(Labelled):
    DEFENCE = "defence", _l("defence team")
    VICTIMS_COUNSEL = "victims_counsel", _l("victims' counsel")
    AUTHORITY = "authority", _l("another authority")


class BatchStatus(Labelled):
    DRAFT = "draft", _l("in preparation")
    APPROVED = "approved", lazy_pgettext("disclosure batch", "approved")
    DISCLOSED = "disclosed", lazy_pgettext("disclosure batch", "disclosed")


class DisclosureCategory(Labelled):
    EXCULPATORY = "art_67_2", _l("Art. 67(2): potentially exculpatory")
    INSPECTION = "rule_77", _l("Rule 77: material for inspection")
    WITNESS_STATEMENT = "rule_76", _l("Rule 76: witness statement")
    INCRIMINATING = "incriminating", _l("incriminating")


class ItemStatus(Labelled):
    PROPOSED = "proposed", _l("proposed")
    APPROVED = "approved", lazy_pgettext("disclosure item", "approved")
    DISCLOSED = "disclosed", lazy_pgettext("disclosure item", "disclosed")
    WITHHELD = "withheld", _l("withheld")


class WithholdingReason(Labelled):  # ICC Rules of Procedure and Evidence, Rule 81
    INTERNAL_WORK = "r81_1_internal", _l("Rule 81(1): internal work product")
    INVESTIGATIONS = "r81_2_investigations", _l("Rule 81(2): prejudice to further or ongoing investigations")
    WITNESS_SAFETY = "r81_4_witnesses", _l("Rule 81(4): safety of witnesses, victims and their families")
    OTHER_SAFETY = "r81_4_others", _l("Rule 81(4): safety of other persons at risk")
    CONFIDENTIAL = "r81_4_confidential", _l("Rule 81(4): confidential information (Art. 54, 57, 64, 72, 93)")


# --- users -----------------------------------------------------------------------------------


class Locale(Labelled):  # interface languages
    EN = "en", _l("English")
    UK = "uk", _l("Ukrainian")


class TaskStatus(Labelled):
    """Where a task taken from a dossier's gap stands (models/task.py)."""

    OPEN = "open", _l("open")
    IN_PROGRESS = "in_progress", _l("in progress")
    DONE = "done", _l("done")
    WONT_DO = "wont_do", _l("won't do")


class UserRole(Labelled):  # each includes the one before
    VIEWER = "viewer", _l("viewer")
    ANALYST = "analyst", _l("analyst")
    PROSECUTOR = "prosecutor", _l("prosecutor")
    ADMIN = "admin", _l("admin")


class AuditAction(Labelled):
    CREATE = "create", _l("created")
    UPDATE = "update", _l("updated")
    DELETE = "delete", _l("deleted")
    RESTORE = "restore", _l("restored")
    LOGIN = "login", _l("signed in")
    LOGOUT = "logout", _l("signed out")
    EXPORT = "export", _l("exported")
    IMPORT = "import", _l("imported")
    VIEW = "view", _l("viewed")


class TokenState(Labelled):  # an API token's state, as listed (CLI, tokens page, API)
    LIVE = "live", _l("works")
    EXPIRED = "expired", _l("expired")
    REVOKED = "revoked", _l("revoked")
    PASSWORD_CHANGED = "password-changed", _l("ended by a password change")
    USER_DISABLED = "user-disabled", _l("account disabled")


STATE_ROLES = StateRole.values()
INSTITUTION_KINDS = InstitutionKind.values()
POSITION_TIERS = PositionTier.values()
TROIKA_KINDS = TroikaKind.values()
SCRIPTS = Script.values()
NAME_KINDS = NameKind.values()
GENDERS = Gender.values()
IDENTIFIER_SCHEMES = IdentifierScheme.values()
ACT_CATEGORIES = AggressionCategory.values()
DECISION_KINDS = DecisionKind.values()
CONDUCT_STAGES = ConductStage.values()
INVOLVEMENT_ROLES = InvolvementRole.values()
INVOLVEMENT_STATUSES = InvolvementStatus.values()
EVIDENCE_KINDS = EvidenceKind.values()
CLASSIFICATIONS = Classification.values()
RELIABILITY_GRADES = ReliabilityGrade.values()
CREDIBILITY_GRADES = CredibilityGrade.values()
CUSTODY_EVENT_TYPES = CustodyEventType.values()
DERIVATION_KINDS = DerivationKind.values()
JOB_KINDS = JobKind.values()
JOB_STATUSES = JobStatus.values()
TEXT_METHODS = TextMethod.values()
MANIFEST_ASPECTS = ManifestAspect.values()
SUPPORT_TARGETS = tuple(v for v in FactKind.values() if v != FactKind.OFFICIAL)
STANCES = Stance.values()
EXPORT_FORMATS = ExportFormat.values()
IMPORT_FORMATS = ImportFormat.values()
IMPORT_RULE_KINDS = ImportRuleKind.values()
IMPORT_STATUSES = ImportStatus.values()
REVIEW_STATUSES = ReviewStatus.values()
REVIEW_REASONS = ReviewReason.values()
DOSSIER_STATUSES = DossierStatus.values()
LIABILITY_MODES = LiabilityMode.values()
TASK_STATUSES = TaskStatus.values()
# A task still to be worked on; the others are closed
ACTIVE_TASK_STATUSES = (TaskStatus.OPEN.value, TaskStatus.IN_PROGRESS.value)
LOCALES = Locale.values()
USER_ROLES = UserRole.values()
AUDIT_ACTIONS = AuditAction.values()
COMMENTED_RECORDS = CommentedRecord.values()
WATCH_KINDS = WatchKind.values()
NOTIFICATION_KINDS = NotificationKind.values()
RECIPIENT_KINDS = RecipientKind.values()
BATCH_STATUSES = BatchStatus.values()
DISCLOSURE_CATEGORIES = DisclosureCategory.values()
ITEM_STATUSES = ItemStatus.values()
WITHHOLDING_REASONS = WithholdingReason.values()

# Every enumeration above, for the labels' test and the templates
ENUMERATIONS: tuple[type[Labelled], ...] = tuple(Labelled.__subclasses__())
