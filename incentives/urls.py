from django.urls import path

from .views import honours as honour_views
from .views import pk as pk_views
from .views import pulse as pulse_views
from .views import recognition as recognition_views
from .views import rewards as reward_views
from .views import rituals as rituals_views
from .views import rules as rules_views

app_name = "incentives"

urlpatterns = [
    # recognition and points (issue 15 §1–§3)
    path("give/", recognition_views.give, name="give"),
    path("wall/", recognition_views.wall, name="wall"),
    path("recognitions/<int:pk>/react/", recognition_views.react, name="react"),
    path("points/", recognition_views.my_points, name="my-points"),
    # reward catalogue and redemptions (issue 15 §2)
    path("rewards/", reward_views.rewards, name="rewards"),
    path("rewards/<int:pk>/redeem/", reward_views.redeem, name="reward-redeem"),
    path("redemptions/", reward_views.redemptions, name="redemptions"),
    path("redemptions/<int:pk>/decide/", reward_views.redemption_decide, name="redemption-decide"),
    # honours (helper adds below this line)
    path("honours/", honour_views.programmes, name="honours"),
    path("honours/programmes/<int:pk>/", honour_views.programme, name="honours-programme"),
    path("honours/programmes/<int:pk>/nominate/", honour_views.nominate, name="honours-nominate"),
    path("honours/nominations/<int:pk>/decide/", honour_views.decide, name="honours-decide"),
    path("honours/mine/", honour_views.my_honours, name="my-honours"),
    path("honours/people/<int:pk>/", honour_views.person, name="honours-person"),
    # pk (helper adds below this line)
    path("pk/", pk_views.competitions, name="pk-list"),
    path("pk/new/", pk_views.create, name="pk-create"),
    path("pk/<int:pk>/", pk_views.detail, name="pk-detail"),
    path("pk/<int:pk>/results/", pk_views.results, name="pk-results"),
    path("pk/<int:pk>/close/", pk_views.close, name="pk-close"),
    path("pk/<int:pk>/split/", pk_views.split, name="pk-split"),
    # pulse (helper adds below this line)
    path("pulse/", pulse_views.pulse, name="pulse"),
    path("pulse/results/", pulse_views.results, name="pulse-results"),
    path("balance/", pulse_views.balance, name="balance"),
    # joining and leaving rituals (issue 15 §1)
    path("cards/<int:pk>/", rituals_views.card, name="card"),
    # rules as written (issue 15 §8)
    path("rules/", rules_views.catalogue, name="rules"),
    path("rules/apply/", rules_views.apply, name="rules-apply"),
    path("rules/exceptions/", rules_views.exceptions, name="rules-exceptions"),
]
