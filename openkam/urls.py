from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from openkam.service import views as service_views
from openkam.surveys import views as survey_views

admin.site.site_header = _("OpenKAM back office")
admin.site.site_title = _("OpenKAM back office")
admin.site.index_title = _("Data administration")

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("accounts/", include("openkam.web.accounts.urls")),
    path("account-teams/", include("openkam.accounts.urls")),
    path("relationships/", include("openkam.web.relationships.urls")),
    path("interactions/", include("openkam.interactions.urls")),
    path("plans/", include("openkam.plans.urls")),
    path("retention/", include("openkam.retention.urls")),
    path("governance/", include("openkam.governance.urls")),
    path("alerts/", include("openkam.alerts.urls")),
    path("contracts/", include("openkam.contracts.urls")),
    path("pipeline/", include("openkam.pipeline.urls")),
    path("performance/", include("openkam.performance.urls")),
    path("service/", include("openkam.service.urls")),
    path("surveys/", include("openkam.surveys.urls")),
    # A survey recipient's personal link: public, no login (openkam/surveys/views.answer).
    path("s/<str:token>/", survey_views.answer, name="survey_answer"),
    # A resolved case's rating link: public, no login (openkam/service/views.rate).
    path("r/<str:token>/", service_views.rate, name="case_rating"),
    path("imports/", include("openkam.imports.urls")),
    path("api/v1/", include("openkam.api.urls")),
    path("", include("openkam.web.urls")),
]
