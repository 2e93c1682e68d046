from django.urls import path

from apps.plans import views

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
]
