from django.urls import path

from . import views
from .claims import views as claim_views

app_name = "insurance"
urlpatterns = [
    path("villages/", views.villages, name="villages"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/rows", views.village_rows, name="village_rows"),
    path("people/<int:person_id>/", views.villager, name="villager"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="programme_edit"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/resume", views.resume_run, name="resume_run"),
    path("claims/", claim_views.claims, name="claims"),
    path("claims/new/", claim_views.claim_new, name="claim_new"),
    path("claims/<int:claim_id>/", claim_views.claim, name="claim"),
    path(
        "claims/<int:claim_id>/documents/<int:document_id>/photo",
        claim_views.claim_photo,
        name="claim_photo",
    ),
    path("claims/status/<uuid:status_token>/", claim_views.claim_status, name="claim_status"),
]
