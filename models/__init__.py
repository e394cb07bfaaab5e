"""The relational model. Importing this package registers every table on ``Base.metadata``."""

from __future__ import annotations

from models import search_index, text_search, triggers
from models.act import ActAssessment, ActCategory, ActEvidenceDigest, AggressionAct, act_state
from models.audit import AuditEvent, AuditHead, DataGeneration, OfficialPageVersion
from models.base import Base
from models.case_file import KeptCaseFile, kept_case_file_official
from models.comment import Comment, CommentRevision
from models.custody import CustodyEvent, CustodyHead
from models.decision import Decision, Involvement, decision_act
from models.disclosure import DisclosureBatch, DisclosureItem, DisclosureRecipient, ErnCounter, recipient_official
from models.dossier import ChargedMode, Dossier, DossierStatusChange, ModeChoice
from models.dossier_summary import DossierSummary
from models.evidence import SUPPORT_TARGET_COLUMNS, Evidence, EvidenceFile, ExhibitNumber, Support
from models.export import Export, export_official
from models.fixity import FixityRun
from models.imports import ImportRecord, ImportRule, ImportRun, MatchReview
from models.institution import Institution, Position
from models.job import Job
from models.notification import Notification
from models.official import ExternalIdentifier, Official, OfficialName, Tenure
from models.partial_date import PartialDate, PartialDateError
from models.saved_search import SavedSearch
from models.state import State
from models.task import Task
from models.text import TextExtraction, TextPage
from models.user import ApiToken, LoginThrottle, User, UserSession
from models.watch import Watch

triggers.install(Base.metadata)
search_index.install(Base.metadata)
text_search.install(Base.metadata)

__all__ = [
    "SUPPORT_TARGET_COLUMNS",
    "ActAssessment",
    "ActCategory",
    "ActEvidenceDigest",
    "ApiToken",
    "AggressionAct",
    "AuditEvent",
    "AuditHead",
    "ChargedMode",
    "Comment",
    "CommentRevision",
    "DataGeneration",
    "OfficialPageVersion",
    "Base",
    "CustodyEvent",
    "CustodyHead",
    "Decision",
    "DisclosureBatch",
    "DisclosureItem",
    "DisclosureRecipient",
    "ErnCounter",
    "Dossier",
    "DossierStatusChange",
    "DossierSummary",
    "Evidence",
    "EvidenceFile",
    "ExhibitNumber",
    "Export",
    "ExternalIdentifier",
    "FixityRun",
    "ImportRecord",
    "ImportRule",
    "ImportRun",
    "Institution",
    "Involvement",
    "Job",
    "KeptCaseFile",
    "ModeChoice",
    "Notification",
    "Official",
    "OfficialName",
    "PartialDate",
    "PartialDateError",
    "Position",
    "SavedSearch",
    "State",
    "Support",
    "Task",
    "Tenure",
    "TextExtraction",
    "TextPage",
    "LoginThrottle",
    "MatchReview",
    "User",
    "UserSession",
    "Watch",
    "act_state",
    "decision_act",
    "export_official",
    "kept_case_file_official",
    "recipient_official",
]
