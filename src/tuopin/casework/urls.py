from django.urls import path

from . import support_views, views

app_name = "casework"
urlpatterns = [
    path("", views.index, name="index"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/<slug:type_slug>/", views.file, name="file"),
    path("approve/", views.approve_area, name="approve_area"),
    path("nothing/", views.nil_return, name="nil_return"),
    path("reports/<slug:type_slug>/", views.report, name="report"),
    path("reports/<slug:type_slug>/export.xlsx", views.export, name="export"),
    path("<int:submission_id>/", views.submission, name="submission"),
    path("<int:submission_id>/decide", views.decide, name="decide"),
    path("<int:submission_id>/photos/<int:use_id>", views.photo, name="photo"),
    path("<int:returned_id>/edit/", views.refile, name="refile"),
    path("<int:submission_id>/forward", support_views.forward, name="forward"),
    path("cases/", support_views.cases, name="cases"),
    path("cases/<int:case_id>/", support_views.case, name="case"),
    path("disbursements/", support_views.disbursements, name="disbursements"),
    path("disbursements/<int:disbursement_id>/", support_views.disbursement, name="disbursement"),
    path(
        "households/<str:household_no>/support/",
        support_views.household_support,
        name="household_support",
    ),
]
