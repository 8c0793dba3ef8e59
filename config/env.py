"""Small strict readers for environment variables (STYLE §5)."""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name, default=None):
    """The variable's value; unset or empty means the default (as in .env.example)."""
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")


def read_env_file(path):
    """KEY=VALUE pairs of a local .env file (written by `make install`); {} when there is none.

    Blank lines and `#` comments are skipped, as is a comment after whitespace; one pair of
    matching quotes around a value is removed. Anything else is refused, so a typo never
    silently falls back to a default.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    pairs = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {raw!r}")
        value = re.split(r"\s+#", match["value"], maxsplit=1)[0].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        pairs[match["key"]] = value
    return pairs


def load_env_file(path):
    """Put the file's variables into os.environ; a variable already set in the environment wins."""
    for key, value in read_env_file(path).items():
        os.environ.setdefault(key, value)
