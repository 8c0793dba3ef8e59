"""Panels other apps add to staff's pages: the employee page, the HR overview and "My mentees". Imports go
one way (staff ← notifications ← training), so staff never imports them: an app registers a panel in its
``AppConfig.ready()``."""

_panels = []


def register_employee_panel(fn):
    """``fn(user, employee)`` returns ``(template_name, context)`` to show a panel, or ``None``."""
    if fn not in _panels:
        _panels.append(fn)


def employee_panels(user, employee):
    """The panels of one employee page, as ``[(template_name, context)]`` in registration order."""
    return [panel for fn in _panels if (panel := fn(user, employee)) is not None]


# The HR overview's panels (training: onboarding across all batches) --------------------------------

_hr_overview_panels = []


def register_hr_overview_panel(fn):
    """``fn(user)`` returns ``(template_name, context)`` for a panel of the HR overview, or ``None``; it reads in a
    fixed number of queries whatever the organisation's size."""
    if fn not in _hr_overview_panels:
        _hr_overview_panels.append(fn)


def hr_overview_panels(user):
    return [panel for fn in _hr_overview_panels if (panel := fn(user)) is not None]


# What other apps show on each mentee of "My mentees" (training: the onboarding, with what is overdue) -----

_mentee_details = []


def register_mentee_details(fn):
    """``fn(user, mentees)`` returns ``{employee id: (template_name, context)}`` for some of the mentees, in a
    fixed number of queries whatever their number."""
    if fn not in _mentee_details:
        _mentee_details.append(fn)


def mentee_details(user, mentees):
    """{employee id: [(template_name, context)]} in registration order."""
    found = {}
    for fn in _mentee_details:
        for employee_id, panel in fn(user, mentees).items():
            found.setdefault(employee_id, []).append(panel)
    return found
