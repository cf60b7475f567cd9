from django.urls import path

from openkam.web.accounts import competitors, edit, exports, views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/tab/<slug:tab>/", views.account_tab, name="tab"),
    path("export.<str:fmt>", exports.account_list_export, name="export"),
    path("new/", edit.account_create, name="create"),
    path("<int:pk>/facts/<slug:kind>/new/", edit.fact_add, name="fact_add"),
    path("<int:pk>/facts/<slug:kind>/<int:item>/", edit.fact_edit, name="fact_edit"),
    path("<int:pk>/facts/<slug:kind>/<int:item>/delete/", edit.fact_delete, name="fact_delete"),
    path("competitors/", competitors.competitor_list, name="competitors"),
    path("competitors/<int:pk>/", competitors.competitor_detail, name="competitor"),
]
