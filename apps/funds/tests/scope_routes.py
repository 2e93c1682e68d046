"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns. The walk's matrix has no funds
column: a fund's own pages are walked by `apps/funds/tests/test_views.py` (every member of the cast against the
seeded funds), so they are declared "skip" here; the lists and the public pages the walk can reach are walked."""

ROUTES = {
    "funds:list": ("GET", None, "signed_in"),
    "funds:create": ("GET", None, "skip"),  # test_views: who may open a fund
    "funds:detail": ("GET", None, "skip"),
    "funds:donation_new": ("POST", None, "skip"),
    "funds:payout_new": ("POST", None, "skip"),
    "funds:plan_new": ("POST", None, "skip"),
    "funds:pledge_new": ("POST", None, "skip"),
    "funds:target_set": ("POST", None, "skip"),
    "funds:report": ("GET", None, "skip"),
    "funds:entry_correct": ("GET", None, "skip"),
    "funds:payouts": ("GET", None, "signed_in"),
    "funds:payout": ("GET", None, "skip"),
    "funds:payout_children": ("POST", None, "skip"),
    "funds:donations": ("GET", None, "signed_in"),
    "funds:letter": ("GET", None, "skip"),
    "funds:donors": ("GET", None, "signed_in"),
    "funds:plans": ("GET", None, "signed_in"),
    "funds:pledges": ("GET", None, "signed_in"),
    "funds:public_school": ("GET", "school", "public"),
    "funds:public_unit": ("GET", "unit", "public"),
    "api:list_funds": ("GET", None, "api"),
    "api:get_fund": ("GET", None, "skip"),
    "api:list_fund_donations": ("GET", None, "skip"),
    "api:funds_public_school": ("GET", "school", "public"),
    "api:funds_public_unit": ("GET", "unit", "public"),
}

LISTS = {}
