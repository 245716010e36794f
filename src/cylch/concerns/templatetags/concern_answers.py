"""How the check-your-answers page words a person's identity answers."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from cylch.concerns.services import SubjectInput
from cylch.people.models import Ethnicity, Language

register = template.Library()


@register.filter
def identity_line(subject: SubjectInput) -> str:
    """Ethnicity, first language and interpreter, as given (codes a draft should not hold are left out here; the
    service reports them)."""
    parts = []
    if subject.ethnicity in Ethnicity.values:
        parts.append(str(Ethnicity(subject.ethnicity).label))
    if subject.first_language in Language.values:
        parts.append(str(Language(subject.first_language).label))
    if subject.interpreter_needed:
        parts.append(_("Interpreter needed"))
    return ", ".join(parts)
