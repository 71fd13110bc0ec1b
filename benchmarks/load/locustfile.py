"""The load test's people: what a council's portal sees on a working day (docs/load-test.md).

Run by benchmarks/bench_load.py (``benchmarks/run.py --only load``), which starts gunicorn on a fresh database
with the demo data and passes the plan written by benchmarks/load/data.py in LOAD_PLAN. By hand, against a
site of your own: ``LOAD_PLAN=plan.json .venv/bin/locust -f benchmarks/load/locustfile.py --host URL``.

Everyone waits 1 to 5 seconds between actions (reading the page). Weights, per 20 people:

- 9 members of the public searching the directory and reading offers and providers' pages;
- 4 families, who sign in with their password, look at their own pages, search, and approve the invoices
  their providers send (the link in the email), now and then signing out and in again;
- 2 brokers, who sign in with two-step verification and add and remove a costed line of a draft plan;
- 2 providers' staff reading their orders and invoices; 2 finance officers reading runs, remittances and
  prompt-payment figures; 1 commissioner reading market insights;
- and, once, two finance officers who prepare, authorise and pay a payment run through the pages, at
  ``LOAD_PAYMENT_RUN_AT`` seconds into the run (the middle of the measured run).

Every request is checked: an unexpected status, a sign-in that lands anywhere but past the sign-in pages, a
success message that is missing after a form, all count as errors. Request names (the first word before a
colon) group them in the report: ``search``, ``page``, ``sign-in``, ``action``, ``payment run``.
"""

import json
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # locust runs this file as a script
from benchmarks.load.pages import form_having, form_with, forms_of, totp_code

THINK_TIME = between(1, 5)
SIGN_IN = "/account/sign-in/"
CODE_STEP = "/account/two-step-verification/code/"
SEARCH_WORDS = ("", "", "swimming", "short breaks", "counselling", "tutor", "autism", "personal assistant", "taxi")
OFFER_LINK = re.compile(r'href="(/directory/offers/[0-9a-f-]{36}/)"')
PROVIDER_LINK = re.compile(r'href="(/directory/providers/[0-9a-f-]{36}/)"')


def plan() -> dict:  # type: ignore[type-arg]
    """The plan written by benchmarks/load/data.py: who signs in as whom, and what they open."""
    global _PLAN
    if _PLAN is None:
        _PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
    return _PLAN


_PLAN = None


_CODE_USED: dict[str, int] = {}


