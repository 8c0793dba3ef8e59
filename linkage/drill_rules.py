"""Pure rules for drills and levels (issue 12 §6–7): no database, so the pages, the API, the services and the
tests all judge a step and a level the same way."""


def step_passed(*, action_ok, handoff_ok, signal_ok, has_signal):
    """A step passes when its action and its hand-off were right, and the signal was used when the step names
    one (``signal_ok`` is None when it names none). The time taken is recorded, never pass or fail."""
    if not (action_ok and handoff_ok):
        return False
    return bool(signal_ok) if has_signal else True


def level_for(checks_met, checks):
    """A KASH level 1–5 from the share of checks met (1 + round(4 × share)); no checks gives level 1."""
    if checks <= 0:
        return 1
    share = max(0, min(checks_met, checks)) / checks
    return 1 + round(4 * share)


def level_of(*, acknowledged, drilled, certified_until, today):
    """A person's level for one playbook: 3 certified (until the certification expires), 2 drilled (passed a
    scored drill), 1 read (acknowledged), 0 none. An expired certification falls back to what else holds."""
    if certified_until is not None and certified_until >= today:
        return 3
    if drilled:
        return 2
    if acknowledged:
        return 1
    return 0
