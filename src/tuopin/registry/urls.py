from django.urls import path

from . import views
from .upkeep import duplicate_views, review_views
from .upkeep import views as upkeep_views

app_name = "registry"
urlpatterns = [
    path("areas/", views.area_browser, name="areas"),
    path("areas/<str:code>/", views.area_browser, name="area"),
    path("households/", views.household_list, name="households"),
    path("households/export/", views.household_export, name="export"),
    path("people/", views.people_search, name="people"),
    path("import/", views.registry_import, name="import"),
    path("import/template.csv", views.import_template_csv, name="import_template"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
    path("import/<int:job_id>/errors.csv", views.import_job_errors, name="import_job_errors"),
    path("import/<int:job_id>/resume", views.import_job_resume, name="import_job_resume"),
    path("households/<str:household_no>/", views.household_detail, name="household"),
    path("households/<str:household_no>/status/", views.household_status, name="status"),
    path("households/<str:household_no>/members/", views.member_status, name="member_status"),
    # Registry upkeep (issue 18): change requests, review, duplicates, eligibility.
    path(
        "households/<str:household_no>/requests/new/", upkeep_views.file_request, name="request_new"
    ),
    path("requests/", upkeep_views.request_list, name="requests"),
    path("requests/<int:request_id>/", upkeep_views.request_detail, name="request"),
    path("requests/<int:request_id>/decide", upkeep_views.request_decide, name="request_decide"),
    path("requests/<int:request_id>/refile", upkeep_views.request_refile, name="request_refile"),
    path(
        "requests/<int:request_id>/evidence/<int:position>",
        upkeep_views.request_evidence,
        name="request_evidence",
    ),
    path(
        "people/<int:person_id>/eligibility/", upkeep_views.person_eligibility, name="eligibility"
    ),
    path("review/", review_views.rounds, name="reviews"),
    path("review/<int:round_id>/", review_views.round_progress, name="review"),
    path("review/<int:round_id>/changes/", review_views.round_changes, name="review_changes"),
    path("review/<int:round_id>/<str:code>/", review_views.village, name="review_village"),
    path("review/<int:round_id>/<str:code>/notice", review_views.notice, name="review_notice"),
    path("review/<int:round_id>/<str:code>/file", review_views.file_village, name="review_file"),
    path("review/<int:round_id>/<str:code>/decide", review_views.decide, name="review_decide"),
    path("review/items/<int:item_id>/facts", review_views.facts, name="review_facts"),
    path("review/items/<int:item_id>/objections", review_views.objection, name="review_objection"),
    path(
        "review/items/<int:item_id>/evidence/<int:position>/",
        review_views.item_evidence,
        name="review_evidence",
    ),
    path(
        "review/objections/<int:objection_id>/resolve",
        review_views.resolve,
        name="review_resolve",
    ),
    path("duplicates/", duplicate_views.candidates, name="duplicates"),
    path("duplicates/<int:a>/<int:b>/", duplicate_views.compare, name="duplicate_compare"),
    path(
        "duplicates/<int:a>/<int:b>/different",
        duplicate_views.different,
        name="duplicate_different",
    ),
    path("duplicates/<int:a>/<int:b>/merge", duplicate_views.merge, name="duplicate_merge"),
]