def _code_step(email: str) -> int:
    """The 30-second step whose code to type: a code serves one sign-in only, so a second simulated person
    sharing a sign-in waits for the next code, as a real one would (not timed: no request is waiting)."""
    while True:
        step = int(time.time() // 30)
        if step > _CODE_USED.get(email, -1):
            _CODE_USED[email] = step
            return step
        time.sleep((step + 1) * 30 - time.time() + 0.2)


# --- People --------------------------------------------------------------------------------------------------


class Person(HttpUser):
    abstract = True
    wait_time = THINK_TIME

    def page(self, path: str, name: str, *, expect: str | None = None) -> str:
        """GET a page; an answer other than 200, or without ``expect`` in it, is an error."""
        with self.client.get(path, name=f"page: {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            if urlparse(response.url).path in (SIGN_IN, CODE_STEP) and path not in (SIGN_IN, CODE_STEP):
                response.failure(f"sent to sign in again from {path}")
                return ""
            if expect and expect not in response.text:
                response.failure(f"{expect!r} not on {path}")
                return ""
            return response.text

    def post(self, path: str, data: dict, name: str, *, expect: str, kind: str = "action") -> str:  # type: ignore[type-arg]
        """POST a form (after the redirect a browser would follow); the page must say ``expect``."""
        with self.client.post(path, data=data, name=f"{kind}: {name}", catch_response=True) as response:
            if response.status_code != 200 or expect not in response.text:
                response.failure(f"{response.status_code} for {path}, without {expect!r}")
                return ""
            self.last_url = response.url
            return response.text

    def search(self) -> None:
        params = {"text": random.choice(SEARCH_WORDS)}
        if random.random() < 0.6:
            params["postcode"] = random.choice(plan()["postcodes"])
        if random.random() < 0.3:
            params["radius_miles"] = random.choice(["1", "3", "5", "10"])
        category = random.choice(self.categories) if self.categories and random.random() < 0.4 else None
        if category:
            params["categories"] = category
        with self.client.get("/search/", params=params, name="search", catch_response=True) as response:
            if response.status_code != 200 or "govuk-" not in response.text:
                response.failure(f"search answered {response.status_code}")
                return
            self.offers = OFFER_LINK.findall(response.text) or self.offers

    def search_form_read(self) -> None:
        html = self.page("/search/", "find support")
        self.categories = sorted(set(re.findall(r'name="categories"[^>]*value="([^"]+)"', html)))[:20]

    def offer_and_provider(self) -> None:
        if not self.offers:
            self.search()
        if not self.offers:
            return
        html = self.page(random.choice(self.offers), "offer")
        providers = PROVIDER_LINK.findall(html)
        if providers:
            self.wait()
            self.page(providers[0], "provider")

    def sign_in(self, email: str) -> bool:
        """Sign in through the form, with the security code from the demo's published key when asked."""
        self.client.cookies.clear()
        html = self.page(SIGN_IN, "sign in")
        if not html:
            return False
        fields = form_having(html, "password")["fields"]
        fields.update({"username": email, "password": plan()["password"]})
        with self.client.post(SIGN_IN, data=fields, name="sign-in: password", catch_response=True) as response:
            landed = urlparse(response.url).path
            if response.status_code != 200 or landed == SIGN_IN:
                response.failure(f"the password was not accepted for {email}")
                return False
            html = response.text
        if landed.startswith(CODE_STEP):
            return self._second_step(email, html, response.url)
        return True

    def _second_step(self, email: str, html: str, url: str) -> bool:
        """Type the code; a code refused because this sign-in used it already (another process of the step-up
        within the same 30 seconds) is typed again from the next 30 seconds, as a person would. A second
        refusal is an error."""
        for attempt in (1, 2):
            fields = form_having(html, "code")["fields"]
            fields["code"] = totp_code(plan()["totp_secret"], at=_code_step(email) * 30)
            with self.client.post(url, data=fields, name="sign-in: security code", catch_response=True) as response:
                if response.status_code == 200 and not urlparse(response.url).path.startswith(CODE_STEP):
                    return True
                if attempt == 2 or response.status_code != 200:
                    response.failure(f"the security code was not accepted for {email}")
                    return False
                response.success()
                html = response.text
        return False

    def on_start(self) -> None:
        self.offers: list[str] = []
        self.categories: list[str] = []
        self.last_url = ""


class Public(Person):
    """Someone looking for support, not signed in."""

    weight = 9

    def on_start(self) -> None:
        super().on_start()
        self.page("/", "home")
        self.search_form_read()

    @task(5)
    def searches(self) -> None:
        self.search()

    @task(3)
    def reads_an_offer(self) -> None:
        self.offer_and_provider()

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


def _accounts(key: str) -> list[str]:
    return list(plan()[key])


_TAKEN: dict[str, int] = {}
# The cookies of each sign-in once made, shared by the simulated people who use it; None while signing in.
_SESSIONS: dict[str, dict[str, str] | None] = {}


def account_for(key: str) -> str:
    """The next sign-in of a kind, round the list: each simulated person is a different one while there are
    enough, then they share (a second browser tab of the same person)."""
    accounts = _accounts(key)
    number = _TAKEN.get(key, 0)
    _TAKEN[key] = number + 1
    return accounts[number % len(accounts)]


_SHARERS: dict[str, int] = {}


class SignedIn(Person):
    abstract = True
    accounts = ""
    home_page = "/account/"

    def on_start(self) -> None:
        super().on_start()
        self.email = account_for(self.accounts)
        _SHARERS[self.email] = _SHARERS.get(self.email, 0) + 1
        if self.email in _SESSIONS:
            while _SESSIONS[self.email] is None:  # another tab is signing in
                time.sleep(0.5)
            self.client.cookies.update(_SESSIONS[self.email])
            self.signed_in = True
        else:
            _SESSIONS[self.email] = None
            self.signed_in = self.sign_in(self.email)
            _SESSIONS[self.email] = self.client.cookies.get_dict()
        if self.signed_in:
            self.page(self.home_page, "dashboard")


class Family(SignedIn):
    """A parent: their own pages, a search, an invoice to approve."""

    weight = 4
    accounts = "families"

    def on_start(self) -> None:
        super().on_start()
        self.invoices = list(plan()["invoices"].get(self.email, []))
        random.shuffle(self.invoices)
        self.search_form_read()

    @task(3)
    def own_pages(self) -> None:
        self.page(random.choice(["/account/", "/orders/", "/account/notifications/"]), "family pages")

    @task(3)
    def searches(self) -> None:
        self.search()

    @task(2)
    def reads_an_offer(self) -> None:
        self.offer_and_provider()

    @task(2)
    def approves_an_invoice(self) -> None:
        if not self.invoices:
            return
        path = f"/orders/invoices/{self.invoices.pop()}/"
        html = self.page(path, "invoice")
        if not html:
            return
        try:
            form = form_with(html, "/approve/")
        except LookupError:
            return  # approved already by the other parent, or by this one on another device
        self.wait()
        self.post(path + "approve/", form["fields"], "approve invoice", expect="You have approved invoice")

    @task(1)
    def signs_out_and_in(self) -> None:
        if _SHARERS.get(self.email, 0) > 1:
            return  # signing out would sign the other tab out too
        html = self.page("/account/", "dashboard")
        _SESSIONS[self.email] = None  # a second tab opened meanwhile waits for the new sign-in
        if html and "/account/sign-out/" in html:
            form = form_with(html, "/account/sign-out/")
            self.client.post("/account/sign-out/", data=form["fields"], name="sign-in: sign out")
        self.wait()
        self.sign_in(self.email)
        _SESSIONS[self.email] = self.client.cookies.get_dict()


class Broker(SignedIn):
    """An independent broker working on draft plans: adds a costed line, then takes it out again."""

    weight = 2
    accounts = "brokers"

    def on_start(self) -> None:
        super().on_start()
        self.plans = list(plan()["plans"].get(self.email, []))

    @task(3)
    def caseload(self) -> None:
        self.page("/budgets/people/", "caseload")

    @task(2)
    def edits_a_plan_line(self) -> None:
        if not self.plans:
            return
        plan_path = f"/budgets/plans/{random.choice(self.plans)}/"
        before = self.page(plan_path, "plan")
        if not before:
            return
        self.wait()
        form_page = self.page(plan_path + "lines/add/", "plan line form")
        if not form_page:
            return
        fields = form_having(form_page, "quantity")["fields"]
        description = f"Load test session {random.randrange(10**6)}"
        fields.update(
            {"description": description, "given_by": "provider", "quantity": "2", "unit_cost": "25.00", "periods": "1"}
        )
        fields.pop("offer_public_id", None)
        fields["supplier_name"] = "Load test provider"
        self.wait()
        page = self.post(plan_path + "lines/add/", fields, "add plan line", expect=f"You have added {description}")
        if not page:
            return
        self.wait()
        self._line_remove(page, before, description)

    def _line_remove(self, page: str, before: str, description: str) -> None:
        """Take out the line just added: its remove button is the one the plan page did not have before (and,
        should another tab have added one meanwhile, the one in the row that names this line)."""
        existing = {form["action"] for form in forms_of(before)}
        added = [
            form
            for form in forms_of(page)
            if form["action"].endswith("/remove/") and "/lines/" in form["action"] and form["action"] not in existing
        ]
        for form in added:
            at = page.find(f'action="{form["action"]}"')
            if description in page[max(0, at - 1500) : at] or len(added) == 1:
                self.post(form["action"], form["fields"], "remove plan line", expect=f"You have removed {description}")
                return

    @task(1)
    def searches(self) -> None:
        self.search()


class Provider(SignedIn):
    """A provider's office: orders and invoices."""

    weight = 2
    accounts = "providers"

    @task
    def orders(self) -> None:
        self.page(random.choice(["/orders/", "/account/"]), "provider pages")


class Finance(SignedIn):
    """A finance officer reading the runs, remittances and the prompt-payment figures."""

    weight = 2
    accounts = "finance"

    @task
    def payments(self) -> None:
        self.page(random.choice(["/payments/runs/", "/payments/remittances/", "/payments/prompt-payment/"]), "finance")


class Commissioner(SignedIn):
    """A commissioner reading the market: search and the dashboard."""

    weight = 1
    accounts = "commissioners"

    @task
    def market(self) -> None:
        self.search() if random.random() < 0.5 else self.page("/account/", "dashboard")


class PaymentRun(Person):
    """Two finance officers paying a run through the pages, once, in the middle of the test: the preparer
    prepares it, the authoriser (a different officer: dual authorisation) authorises and pays it."""

    fixed_count = 1
    wait_time = between(1, 5)

    def on_start(self) -> None:
        super().on_start()
        self.done = False

    @task
    def pays_a_run_once(self) -> None:
        if self.done or time.monotonic() - STARTED < float(os.environ.get("LOAD_PAYMENT_RUN_AT", "0")):
            return
        self.done = True
        people = plan()["payment_run"]
        if not self.sign_in(people["preparer"]):
            return
        html = self.page("/payments/runs/prepare/", "prepare run")
        if not html:
            return
        try:
            form = form_having(html, "pay_on")
        except LookupError:
            with self.client.get("/payments/runs/prepare/", name="payment run: prepare", catch_response=True) as answer:
                answer.failure("nothing to pay: the prepare page offers no run")
            return
        self.wait()
        self.post("/payments/runs/prepare/", form["fields"], "prepare", expect="is prepared", kind="payment run")
        run_path = urlparse(self.last_url).path
        if not run_path.startswith("/payments/runs/"):
            return
        self.client.cookies.clear()
        if not self.sign_in(people["authoriser"]):
            return
        html = self.page(run_path, "run")
        self.wait()
        if html:
            form = form_with(html, "/authorise/")
            html = self.post(
                urljoin(run_path, "authorise/"),
                form["fields"],
                "authorise",
                expect="You have authorised",
                kind="payment run",
            )
        if html:
            self.wait()
            form = form_with(html, "/pay/")
            self.post(
                urljoin(run_path, "pay/"), form["fields"], "pay", expect="You have started paying", kind="payment run"
            )


STARTED = time.monotonic()


@events.test_start.add_listener
def _started(**_: object) -> None:
    global STARTED
    STARTED = time.monotonic()


SAMPLES: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _sampled(name: str, response_time: float, exception: BaseException | None, **_: object) -> None:
    SAMPLES.append((name, round(response_time, 1), exception is not None))


@events.test_stop.add_listener
def _samples_write(**_: object) -> None:
    """Every request of the run, for benchmarks/load/report.py's exact percentiles (LOAD_SAMPLES names the file)."""
    target = os.environ.get("LOAD_SAMPLES")
    if target:
        with open(target, "w") as handle:
            json.dump(SAMPLES, handle)
