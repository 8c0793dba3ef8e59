from django.urls import path

from .views import coverage, drills, playbooks, role_models

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
]
