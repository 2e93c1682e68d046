"""The load scenario (run by tests/quality/load.py in its own environment, var/locust-venv: locust's pytest plugin
breaks the project's pytest, so this file imports nothing of the project). The cast of the demo (principal,
commune officer, teacher, partner officer, province officer) sign in and browse what load.py found they may open:
lists, a child's page, exports and the API (with a token of their own), waiting 1–3 s between pages.

The plan comes from LOAD_PLAN (a JSON file): {"password": …, "members": {username: {"pages": [[name, url]…],
"api": [[name, url]…], "token": …}}}. Any answer but 200 is an error (redirects are not followed: a lost session
would be a redirect to the sign-in page)."""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115 - read once at import
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Every answer's time (name, ms, failed), written to LOAD_TIMES when locust stops: load.py takes the percentiles of
# the pages apart from the exports' and the API's (locust's own figures are per address or for all together).
TIMES = []


@events.request.add_listener
def _timed(name, response_time, exception, **_kwargs):
    TIMES.append((name, response_time, exception is not None))


@events.quitting.add_listener
def _write_times(**_kwargs):
    if os.environ.get("LOAD_TIMES"):
        with open(os.environ["LOAD_TIMES"], "w", encoding="utf-8") as f:
            json.dump(TIMES, f)


class Member(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        """Each user signs in with the password when LOAD_SIGN_IN is set; otherwise it takes the session load.py
        opened for its member (a sign-in is a deliberately slow password hash: 50 of them at once on 2 CPUs would
        measure the hash, not the pages)."""
        self.plan = PLAN["members"][self.username]
        if not os.environ.get("LOAD_SIGN_IN"):
            self.client.cookies.set(PLAN["session_cookie"], self.plan["session"])
            return
        page = self.client.get("/login/", name="login")
        token = CSRF.search(page.text)
        data = {"username": self.username, "password": PLAN["password"], "csrfmiddlewaretoken": token and token[1]}
        with self.client.post(
            "/login/", data=data, name="login", allow_redirects=False, catch_response=True, headers={"Referer": ""}
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in of {self.username} answered {answer.status_code}")

    def fetch(self, name, url, **kwargs):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as answer:
            if answer.status_code != 200:
                answer.failure(f"{self.username} {url}: {answer.status_code} {answer.error or ''}".strip())

    @task(3)
    def page(self):
        self.fetch(*random.choice(self.plan["pages"]))  # noqa: S311 - a choice of page, not a secret

    @task(1)
    def api(self):
        name, url = random.choice(self.plan["api"])  # noqa: S311
        self.fetch(name, url, headers={"Authorization": f"Bearer {self.plan['token']}"})


def member(username: str, weight: int) -> type:
    return type(username.replace(".", "_"), (Member,), {"username": username, "weight": weight})


# Teachers and principals are most of the users; officers and partners fewer.
principal = member("hieutruong.tranam", 3)
teacher_a = member("giaovien.tranam", 4)
teacher_b = member("giaovien.phudong", 4)
commune_officer = member("xa.tralinh", 2)
province_officer = member("so.gddt", 1)
partner = member("khuyenhoc.tralinh", 1)
