"""Rules as written (issue 15 §8, seed 002: 严格执行奖励与处罚措施): the shipped catalogue, applying a rule (a reward
grants, a penalty deducts, the entry cites the rule, a retry writes once), who may apply it to whom, and the
exceptions report of awards, grants outside recognition and penalties that cite no rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incentives.models import EntryKind, IncentiveRule, PointsEntry
from incentives.selectors import ledger as ledger_selectors
from incentives.selectors import rules as selectors
from incentives.services import ledger
from incentives.services.rules import apply_rule
from tests.incentives.factories import give


def _rule(code):
    return IncentiveRule.objects.get(code=code)


@pytest.mark.django_db
def test_the_catalogue_ships_rewards_and_penalties_everyone_reads(client, world):
    kinds = set(IncentiveRule.objects.values_list("kind", flat=True))
    assert kinds == {"reward", "penalty"} and IncentiveRule.objects.count() == 5
    client.force_login(world.trainee.user)
    page = client.get(reverse("incentives:rules"))
    assert page.status_code == 200 and 'data-rule="customer-praise"' in page.text
    assert 'id="apply-rule"' not in page.text


@pytest.mark.django_db
def test_a_reward_grants_and_a_penalty_deducts_citing_the_rule_once_per_key(world):
    user = world.supervisor.user
    entry, created = apply_rule(
        user=user,
        employee_id=world.trainee.pk,
        rule_id=_rule("customer-praise").pk,
        note="Praised on the 0312 call",
        idempotency_key="k1",
    )
    assert created and (entry.kind, entry.points, entry.rule.code) == ("grant", 20, "customer-praise")
    again, created = apply_rule(
        user=user,
        employee_id=world.trainee.pk,
        rule_id=_rule("customer-praise").pk,
        note="Praised on the 0312 call",
        idempotency_key="k1",
    )
    assert not created and again.pk == entry.pk
    penalty, _created = apply_rule(
        user=user,
        employee_id=world.trainee.pk,
        rule_id=_rule("repeated-lateness").pk,
        note="3 late",
        idempotency_key="k2",
    )
    assert (penalty.kind, penalty.points) == ("penalty", -10)
    assert ledger_selectors.balance(world.trainee) == 10


@pytest.mark.django_db
def test_a_lead_applies_rules_to_her_people_only_and_never_to_herself(world):
    rule = _rule("customer-praise").pk
    for employee, user in ((world.other_trainee, world.supervisor.user), (world.supervisor, world.supervisor.user)):
        with pytest.raises(PermissionDenied):
            apply_rule(user=user, employee_id=employee.pk, rule_id=rule, note="x", idempotency_key="k")
    with pytest.raises(PermissionDenied):
        apply_rule(user=world.mentor.user, employee_id=world.trainee.pk, rule_id=rule, note="x", idempotency_key="k")
    entry, _created = apply_rule(
        user=world.hr, employee_id=world.other_trainee.pk, rule_id=rule, note="x", idempotency_key="k"
    )
    assert entry.employee_id == world.other_trainee.pk
    assert not PointsEntry.objects.filter(employee=world.supervisor).exists()


@pytest.mark.django_db
def test_bad_input_is_refused_and_writes_nothing(world):
    rule = _rule("customer-praise")
    cases = [
        {"note": "  "},
        {"points": 0},
        {"points": rule.points * 10 + 1},
        {"idempotency_key": ""},
    ]
    for change in cases:
        kwargs = {"note": "ok", "idempotency_key": "k", **change}
        with pytest.raises(ValidationError):
            apply_rule(user=world.hr, employee_id=world.trainee.pk, rule_id=rule.pk, **kwargs)
    IncentiveRule.objects.filter(pk=rule.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        apply_rule(user=world.hr, employee_id=world.trainee.pk, rule_id=rule.pk, note="ok", idempotency_key="k")
    assert not PointsEntry.objects.exists()


@pytest.mark.django_db
def test_the_exceptions_list_what_cites_no_rule(client, world):
    give(world.mentor, world.trainee, points=5)  # everyday recognition: from the allowance, no rule needed
    apply_rule(
        user=world.hr, employee_id=world.trainee.pk, rule_id=_rule("customer-praise").pk, note="x", idempotency_key="k"
    )
    award, _ = ledger.record(kind=EntryKind.AWARD, employee=world.trainee, points=50, source_ref="award:1")
    special, _ = ledger.record(kind=EntryKind.GRANT, employee=world.mentor, points=15, source_ref="manual:1")
    penalty, _ = ledger.record(kind=EntryKind.PENALTY, employee=world.mentor, points=-5, source_ref="manual:2")
    assert {e.pk for e in selectors.exceptions()} == {award.pk, special.pk, penalty.pk}
    assert [e.pk for e in selectors.exceptions(kind="award")] == [award.pk]
    client.force_login(world.hr)
    page = client.get(reverse("incentives:rules-exceptions"))
    assert page.status_code == 200 and page.text.count("data-entry=") == 3


@pytest.mark.django_db
def test_the_apply_page_writes_one_entry_on_a_double_click(client, world):
    client.force_login(world.supervisor.user)
    form = client.get(reverse("incentives:rules-apply")).context["form"]
    data = {
        "employee_number": world.trainee.employee_number,
        "rule": _rule("customer-praise").pk,
        "note": "Named praise",
        "idempotency_key": form["idempotency_key"].initial,
    }
    assert client.post(reverse("incentives:rules-apply"), data).status_code == 302
    assert client.post(reverse("incentives:rules-apply"), data).status_code == 302
    assert PointsEntry.objects.filter(rule__code="customer-praise").count() == 1
    wrong = client.post(
        reverse("incentives:rules-apply"), {**data, "employee_number": world.other_trainee.employee_number}
    )
    assert wrong.status_code == 200 and "No one with this number" in wrong.text
