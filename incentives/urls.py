from django.urls import path

from .views import recognition as recognition_views
from .views import rewards as reward_views

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
]
