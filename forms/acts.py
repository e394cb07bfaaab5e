"""Forms for acts of aggression under UNGA Res. 3314 (1974), Art. 3."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from forms.fields import (
    MultiCheckboxField,
    PartialDateField,
    VersionField,
    end_not_before_start,
    text_length,
)
from models.enums import AggressionCategory

# What each letter of Art. 3 covers, as the pages show it.
CATEGORY_MEANINGS = {
    "a": _l(
        "The invasion or attack by the armed forces of a State of the territory of another State, or any military "
        "occupation resulting from such invasion or attack, or any annexation by the use of force of the territory "
        "of another State or part thereof."
    ),
    "b": _l(
        "Bombardment by the armed forces of a State against the territory of another State or the use of any "
        "weapons by a State against the territory of another State."
    ),
    "c": _l("The blockade of the ports or coasts of a State by the armed forces of another State."),
    "d": _l(
        "An attack by the armed forces of a State on the land, sea or air forces, or marine and air fleets of "
        "another State."
    ),
    "e": _l(
        "The use of armed forces of one State which are within the territory of another State with the agreement "
        "of the receiving State, in contravention of the conditions provided for in the agreement or any extension "
        "of their presence in such territory beyond the termination of the agreement."
    ),
    "f": _l(
        "The action of a State in allowing its territory, which it has placed at the disposal of another State, to "
        "be used by that other State for perpetrating an act of aggression against a third State."
    ),
    "g": _l(
        "The sending by or on behalf of a State of armed bands, groups, irregulars or mercenaries, which carry out "
        "acts of armed force against another State of such gravity as to amount to the acts listed above, or its "
        "substantial involvement therein."
    ),
}

# Short names, for lists and checkboxes.
CATEGORY_NAMES = {c.value: c.lazy_label for c in AggressionCategory}


class ActForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), text_length(300)])
    categories = MultiCheckboxField(
        _l("Art. 3 categories"),
        choices=list(CATEGORY_NAMES.items()),
        validators=[DataRequired(message=_l("Choose at least one category."))],
    )
    state_ids = MultiCheckboxField(
        _l("Responsible States"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one State."))],
    )
    start = PartialDateField(_l("From"), validators=[InputRequired(message=_l("Enter the date the act began."))])
    end = PartialDateField(
        _l("To"),
        validators=[Optional(), end_not_before_start("start")],
        description=_l("Leave empty while it continues."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), text_length(20_000)],
        description=_l("Character, gravity and scale of the act."),
    )
    version = VersionField()


# What each aspect of the manifest violation asks (Art. 8 bis; element E5), as the form shows it.
ASPECT_QUESTIONS = {
    "character": _l(
        "What kind of use of force the act is: its nature and purpose (an invasion, an annexation, the use of a "
        "territory), and why it is inconsistent with the Charter."
    ),
    "gravity": _l("How serious it is: the force used, its targets and its consequences."),
    "scale": _l("How large it is: the territory, the forces, the people and the time it reached."),
}


class ActAssessmentForm(FlaskForm):
    """The act's character, gravity or scale as the case assesses it; its evidence is linked
    like any fact's (from the exhibit, or from a dossier's gaps)."""

    finding = TextAreaField(
        _l("Finding"),
        validators=[DataRequired(message=_l("Say what the evidence shows.")), text_length(20_000)],
    )
    version = VersionField()
