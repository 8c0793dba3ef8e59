from django.urls import path

from .views import followup as followup_views
from .views import initiatives as initiative_views
from .views import suggestions as suggestion_views
from .views import tasks as task_views

app_name = "improvement"

urlpatterns = [
    # suggestions (helper s adds below this line)
    path("suggestions/", suggestion_views.box, name="suggestions"),
    path("suggestions/new/", suggestion_views.suggestion_new, name="suggestion-new"),
    path("suggestions/triage/", suggestion_views.triage, name="suggestion-triage"),
    path("suggestions/participation/", suggestion_views.participation, name="suggestion-participation"),
    path("suggestions/campaigns/", suggestion_views.campaigns, name="suggestion-campaigns"),
    path("suggestions/campaigns/new/", suggestion_views.campaign_new, name="suggestion-campaign-new"),
    path("suggestions/<int:pk>/", suggestion_views.suggestion, name="suggestion"),
    path("suggestions/<int:pk>/support/", suggestion_views.suggestion_support, name="suggestion-support"),
    path("suggestions/<int:pk>/follow/", suggestion_views.suggestion_follow, name="suggestion-follow"),
    path("suggestions/<int:pk>/comment/", suggestion_views.suggestion_comment, name="suggestion-comment"),
    path("suggestions/<int:pk>/move/", suggestion_views.suggestion_move, name="suggestion-move"),
    path("suggestions/<int:pk>/merge/", suggestion_views.suggestion_merge, name="suggestion-merge"),
    # initiatives (helper p adds below this line)
    path("initiatives/", initiative_views.initiatives, name="initiatives"),
    path("initiatives/new/", initiative_views.initiative_new, name="initiative-new"),
    path("initiatives/<int:pk>/", initiative_views.initiative, name="initiative"),
    path("initiatives/<int:pk>/edit/", initiative_views.initiative_edit, name="initiative-edit"),
    path("initiatives/<int:pk>/move/", initiative_views.initiative_move, name="initiative-move"),
    path("initiatives/<int:pk>/decide/", initiative_views.initiative_decide, name="initiative-decide"),
    # tasks (helper t adds below this line)
    path("tasks/", task_views.my_tasks, name="tasks"),
    path("tasks/team/", task_views.team_tasks, name="team-tasks"),
    path("tasks/new/", task_views.task_new, name="task-new"),
    path("tasks/<int:pk>/", task_views.task, name="task"),
    path("tasks/<int:pk>/answer/", task_views.task_answer, name="task-answer"),
    path("tasks/<int:pk>/understood/", task_views.task_understood, name="task-understood"),
    path("tasks/<int:pk>/start/", task_views.task_start, name="task-start"),
    path("tasks/<int:pk>/finish/", task_views.task_finish, name="task-finish"),
    path("tasks/<int:pk>/cancel/", task_views.task_cancel, name="task-cancel"),
    path("tasks/<int:pk>/raise/", task_views.task_raise, name="task-raise"),
    path("tasks/stages/<int:pk>/complete/", task_views.stage_complete, name="task-stage-complete"),
    path("tasks/stages/<int:pk>/delegate/", task_views.stage_delegate, name="task-stage-delegate"),
    # follow-up and coaching for every agent
    path("follow-up/", followup_views.people_list, name="followup"),
    path("follow-up/leads/", followup_views.leads, name="followup-leads"),
    path("follow-up/<int:pk>/", followup_views.person, name="followup-person"),
    path("follow-up/<int:pk>/log/", followup_views.log_new, name="followup-log"),
    path("follow-up/corrections/<int:pk>/done/", followup_views.correction_done, name="followup-correction-done"),
]
