from django.urls import path

from . import committee_views, views

app_name = "selection"
urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("mine/", views.mine, name="mine"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:assignment_id>/", views.review, name="review"),
    path("applications/<int:application_id>/", views.application, name="application"),
    path("awards/<uuid:award_token>/", views.award, name="award"),
    path("certificates/", views.verify, name="verify"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path("cohorts/<slug:cohort_slug>/", committee_views.cohort, name="cohort"),
    path("hiring/", committee_views.hiring_funnel, name="hiring"),
    path("p/<slug:programme_slug>/", views.results, name="results"),
    path("p/<slug:programme_slug>/apply/", views.apply, name="apply"),
    path("p/<slug:programme_slug>/committee/", committee_views.committee, name="committee"),
]
