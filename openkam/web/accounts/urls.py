from django.urls import path

from openkam.web.accounts import exports, views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/tab/<slug:tab>/", views.account_tab, name="tab"),
    path("export.<str:fmt>", exports.account_list_export, name="export"),
]
