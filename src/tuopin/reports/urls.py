from django.urls import path

from . import dashboard_views, editorial_views, report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("review/", dashboard_views.review, name="review"),
    path("reports/", report_views.reports, name="work_reports"),
    path("reports/generate", report_views.generate, name="work_report_generate"),
    path("reports/<int:report_id>/", report_views.report, name="work_report"),
    path("reports/<int:report_id>/report.pdf", report_views.report_pdf, name="work_report_pdf"),
    path("reports/<int:report_id>/publish", report_views.publish, name="work_report_publish"),
    path("reports/chronicle/", editorial_views.chronicle, name="chronicle"),
    path("reports/chronicle/add", editorial_views.chronicle_add, name="chronicle_add"),
    path(
        "reports/chronicle/<int:event_id>/remove",
        editorial_views.event_remove,
        name="event_remove",
    ),
    path("reports/cases/", editorial_views.cases, name="featured_cases"),
    path("reports/cases/<int:featured_id>/", editorial_views.case, name="featured_case"),
    path(
        "reports/cases/<int:featured_id>/photo", editorial_views.case_photo, name="featured_photo"
    ),
    path(
        "reports/cases/<int:featured_id>/remove",
        editorial_views.case_remove,
        name="featured_case_remove",
    ),
    path("reports/partners/", report_views.partner_imports, name="partner_imports"),
    path("reports/partners/<int:import_id>/", report_views.partner_import, name="partner_import"),
    path(
        "dashboard/export.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
]
