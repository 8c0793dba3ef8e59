"""One cell of an imported spreadsheet: text, codes, numbers, dates, choices and rows named by their code.

Each widget turns a cell into a value or raises ValueError with a message for the HR clerk. Codes, numbers
and dates are normalised first (``normalise``), so a cell that looks like "E10015" is E10015: full-width
"Ｅ１００１５" or a zero-width space pasted from a chat window name the same person.
"""

import datetime
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

# Line breaks and tabs are text a clerk can see in a cell; every other control character (NUL, ESC …) is not.
VISIBLE_CONTROLS = frozenset("\t\n\r")


def plain(value):
    """A cell as text without its surrounding spaces; Excel's whole numbers (employee number 1001.0) lose the
    ".0". Only spaces go: a leading tab or carriage return is part of the value (an export re-imported changes
    nothing); codes and numbers are trimmed whole by ``normalise``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(" ")


def normalise(value):
    """A code or number as it is meant: Unicode NFKC (full-width → ASCII), without invisible format characters
    (category Cf: zero-width spaces and joiners, BOMs, direction marks), trimmed."""
    text = unicodedata.normalize("NFKC", plain(value))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def checked(text):
    """``text`` unless it holds a control character the clerk cannot see (a database would refuse NUL)."""
    if any(unicodedata.category(ch) == "Cc" and ch not in VISIBLE_CONTROLS for ch in text):
        raise ValueError(_("The cell contains an invisible control character; retype it."))
    return text


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return checked(plain(value))


class CodeWidget(TextWidget):
    """A code or an employee number: the key of a row, normalised before it is matched or stored."""

    def clean(self, value, row=None, **kwargs):
        return checked(normalise(value))


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = checked(normalise(value))
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        # The bound keeps a hostile "1e999999" from becoming a huge int.
        if number is None or not number.is_finite() or number != number.to_integral_value() or abs(number) >= 10**9:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(number)


class DateWidget(widgets.DateWidget):
    """ISO dates on export; on import also the forms Excel users type, or a real date cell."""

    input_formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = checked(normalise(value))
        if not text:
            return None
        for input_format in self.input_formats:
            try:
                return datetime.datetime.strptime(text, input_format).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": text})


class ChoiceWidget(widgets.CharWidget):
    """A choice given by its stored value or by its label in any of the site's languages."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    @cached_property
    def values_by_name(self):
        names = {value.casefold(): value for value in self.choices.values}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.update({normalise(label).casefold(): value for value, label in self.choices.choices})
        return names

    def clean(self, value, row=None, **kwargs):
        text = checked(normalise(value))
        if not text:
            return None
        try:
            return self.values_by_name[text.casefold()]
        except KeyError:
            labels = ", ".join(str(label) for label in self.choices.labels)
            raise ValueError(_("“%(value)s” is not one of: %(labels)s.") % {"value": text, "labels": labels}) from None


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row given by its code or employee number."""

    def clean(self, value, row=None, **kwargs):
        key = checked(normalise(value))
        if not key:
            return None
        try:
            return self.get_queryset(value, row).get(**{self.field: key})
        except self.model.DoesNotExist:
            opts = self.model._meta
            raise ValueError(
                _("No %(model)s has %(field)s “%(value)s”.")
                % {"model": opts.verbose_name, "field": opts.get_field(self.field).verbose_name, "value": key}
            ) from None
