from django.urls import path

from openkam.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("lost/", views.lost, name="lost"),
    path("rules/", views.rules, name="rules"),
    path("alerts/<int:alert_id>/new/", views.create, name="create"),
    path("accounts/<int:pk>/lifecycle/", views.lifecycle, name="lifecycle"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
]
