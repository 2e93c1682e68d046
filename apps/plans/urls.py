from django.urls import path

from apps.plans import campaign_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/targets/", views.target_add, name="target_add"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/amend/", views.plan_amend, name="amend"),
    path("<int:pk>/confirm/", views.plan_confirm, name="confirm"),
    path("<int:pk>/issue/", views.plan_issue, name="issue"),
    path("<int:pk>/plan.docx", views.plan_docx, name="docx"),
    path("<int:pk>/schedule.xlsx", views.schedule_xlsx, name="schedule_xlsx"),
    path("signatories/<int:pk>/agree/", views.signatory_agree, name="agree"),
    path("signatories/<int:pk>/paper/", views.signatory_paper, name="paper"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/late.xlsx", views.late_xlsx, name="late_xlsx"),
    path("tasks/calendar/", views.task_calendar, name="calendar"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<int:pk>/evidence/", views.task_evidence, name="task_evidence"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    # campaigns (issue 19)
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/events/", campaign_views.campaign_event_add, name="campaign_event_add"),
    path("campaigns/<int:pk>/tasks/", campaign_views.campaign_task_assign, name="campaign_task_assign"),
    path("campaigns/<int:pk>/request/", campaign_views.campaign_reports_request, name="campaign_reports_request"),
    path("campaigns/<int:pk>/rollup/", campaign_views.campaign_rollup, name="campaign_rollup"),
    path("campaigns/<int:pk>/rollup.xlsx", campaign_views.campaign_rollup_xlsx, name="campaign_rollup_xlsx"),
    path("campaigns/reports/<int:pk>/", campaign_views.campaign_report, name="campaign_report"),
]
