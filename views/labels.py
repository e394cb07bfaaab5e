"""Translatable labels for every enumerated value, shown wherever a value is displayed."""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

LABELS = {
    # roles and clearances
    "viewer": _l("viewer"),
    "analyst": _l("analyst"),
    "prosecutor": _l("prosecutor"),
    "admin": _l("admin"),
    "public": _l("public"),
    "restricted": _l("restricted"),
    "confidential": _l("confidential"),
    "strictly_confidential": _l("strictly confidential"),
    # position tiers and troika
    "leadership": _l("leadership"),
    "senior": _l("senior"),
    "operational": _l("operational"),
    "head_of_state": _l("head of state"),
    "head_of_government": _l("head of government"),
    "foreign_minister": _l("foreign minister"),
    # decisions
    "political": _l("political"),
    "diplomatic": _l("diplomatic"),
    "military": _l("military"),
    "planning": _l("planning"),
    "preparation": _l("preparation"),
    "initiation": _l("initiation"),
    "execution": _l("execution"),
    # involvement roles and statuses
    "proposed": _l("proposed"),
    "authored": _l("authored"),
    "signed": _l("signed"),
    "voted_for": _l("voted for"),
    "ordered": _l("ordered"),
    "commanded": _l("commanded"),
    "negotiated": _l("negotiated"),
    "implemented": _l("implemented"),
    "publicly_endorsed": _l("publicly endorsed"),
    "attended": _l("attended"),
    "supplied": _l("supplied means"),
    "allowed": _l("allowed the use of its territory"),
    "alleged": _l("alleged"),
    "corroborated": _l("corroborated"),
    "disputed": _l("disputed"),
    # evidence kinds and stances
    "document": _l("document"),
    "testimony": _l("testimony"),
    "pow_interview": _l("prisoner-of-war interview"),
    "official_statement": _l("official statement"),
    "audio_video": _l("audio or video"),
    "image": _l("image"),
    "satellite_imagery": _l("satellite imagery"),
    "intercept": _l("intercept"),
    "osint_capture": _l("open-source capture"),
    "expert_report": _l("expert report"),
    "sanctions_listing": _l("sanctions listing"),
    "statement_of_reasons": _l("statement of reasons"),
    "press_report": _l("press report"),
    "supports": _l("supports"),
    "contradicts": _l("contradicts"),
    # institutions
    "head_of_state_office": _l("head of state's office"),
    "government": _l("government"),
    "ministry": _l("ministry"),
    "military_command": _l("military command"),
    "parliament_chamber": _l("parliament chamber"),
    "security_council": _l("security council"),
    "party_organ": _l("party organ"),
    "other": _l("other"),
    # states' roles
    "aggressor": _l("aggressor"),
    "co_aggressor_territory": _l("co-aggressor (territory, Art. 3(f))"),
    "participant_forces": _l("participant (armed forces)"),
    "victim": _l("victim"),
    # dossier statuses
    "candidate": _l("candidate"),
    "under_review": _l("under review"),
    "recommended_for_indictment": _l("recommended for indictment"),
    "deferred": _l("deferred"),
    "closed": _l("closed"),
    # audit actions
    "create": _l("created"),
    "update": _l("updated"),
    "delete": _l("deleted"),
    "restore": _l("restored"),
    "login": _l("signed in"),
    "logout": _l("signed out"),
    # name kinds
    "alias": _l("alias"),
    "transliteration": _l("transliteration"),
    "former_name": _l("former name"),
    "weak_alias": _l("weak alias"),
    # custody events
    "collected": _l("collected"),
    "received": _l("received"),
    "transferred": _l("transferred"),
    "copied": _l("copied"),
    "analysed": _l("analysed"),
    "viewed": _l("viewed"),
    "downloaded": _l("downloaded"),
    "exported": _l("exported"),
    "sealed": _l("sealed"),
    # how a derivative file was made from its parent ("other" is above)
    "translation": _l("translation"),
    "transcript": _l("transcript"),
    "redaction": _l("redaction"),
    "still": _l("still image"),
    "conversion": _l("format conversion"),
    # the modes of liability (Rome Statute Art. 25(3))
    "co_perpetration": _l("direct or co-perpetration"),
    "indirect_perpetration": _l("indirect perpetration"),
    "ordering": _l("ordering"),
    "inducing": _l("soliciting or inducing"),
    "aiding": _l("aiding, abetting or assisting"),
    "common_purpose": _l("contributing to a common purpose"),
    # what an element of the crime stands at in a dossier
    "element_met": _l("met"),
    "element_partial": _l("partial"),
    "element_gap": _l("gap"),
    "element_inferred": _l("inferred from conduct and position"),
    # export formats
    "pdf": _l("PDF dossier"),
    "bag": _l("signed BagIt case file (zip)"),
    "ftm": _l("FollowTheMoney JSON lines"),
    "csv": _l("CSV exhibit list"),
    # kinds of fact behind an element
    "tenure": _l("tenure"),
    "involvement": _l("involvement"),
    "decision": _l("decision"),
    "act": _l("act of aggression"),
    "act_assessment": _l("character, gravity or scale"),
    "official": _l("official"),
    # what makes an act a manifest violation of the Charter (E5)
    "character": _l("character"),
    "gravity": _l("gravity"),
    "scale": _l("scale"),
    # the state of an API token (services/tokens.py)
    "live": _l("works"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
    "password-changed": _l("ended by a password change"),
    "user-disabled": _l("account disabled"),
}


def label(value: object) -> str:
    """The translated label of an enumeration value; unknown values shown as they are.

    A dossier page asks for thousands of labels; each is translated once per request (the
    language cannot change within one) and then read from ``g``."""
    if value is None:
        return ""
    key = str(value)
    cache: dict[str, str] | None = g.setdefault("_labels", {}) if has_request_context() else None
    if cache is not None and key in cache:
        return cache[key]
    text = LABELS.get(key)
    result = str(text) if text is not None else key.replace("_", " ")
    if cache is not None:
        cache[key] = result
    return result
