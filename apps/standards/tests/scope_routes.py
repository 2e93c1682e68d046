"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns. The lists open for whoever
governs a unit or staffs a school (the walk's "student_reader" set; a partner officer gets 403); a school's
writes follow the school's manage (targets, cycles, roadmap) and change (recognitions) rules. The pages of a set,
a school, a cycle, a criterion and an item are walked by apps/standards/tests/test_views.py (their rules mix the
school's scope with the council's assignments and the system administrator's)."""

ROUTES = {
    "standards:index": ("GET", None, "student_reader"),
    "standards:status_export": ("GET", None, "student_reader"),
    "standards:sets": ("GET", None, "student_reader"),
    "standards:set": ("GET", None, "skip"),
    "standards:set_text": ("POST", None, "skip"),
    "standards:set_verify": ("POST", None, "skip"),
    "standards:school": ("GET", "school", "skip"),
    "standards:cycle_start": ("POST", "school", "manage"),
    "standards:target_set": ("POST", "school", "manage"),
    "standards:item_create": ("POST", "school", "manage"),
    "standards:recognition_record": ("POST", "school", "change"),
    "standards:cycle": ("GET", None, "skip"),
    "standards:rate": ("POST", None, "skip"),
    "standards:member_add": ("POST", None, "skip"),
    "standards:assign": ("POST", None, "skip"),
    "standards:evidence_add": ("POST", None, "skip"),
    "standards:evidence_use": ("POST", None, "skip"),
    "standards:cycle_close": ("POST", None, "skip"),
    "standards:report": ("POST", None, "skip"),
    "standards:assessment": ("GET", None, "skip"),
    "standards:plan_item_add": ("POST", None, "skip"),
    "standards:roadmap": ("GET", None, "student_reader"),
    "standards:roadmap_export": ("GET", None, "student_reader"),
    "standards:item": ("GET", None, "skip"),
    "standards:item_progress": ("POST", None, "skip"),
    "standards:funding_add": ("POST", None, "skip"),
    "standards:funding_payout": ("POST", None, "skip"),
    "standards:photo_add": ("POST", None, "skip"),
    "standards:recognitions": ("GET", None, "student_reader"),
    # walked by test_improvements.py and test_committees.py
    "standards:improvement_link": ("POST", None, "skip"),
    "standards:committees": ("GET", None, "student_reader"),
    "standards:committee_create": ("POST", None, "skip"),
    "standards:committee": ("GET", None, "skip"),
    "standards:committee_member_add": ("POST", None, "skip"),
    "standards:committee_duty_add": ("POST", None, "skip"),
    "standards:committee_inspection_add": ("POST", None, "skip"),
    "api:list_sets": ("GET", None, "api"),
    "api:list_cycles": ("GET", None, "api"),
    "api:school_gap": ("GET", "school", "view"),
    "api:list_roadmap": ("GET", None, "api"),
    "api:list_recognitions": ("GET", None, "api"),
}

LISTS = {}
