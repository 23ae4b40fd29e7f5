from django.urls import path

from . import views

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
]
