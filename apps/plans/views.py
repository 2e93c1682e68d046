from django.http import HttpResponse


def _stub(request, pk=None):
    return HttpResponse("")


plan_list = plan_new = plan_detail = plan_edit = target_add = task_add = plan_submit = plan_amend = _stub
plan_confirm = plan_issue = plan_docx = schedule_xlsx = signatory_agree = signatory_paper = _stub
task_list = late_xlsx = task_calendar = task_detail = task_status = task_comment = task_evidence = _stub
evidence_download = _stub
