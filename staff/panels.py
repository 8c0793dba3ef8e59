"""Panels other apps add to the employee page. Imports go one way (staff ← notifications ← training), so
staff never imports them: an app registers a panel in its ``AppConfig.ready()``."""

_panels = []


def register_employee_panel(fn):
    """``fn(user, employee)`` returns ``(template_name, context)`` to show a panel, or ``None``."""
    if fn not in _panels:
        _panels.append(fn)


def employee_panels(user, employee):
    """The panels of one employee page, as ``[(template_name, context)]`` in registration order."""
    return [panel for fn in _panels if (panel := fn(user, employee)) is not None]
