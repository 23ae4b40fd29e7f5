from django.urls import path

from . import dashboard_views, report_views, views

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
    path("reports/partners/", report_views.partner_imports, name="partner_imports"),
    path("reports/partners/<int:import_id>/", report_views.partner_import, name="partner_import"),
    path(
        "dashboard/export.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
]
