from django.urls import path

from . import views

app_name = "insurance"
urlpatterns = [
    path("villages/", views.villages, name="villages"),
    path("villages/<str:code>/", views.village, name="village"),
    path("people/<int:person_id>/", views.villager, name="villager"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="programme_edit"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/resume", views.resume_run, name="resume_run"),
]
