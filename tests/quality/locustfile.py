"""The load scenario (run by tests/quality/load.py in its own environment, var/locust-venv: locust's pytest plugin
breaks the project's pytest, so this file imports nothing of the project). The cast of the demo (principal,
commune officer, teacher, partner officer, province officer) sign in and browse what load.py found they may open:
lists, a child's page, exports and the API (with a token of their own), waiting 1–3 s between pages; and two of the
users (`Importer`) are a principal uploading a small class roster and reading its preview, every half minute or so.

The weights are what people do, not one of each: a user reads lists, dashboards and children's pages (12), the
machine clients read the API (4, a quarter of the traffic as before), and a file is downloaded about once in
thirteen pages (1; before, an export was as likely as any page: 3 or 4 of a member's 20–30, so a tenth of the views
built a workbook, which no one does and which took the CPU from the pages).

The plan comes from LOAD_PLAN (a JSON file): {"password": …, "members": {username: {"pages": [[name, url]…],
"exports": […], "api": […], "token": …}}, "import": {"url": …, "data": {…}, "file": base64, "session": …}}. Any
answer but 200 is an error, but the upload's 302 to its job's page (redirects are not followed: a lost session
would be a redirect to the sign-in page)."""

import base64
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

    @task(12)
    def page(self):
        self.fetch(*random.choice(self.plan["pages"]))  # noqa: S311 - a choice of page, not a secret

    @task(1)
    def export(self):
        if self.plan["exports"]:
            self.fetch(*random.choice(self.plan["exports"]))  # noqa: S311

    @task(4)
    def api(self):
        name, url = random.choice(self.plan["api"])  # noqa: S311
        self.fetch(name, url, headers={"Authorization": f"Bearer {self.plan['token']}"})


class Importer(HttpUser):
    """A principal uploading a class roster (the upload page, the file, then the job's page: its preview once the
    worker has checked it), at a principal's pace: a file every 20–40 s. Its requests are named "import:…", counted
    apart (load.py's "imports")."""

    fixed_count = 2  # of the users, whatever their number
    wait_time = between(20, 40)

    def on_start(self):
        self.plan = PLAN["import"]
        self.file = base64.b64decode(self.plan["file"])
        self.client.cookies.set(PLAN["session_cookie"], self.plan["session"])

    @task
    def upload(self):
        url = self.plan["url"]
        with self.client.get(url, name="import:new", allow_redirects=False, catch_response=True) as page:
            token = CSRF.search(page.text) if page.status_code == 200 else None
            if not token:
                page.failure(f"the upload page answered {page.status_code}")
                return
        data = {**self.plan["data"], "csrfmiddlewaretoken": token[1]}
        files = {"file": ("danh-sach-lop.xlsx", self.file)}
        with self.client.post(
            url,
            data=data,
            files=files,
            name="import:upload",
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": ""},
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"the upload answered {answer.status_code}")
                return
            job = answer.headers["Location"]
        for _read in range(2):  # the preview, then again a little later (the check takes a moment)
            with self.client.get(job, name="import:preview", allow_redirects=False, catch_response=True) as page:
                if page.status_code != 200:
                    page.failure(f"the job's page answered {page.status_code}")
                    return
            self.wait()


def member(username: str, weight: int) -> type:
    return type(username.replace(".", "_"), (Member,), {"username": username, "weight": weight})


# Teachers and principals are most of the users; officers and partners fewer.
principal = member("hieutruong.tranam", 3)
teacher_a = member("giaovien.tranam", 4)
teacher_b = member("giaovien.phudong", 4)
commune_officer = member("xa.tralinh", 2)
province_officer = member("so.gddt", 1)
partner = member("khuyenhoc.tralinh", 1)
