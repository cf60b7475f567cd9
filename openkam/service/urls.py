from django.urls import path

from openkam.service import views

app_name = "service"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("accounts/<int:account_id>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/move/", views.move, name="move"),
    path("accounts/<int:account_id>/trainings/new/", views.training_create, name="training_create"),
    path("trainings/<int:pk>/", views.training_edit, name="training_edit"),
]
