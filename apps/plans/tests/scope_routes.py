"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns. The walk's matrix has no column
for plans or tasks: a plan's and a task's pages are walked by `apps/plans/tests/test_views.py` against the cast
(the principal, the commune, a teacher of another school, the partner officer of one organisation and not of
another), so they are declared "skip" here; the lists, the calendar and the late list are walked."""

ROUTES = {
    "plans:list": ("GET", None, "signed_in"),
    "plans:new": ("GET", None, "skip"),  # test_views: only those who may write a plan (404 for the others)
    "plans:detail": ("GET", None, "skip"),
    "plans:edit": ("GET", None, "skip"),
    "plans:target_add": ("POST", None, "skip"),
    "plans:task_add": ("POST", None, "skip"),
    "plans:submit": ("POST", None, "skip"),
    "plans:amend": ("POST", None, "skip"),
    "plans:confirm": ("POST", None, "skip"),
    "plans:issue": ("POST", None, "skip"),
    "plans:docx": ("GET", None, "skip"),
    "plans:schedule_xlsx": ("GET", None, "skip"),
    "plans:agree": ("POST", None, "skip"),
    "plans:paper": ("POST", None, "skip"),
    "plans:tasks": ("GET", None, "signed_in"),
    "plans:late_xlsx": ("GET", None, "signed_in"),
    "plans:calendar": ("GET", None, "signed_in"),
    "plans:task": ("GET", None, "skip"),
    "plans:task_status": ("POST", None, "skip"),
    "plans:task_comment": ("POST", None, "skip"),
    "plans:task_evidence": ("POST", None, "skip"),
    "plans:evidence": ("GET", None, "skip"),
    "plans:linked_target_add": ("POST", None, "skip"),
    "plans:target_edit": ("GET", None, "skip"),
    "plans:target_remove": ("POST", None, "skip"),
    "plans:target_assess": ("POST", None, "skip"),
    "plans:signatory_add": ("POST", None, "skip"),
    "plans:signatory_edit": ("GET", None, "skip"),
    "plans:signatory_remove": ("POST", None, "skip"),
    "api:list_plans": ("GET", None, "api"),
    "api:list_plan_targets": ("GET", None, "skip"),
    "api:list_plan_tasks": ("GET", None, "skip"),
    "api:list_tasks": ("GET", None, "api"),
    "api:set_task_status": ("POST", None, "skip"),
}

LISTS = {}
