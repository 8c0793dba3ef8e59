from django.urls import path

from .views import authority, cases, coverage, drills, playbooks, qa, role_models

app_name = "linkage"

urlpatterns = [
    # pages (library, playbook, my linkage, team acknowledgements)
    path("", playbooks.library, name="library"),
    path("mine/", playbooks.mine, name="mine"),
    path("team/acknowledgements/", playbooks.team_acknowledgements, name="team-acknowledgements"),
    path("playbooks/<slug:code>/", playbooks.playbook, name="playbook"),
    path("playbooks/<slug:code>/v<int:number>/acknowledge/", playbooks.acknowledge, name="acknowledge"),
    path("playbooks/<slug:code>/v<int:number>/comments/", playbooks.comment, name="comment"),
    path("comments/<int:pk>/answer/", playbooks.answer, name="comment-answer"),
    # drill pages, certification and role models (helper C adds below this line)
    path("drills/", drills.drills, name="drills"),
    path("drills/new/", drills.drill_new, name="drill-new"),
    path("drills/<int:pk>/", drills.drill, name="drill"),
    path("drills/<int:pk>/score/", drills.drill_score, name="drill-score"),
    path("drills/<int:pk>/cancel/", drills.drill_cancel, name="drill-cancel"),
    path("people/<int:employee_pk>/playbooks/<slug:code>/certify/", drills.certify, name="certify"),
    path("playbooks/<slug:code>/role-models/new/", role_models.role_model_new, name="role-model-new"),
    path("role-models/<int:pk>/remove/", role_models.role_model_remove, name="role-model-remove"),
    # team coverage and the four abilities (helper B adds below this line)
    path("team/coverage/", coverage.coverage, name="coverage"),
    path("team/abilities/", coverage.abilities, name="abilities"),
    # cases and first-contact ownership (helper A13 adds below this line)
    path("cases/", cases.cases, name="cases"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/handoff/", cases.case_handoff, name="case-handoff"),
    path("cases/<int:pk>/close/", cases.case_close, name="case-close"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case-reopen"),
    path("cases/<int:pk>/notes/", cases.case_note, name="case-note"),
    path("cases/<int:pk>/escalate/", cases.case_escalate, name="case-escalate"),
    path("cases/<int:pk>/follow-ups/", cases.case_follow_up, name="case-follow-up"),
    path("follow-ups/<int:pk>/start/", cases.follow_up_start, name="follow-up-start"),
    path("follow-ups/<int:pk>/finish/", cases.follow_up_finish, name="follow-up-finish"),
    path("handoffs/<int:pk>/back/", cases.handoff_back, name="handoff-back"),
    # authority, coupons and approvals (helper B13 adds below this line)
    path("authority/", authority.authority, name="authority"),
    path("cases/<int:pk>/coupons/new/", authority.coupon_new, name="coupon-new"),
    path("approvals/", authority.approvals, name="approvals"),
    path("approvals/<int:pk>/decide/", authority.approval_decide, name="approval-decide"),
    path("approvals/<int:pk>/withdraw/", authority.request_withdraw, name="request-withdraw"),
    path("ledger/", authority.ledger, name="ledger"),
    path("ledger/<int:pk>/reverse/", authority.issuance_reverse, name="issuance-reverse"),
    # QA spot checks (helper C13 adds below this line)
    path("qa/", qa.queue, name="qa-queue"),
    path("qa/samples/<int:pk>/", qa.sample_review, name="qa-review"),
    path("findings/", qa.findings, name="findings"),
    path("findings/<int:pk>/dispute/", qa.finding_dispute, name="finding-dispute"),
    path("findings/<int:pk>/decide/", qa.finding_decide, name="finding-decide"),
]
