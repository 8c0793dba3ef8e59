"""The role-linkage defaults shipped with the product (DOMAIN §4, seed 000).

defaults.json holds, in English and Simplified Chinese: the linkage roles with the codes of the positions that
hold them, the signal glossary (暗语 / 手势), and the seed's two chains — marketing 发掘 → 引导 → 精讲 and incident
预警 → 调解 → 稳控 — each shipped as a published version 1 with its steps and branch.

apply_defaults() goes through the shipped-data loader (training.shipped). It takes an app registry, so the data
migration passes its historical ``apps`` and the load_linkage_defaults command passes django.apps.apps.
Applying again restores the shipped texts of roles, signals and playbook names, and maps each role to the
positions that exist by then (a fresh database has none; the demo or HR adds them later). A playbook that exists
keeps its versions untouched: a published version never changes (issue 12 §3).
"""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from training.shipped import Loader, pick, read_json

DATA_PATH = Path(__file__).resolve().with_name("defaults.json")
SHIPPED_REASON = "Shipped default"

ROLE_TEXTS = ("name_en", "name_zh")
SIGNAL_TEXTS = ("name_en", "name_zh", "meaning_en", "meaning_zh")
PLAYBOOK_TEXTS = ("name_en", "name_zh")
VERSION_FIELDS = ("topic_en", "topic_zh", "trigger_en", "trigger_zh", "keywords")
STEP_FIELDS = (
    "order",
    "code",
    "name_en",
    "name_zh",
    "guidance_en",
    "guidance_zh",
    "is_scripted",
    "handoff_en",
    "handoff_zh",
    "expected_seconds",
)


def load_defaults(path=DATA_PATH):
    """The shipped roles, signals and playbooks as a dict, checked."""
    data = read_json(path)
    _check(data)
    return data


def _check(data):
    roles = {role["code"] for role in data["roles"]}
    signals = {signal["code"] for signal in data["signals"]}
    steps = {(playbook["code"], step["code"]) for playbook in data["playbooks"] for step in playbook["steps"]}
    for playbook in data["playbooks"]:
        orders = [step["order"] for step in playbook["steps"]]
        if len(orders) != len(set(orders)):
            raise ValueError(f"defaults.json: step orders of {playbook['code']} must be unique.")
        for step in playbook["steps"]:
            where = f"defaults.json: step {playbook['code']}/{step['code']}"
            if step["owner"] not in roles:
                raise ValueError(f"{where} has an unknown owner.")
            if step["receiver"] is not None and step["receiver"] not in roles:
                raise ValueError(f"{where} has an unknown receiving role.")
            if step["signal"] is not None and step["signal"] not in signals:
                raise ValueError(f"{where} has an unknown signal.")
            if bool(step["handoff_en"]) != (step["receiver"] is not None):
                raise ValueError(f"{where}: a hand-off criterion goes with a receiving role.")
            for branch in step.get("branches", []):
                if (branch["playbook"], branch["step"]) not in steps:
                    raise ValueError(f"{where} branches to an unknown step.")


@transaction.atomic
def apply_defaults(apps, data=None):
    """Upsert the shipped roles (mapped to the positions present), signals and playbooks; a playbook that is
    missing is created with its published version 1, steps, branches and publication event. Returns the Counts
    of rows created, updated and unchanged."""
    data = load_defaults() if data is None else data
    loader = Loader()
    roles = _apply_roles(apps, loader, data["roles"])
    signals = {
        item["code"]: loader.upsert(
            apps.get_model("linkage", "Signal"),
            {"code": item["code"]},
            pick(item, SIGNAL_TEXTS),
            {"kind": item["kind"]},
        )[0]
        for item in data["signals"]
    }
    Playbook = apps.get_model("linkage", "Playbook")
    steps, branches = {}, []
    for item in data["playbooks"]:
        playbook, is_new = loader.upsert(
            Playbook, {"code": item["code"]}, pick(item, PLAYBOOK_TEXTS), {"kind": item["kind"]}
        )
        if is_new:
            steps.update(_publish_version_one(apps, loader, playbook, item, roles, signals))
            branches += [(item["code"], step, branch) for step in item["steps"] for branch in step.get("branches", [])]
    Branch = apps.get_model("linkage", "Branch")
    for playbook_code, step, branch in branches:
        target = steps.get((branch["playbook"], branch["step"]))
        if target is None:  # the target's playbook existed already: its published steps are not ours to link
            continue
        Branch.objects.create(
            step=steps[(playbook_code, step["code"])],
            target=target,
            condition_en=branch["condition_en"],
            condition_zh=branch["condition_zh"],
        )
        loader.created += 1
    return loader.counts


