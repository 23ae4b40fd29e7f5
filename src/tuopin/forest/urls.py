from django.urls import path

from . import friends_views, views, work_views

app_name = "forest"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("collect/", views.collect, name="collect"),
    path("friends/", friends_views.friends, name="friends"),
    path("friends/add/", friends_views.befriend, name="befriend"),
    path("friends/take/", friends_views.take, name="take"),
    path("projects/", views.projects, name="projects"),
    path("projects/<slug:project_slug>/", views.project, name="project"),
    path("projects/<slug:project_slug>/adopt/", views.adopt, name="adopt"),
    path("certificates/<uuid:certificate_token>/", views.certificate, name="certificate"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:project_slug>/", views.manage_project, name="manage_project"),
    path("manage/<slug:project_slug>/open/", views.open_project, name="open"),
    path("manage/<slug:project_slug>/hire/", work_views.hire, name="hire"),
    path("manage/<slug:project_slug>/survival/", work_views.survival, name="survival"),
    path("work/orders/<int:order_id>/record/", work_views.record, name="record"),
    path("figures/", views.figures, name="figures"),
    path("work/", views.work, name="work"),
    path("work/<int:log_id>/approve/", views.approve, name="approve"),
]
