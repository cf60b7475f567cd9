from django.urls import path

from openkam.web.relationships import exports, views

app_name = "relationships"
urlpatterns = [
    path("accounts/<int:pk>/", views.relationship_map, name="map"),
    path("accounts/<int:pk>/panels/", views.panels, name="panels"),
    path(
        "accounts/<int:pk>/contacts.<str:fmt>", exports.contact_list_export, name="contacts_export"
    ),
    path("accounts/<int:pk>/record-stage/", views.record_stage, name="record_stage"),
    path("accounts/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/active/", views.contact_active, name="contact_active"),
    path("contacts/<int:pk>/<str:field>/edit/", views.contact_field, name="contact_field"),
    path("contacts/<int:pk>/<str:field>/", views.contact_cell, name="contact_cell"),
]
