from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.auth import LoginView
from staff import views as staff_views


def not_found(request, exception):
    """An unknown address under /api/ answers like the API (JSON ``{"detail": …}``, as documented), any other
    the site's page. Django calls this with DEBUG off."""
    from django.http import JsonResponse
    from django.utils.translation import gettext
    from django.views import defaults

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = not_found


def favicon(request):
    """Pages name their icon (base.html, admin/base_site.html); this answers browsers that ask the site root."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", staff_views.home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("staff.urls")),
    path("training/", include("training.urls")),
    path("kpis/", include("kpis.urls")),
    path("linkage/", include("linkage.urls")),
    path("improvement/", include("improvement.urls")),
    path("incentives/", include("incentives.urls")),
    path("insights/", include("insights.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from a URL (?script), not inline: the Content-Security-Policy allows none.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
