from django.urls import path

from openkam.interactions import exports, views

app_name = "interactions"
urlpatterns = [
    path("", views.interaction_list, name="list"),
    path("export.<str:fmt>", exports.interaction_list_export, name="export"),
    path("my-week/", views.my_week, name="my_week"),
    path("cadence/", views.cadence, name="cadence"),
    path("accounts/<int:pk>/export.<str:fmt>", exports.timeline_export, name="timeline_export"),
    path("accounts/<int:pk>/", views.timeline, name="timeline"),
    path("accounts/<int:pk>/log/", views.log, name="log"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/next-step-done/", views.next_step_done, name="next_step_done"),
]
