"""Routes of dropout cases and the hotline, included in the retention namespace (apps/retention/urls.py)."""

from django.urls import path

from apps.retention import case_views, hotline_views

urlpatterns = [
    path("cases/", case_views.case_list, name="cases"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/update/", case_views.case_update, name="case_update"),
    path("cases/<int:pk>/interventions/", case_views.case_intervention, name="case_intervention"),
    path("cases/<int:pk>/follow-ups/", case_views.case_follow_up, name="case_follow_up"),
    path("cases/<int:pk>/close/", case_views.case_close, name="case_close"),
    path("cases/<int:pk>/confirm/", case_views.case_confirm, name="case_confirm"),
    path("hotline/", hotline_views.public_report, name="hotline"),
    path("hotline/status/", hotline_views.public_status, name="hotline_status"),
    path("hotline/intake/", hotline_views.intake, name="hotline_intake"),
    path("hotline/reports/", hotline_views.report_list, name="hotline_reports"),
    path("hotline/reports/<int:pk>/", hotline_views.report_detail, name="hotline_report"),
    path("hotline/reports/<int:pk>/accept/", hotline_views.report_accept, name="hotline_accept"),
    path("hotline/reports/<int:pk>/close/", hotline_views.report_close, name="hotline_close"),
    path("hotline/numbers/", hotline_views.numbers, name="hotline_number"),
]

from apps.retention import census_views  # noqa: E402

urlpatterns += [
    path("out-of-school/", census_views.out_of_school_list, name="out_of_school"),
    path("children/<int:pk>/merge/", census_views.child_merge, name="child_merge"),
    path("children/<int:pk>/case/", census_views.child_case, name="child_case"),
]
urlpatterns += [
    path("phase-1/", census_views.phase1_lists, name="phase1"),
    path("children/<int:pk>/steering/", census_views.steering_new, name="steering_new"),
]
urlpatterns += [path("cases/<int:pk>/link/", case_views.case_link, name="case_link")]
