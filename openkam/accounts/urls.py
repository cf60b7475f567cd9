from django.urls import path

from openkam.accounts import views

app_name = "account_team"
urlpatterns = [
    path("<int:pk>/", views.team_card, name="card"),
    path("<int:pk>/add/", views.member_add, name="add"),
    path("<int:pk>/history/", views.team_history, name="history"),
    path("members/<int:pk>/", views.member_change, name="change"),
    path("members/<int:pk>/remove/", views.member_remove, name="remove"),
]
