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
    # A plan's targets (its own, linked, their assessment) and parties: edited and removed on the plan's page.
    path("<int:pk>/targets/linked/", views.linked_target_add, name="linked_target_add"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
    path("targets/<int:pk>/assess/", views.target_assess, name="target_assess"),
    path("<int:pk>/signatories/", views.signatory_add, name="signatory_add"),
    path("signatories/<int:pk>/edit/", views.signatory_edit, name="signatory_edit"),
    path("signatories/<int:pk>/remove/", views.signatory_remove, name="signatory_remove"),
    # campaigns (issue 19)
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/events/", campaign_views.campaign_event_add, name="campaign_event_add"),
    path("campaigns/<int:pk>/tasks/", campaign_views.campaign_task_assign, name="campaign_task_assign"),
    path("campaigns/<int:pk>/request/", campaign_views.campaign_reports_request, name="campaign_reports_request"),
    path("campaigns/<int:pk>/rollup/", campaign_views.campaign_rollup, name="campaign_rollup"),
    path("campaigns/<int:pk>/rollup.xlsx", campaign_views.campaign_rollup_xlsx, name="campaign_rollup_xlsx"),
    path("campaigns/reports/<int:pk>/", campaign_views.campaign_report, name="campaign_report"),
]

# Meetings and periodic reports (issue 19).
from apps.plans import meeting_views, report_views  # noqa: E402

urlpatterns += [
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", meeting_views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attendees/", meeting_views.meeting_attendee, name="meeting_attendee"),
    path("meetings/<int:pk>/decisions/", meeting_views.meeting_decision, name="meeting_decision"),
    path("meetings/<int:pk>/issue/", meeting_views.meeting_issue, name="meeting_issue"),
    path("meetings/<int:pk>/minutes.docx", meeting_views.meeting_docx, name="meeting_docx"),
    path("reports/", report_views.report_list, name="reports"),
    path("reports/schedules/new/", report_views.schedule_new, name="report_schedule_new"),
    path("reports/schedules/<int:pk>/new/", report_views.report_new, name="report_new"),
    path("reports/<int:pk>/", report_views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/refresh/", report_views.report_refresh, name="report_refresh"),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", report_views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", report_views.report_return, name="report_return"),
    path("reports/<int:pk>/reopen/", report_views.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/report.docx", report_views.report_docx, name="report_docx"),
    path("reports/<int:pk>/figures.xlsx", report_views.report_xlsx, name="report_xlsx"),
]