def _apply_roles(apps, loader, items):
    """The shipped roles by code, each mapped (added to, never removed from) to the positions that exist."""
    Position = apps.get_model("staff", "Position")
    positions = {position.code: position for position in Position.objects.all()}
    roles = {}
    for item in items:
        role, _ = loader.upsert(
            apps.get_model("linkage", "LinkageRole"),
            {"code": item["code"]},
            pick(item, ROLE_TEXTS),
            _role_defaults(apps, item),
        )
        present = [positions[code] for code in item["positions"] if code in positions]
        if present:
            role.positions.add(*present)
        roles[item["code"]] = role
    return roles


def _role_defaults(apps, item):
    """Set when a role is created: its order, and its scope once the model has one (migration 0003)."""
    values = {"order": item["order"]}
    fields = {field.name for field in apps.get_model("linkage", "LinkageRole")._meta.get_fields()}
    if "scope" in fields:
        values["scope"] = item.get("scope", "team")
    return values


def _publish_version_one(apps, loader, playbook, item, roles, signals):
    """Version 1 of a new shipped playbook, published at once with its steps; returns its steps by
    (playbook code, step code)."""
    version = apps.get_model("linkage", "PlaybookVersion").objects.create(
        playbook=playbook, number=1, status="published", published_at=timezone.now(), **pick(item, VERSION_FIELDS)
    )
    apps.get_model("linkage", "VersionEvent").objects.create(
        version=version, from_status="", to_status="published", actor=None, reason=SHIPPED_REASON
    )
    Indicator = apps.get_model("training", "Indicator")
    Step = apps.get_model("linkage", "Step")
    steps = {}
    for step in item["steps"]:
        row = Step.objects.create(
            version=version,
            owner=roles[step["owner"]],
            receiver=roles.get(step["receiver"]),
            signal=signals.get(step["signal"]),
            **pick(step, STEP_FIELDS),
        )
        row.indicators.set(Indicator.objects.filter(code__in=step["indicators"]))
        steps[(playbook.code, step["code"])] = row
    loader.created += 2 + len(steps)
    return steps


@transaction.atomic
def remove_defaults(apps, data=None):
    """Delete the shipped playbooks (with their versions, steps, branches, events, comments, kit and
    acknowledgements), then the shipped signals and roles that no remaining step uses."""
    data = load_defaults() if data is None else data
    Step = apps.get_model("linkage", "Step")
    Branch = apps.get_model("linkage", "Branch")
    PlaybookVersion = apps.get_model("linkage", "PlaybookVersion")
    codes = [item["code"] for item in data["playbooks"]]
    steps = Step.objects.filter(version__playbook__code__in=codes)
    # Branches protect their target, and a version protects the one it supersedes: remove them in that order.
    Branch.objects.filter(step__in=steps).delete()
    Branch.objects.filter(target__in=steps).delete()
    for version in PlaybookVersion.objects.filter(playbook__code__in=codes).order_by("-number"):
        version.delete()
    apps.get_model("linkage", "Playbook").objects.filter(code__in=codes).delete()
    used_signals = Step.objects.exclude(signal=None).values("signal")
    apps.get_model("linkage", "Signal").objects.filter(code__in=[s["code"] for s in data["signals"]]).exclude(
        pk__in=used_signals
    ).delete()
    used_roles = {pk for pair in Step.objects.values_list("owner", "receiver") for pk in pair if pk is not None}
    apps.get_model("linkage", "LinkageRole").objects.filter(code__in=[r["code"] for r in data["roles"]]).exclude(
        pk__in=used_roles
    ).delete()


def give_playbook_activities(apps):
    """Each playbook with a published version as a cycle-3 activity of every program (issue 12 §5), written with
    the registry ``apps`` (the data migration's historical one, or the running one after a flush); the running
    product keeps them in step through linkage.services.onboarding on every publish and retirement."""
    from django.urls import reverse

    from .services.onboarding import ONBOARDING_CYCLE, activity_key, title_of

    Playbook = apps.get_model("linkage", "Playbook")
    CycleTemplate = apps.get_model("training", "CycleTemplate")
    ActivityTemplate = apps.get_model("training", "ActivityTemplate")
    published = Playbook.objects.filter(versions__status="published").distinct()
    for playbook in published:
        for cycle in CycleTemplate.objects.filter(number=ONBOARDING_CYCLE):
            ActivityTemplate.objects.update_or_create(
                cycle=cycle,
                key=activity_key(playbook),
                batch=None,
                defaults={
                    "title_en": title_of(playbook, "en")[:160],
                    "title_zh": title_of(playbook, "zh-hans")[:160],
                    "link": reverse("linkage:playbook", args=[playbook.code]),
                    "kind": "learning",
                    "owner": "trainee",
                    "is_active": True,
                },
            )
