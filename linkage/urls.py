from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    # pages (library, playbook, my linkage, team acknowledgements)
    path("", views.library, name="library"),
    path("mine/", views.mine, name="mine"),
    path("team/acknowledgements/", views.team_acknowledgements, name="team-acknowledgements"),
    path("playbooks/<slug:code>/", views.playbook, name="playbook"),
    path("playbooks/<slug:code>/v<int:number>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("playbooks/<slug:code>/v<int:number>/comments/", views.comment, name="comment"),
    path("comments/<int:pk>/answer/", views.answer, name="comment-answer"),
]
