from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("", views.index, name="index"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/<slug:type_slug>/", views.file, name="file"),
    path("approve/", views.approve_area, name="approve_area"),
    path("reports/<slug:type_slug>/", views.report, name="report"),
    path("reports/<slug:type_slug>/export.xlsx", views.export, name="export"),
    path("<int:submission_id>/", views.submission, name="submission"),
    path("<int:submission_id>/decide", views.decide, name="decide"),
    path("<int:submission_id>/photos/<int:use_id>", views.photo, name="photo"),
    path("<int:returned_id>/edit/", views.refile, name="refile"),
]
