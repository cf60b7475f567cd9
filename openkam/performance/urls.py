from __future__ import annotations

from django.urls import path

from openkam.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/target/", views.team_target, name="team_target"),
    path("targets/<int:pk>/decompose/", views.decompose, name="decompose"),
    path("targets/<int:pk>/submit/", views.submit, name="submit"),
    path("targets/<int:pk>/approve/", views.approve, name="approve"),
]
