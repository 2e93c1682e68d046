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
    # campaigns (issue 19): the province's Action Month and commune A's report on it
    "plans:campaigns": ("GET", None, "signed_in"),
    "plans:campaign_new": ("GET", None, "officer"),
    "plans:campaign": ("GET", "campaign", "view"),
    "plans:campaign_event_add": ("POST", "campaign", "change"),
    "plans:campaign_task_assign": ("POST", "campaign", "change"),
    "plans:campaign_reports_request": ("POST", None, "skip"),  # asks every commune: test_campaign_views
    "plans:campaign_rollup": ("GET", "campaign", "change"),  # the receiving body's: readers get 403
    "plans:campaign_rollup_xlsx": ("GET", "campaign", "change"),
    "plans:campaign_report": ("GET", "campaign_report", "view"),
    "api:list_campaigns": ("GET", None, "api"),
    "api:get_campaign": ("GET", "campaign", "view"),
    "api:campaign_rollup": ("GET", "campaign", "change"),
    "api:get_campaign_report": ("GET", "campaign_report", "view"),
    "api:save_campaign_report": ("POST", None, "skip"),  # JSON bodies: test_campaign_views (TestApi)
    "plans:campaign_edit": ("GET", "campaign", "change"),  # readers get 403
    "api:update_campaign": ("PATCH", None, "skip"),  # a JSON body: test_campaign_edit (TestApi)
}

LISTS = {}


def _campaign(cast):
    import datetime

    from apps.plans.models_campaigns import Campaign

    found, _created = Campaign.objects.get_or_create(
        title="Tháng hành động vì sự nghiệp giáo dục (lượt kiểm tra phạm vi)",
        defaults={
            "kind": "action_month",
            "org_unit": cast.province,
            "receiving_unit": cast.province,
            "starts_on": datetime.date(2025, 8, 1),
            "ends_on": datetime.date(2025, 9, 1),
            "report_due_on": datetime.date(2025, 9, 10),
        },
    )
    return found


def _campaign_report(cast):
    from apps.plans.models_campaigns import CampaignReport

    campaign = _campaign(cast)
    found, _created = CampaignReport.objects.get_or_create(
        campaign=campaign, org_unit=cast.commune_a, defaults={"due_on": campaign.report_due_on}
    )
    return found


# The objects campaigns add to the walk: the province's campaign is written by the province's officers and read by
# everyone under the province; commune A's report is filled by its officers and read by the province (which
# compiles it), no one else.
OBJECTS = {
    "campaign": {
        "campaign": (
            _campaign,
            {
                "admin": "C",
                "province_officer": "C",
                "commune_officer": "V",
                "principal_a": "V",
                "teacher_a": "V",
                "teacher_b": "V",
                "partner": "V",
            },
        )
    },
    "campaign_report": {
        "campaign_report": (
            _campaign_report,
            {
                "admin": "C",
                "province_officer": "V",
                "commune_officer": "C",
                "principal_a": "H",
                "teacher_a": "H",
                "teacher_b": "H",
                "partner": "H",
            },
        )
    },
}


# Meetings and periodic reports (issue 19): the lists are walked; a meeting's and a report's own pages and actions
# against the cast in test_meeting_views.py and test_report_views.py.
ROUTES |= {
    "plans:meetings": ("GET", None, "signed_in"),
    "plans:meeting_new": ("GET", None, "skip"),  # test_meeting_views: 404 for those who run no school or unit
    "plans:meeting": ("GET", None, "skip"),
    "plans:meeting_minutes": ("POST", None, "skip"),
    "plans:meeting_attendee": ("POST", None, "skip"),
    "plans:meeting_decision": ("POST", None, "skip"),
    "plans:meeting_issue": ("POST", None, "skip"),
    "plans:meeting_docx": ("GET", None, "skip"),
    "plans:reports": ("GET", None, "signed_in"),
    "plans:report_schedule_new": ("POST", None, "skip"),
    "plans:report_new": ("POST", None, "skip"),
    "plans:report": ("GET", None, "skip"),
    "plans:report_edit": ("POST", None, "skip"),
    "plans:report_refresh": ("POST", None, "skip"),
    "plans:report_submit": ("POST", None, "skip"),
    "plans:report_approve": ("POST", None, "skip"),
    "plans:report_return": ("POST", None, "skip"),
    "plans:report_reopen": ("POST", None, "skip"),
    "plans:report_docx": ("GET", None, "skip"),
    "plans:report_xlsx": ("GET", None, "skip"),
    "api:list_meetings": ("GET", None, "api"),
    "api:get_meeting": ("GET", None, "skip"),
    "api:list_report_schedules": ("GET", None, "api"),
    "api:list_reports": ("GET", None, "api"),
    "api:get_report": ("GET", None, "skip"),
    "api:submit_report": ("POST", None, "skip"),
    "api:approve_report": ("POST", None, "skip"),
    "api:return_report": ("POST", None, "skip"),
}
