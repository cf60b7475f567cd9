from django.urls import path

from openkam.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("accounts/<int:account_id>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/step/<str:step>/", views.step, name="step"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
