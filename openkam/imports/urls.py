from django.urls import path

from openkam.imports import exports, views

app_name = "imports"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("export.<str:fmt>", exports.run_list_export, name="export"),
    path("upload/", views.run_upload, name="upload"),
    path("columns/", views.column_reference, name="columns"),
    path(
        "template/<str:kind>-<str:language>.<str:fmt>",
        views.column_template,
        name="template",
    ),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/progress/", views.run_progress, name="progress"),
    path("<int:pk>/rejected.csv", views.run_rejected_file, name="rejected"),
    path("<int:pk>/retry/", views.run_retry, name="retry"),
    path("matches/", views.match_list, name="matches"),
    path("matches/export.<str:fmt>", exports.match_list_export, name="matches_export"),
    path("matches/<int:pk>/decide/", views.match_decide, name="match_decide"),
    path("assign/", views.account_assign, name="assign"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/export.<str:fmt>", exports.duplicate_list_export, name="duplicates_export"),
    path("duplicates/merge/", views.merge_create, name="merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
