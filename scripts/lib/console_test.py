#!/usr/bin/env python3
"""The operator console in a real browser (Debian's Chromium, headless, through Selenium), against a
running platform: every step is done on the page, then checked through the API as well.

  console_test.py GATEWAY_URL CREDENTIALS_JSON SCREENSHOT_DIR

Signs in; approves a mapping review and sees it leave the queue; shows a supplier hotel named with
markup as text; creates a markup rule and sees it applied in explain; issues and revokes an API key;
tops up, freezes and unfreezes credit; blacklists an address and removes it; toggles a flag; checks
every page loads, saving a screenshot of each at 1280 px and at a phone's width.
"""
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from platform_api import admin_token, call  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ready  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PAGES = ["overview", "suppliers", "mappings", "pricing", "distributors", "credit", "risk", "orders", "settlement", "config"]
# A supplier hotel name that would run script if the console ever put it into the page as markup.
UNTRUSTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Hôtel "Le Piège"'


class Console:
    def __init__(self, gateway, shots):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB"):
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        self.browser = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
        self.gateway, self.shots = gateway, shots
        # A page re-renders after each action: an element found a moment ago may be gone.
        self.wait = WebDriverWait(self.browser, 20, ignored_exceptions=[StaleElementReferenceException])

    def open(self, page):
        self.browser.get(f"{self.gateway}/admin#/{page}")
        self.wait.until(lambda b: b.execute_script("const v = document.getElementById('view'); return v.dataset.page === arguments[0] && v.dataset.state === 'ready'", page))

    def text(self):
        return self.browser.find_element(By.ID, "view").text

    def row(self, containing):
        """The table row whose text contains `containing`."""
        for row in self.browser.find_elements(By.CSS_SELECTOR, "main tbody tr"):
            if containing in row.text:
                return row
        raise AssertionError(f"no row with {containing!r} on {self.browser.current_url}:\n{self.text()[:1500]}")

    def until(self, condition, what):
        def holds(_):
            try:
                return condition()
            except AssertionError:  # a row not there (yet): the page is still re-rendering
                return False
        try:
            self.wait.until(holds)
        except TimeoutException:
            raise AssertionError(f"{what}; the page says:\n{self.text()[:1500]}")

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(self.shots, f"{name}.png"))

    def errors(self):
        """What the browser logged as errors (a CSP refusal would show here)."""
        return [entry["message"] for entry in self.browser.get_log("browser") if entry["level"] == "SEVERE"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main(gateway, credentials_file, shots):
    os.makedirs(shots, exist_ok=True)
    credentials = json.load(open(credentials_file))
    admin = credentials["admin"]
    auth = {"Authorization": "Bearer " + admin_token(gateway, admin["api_key"], admin["api_secret"])}
    tenant = credentials["distributors"][0]["tenant_id"]
    console = Console(gateway, shots)
    b = console.browser
    try:
        # Sign in: a wrong secret is refused in words, the right one opens the overview.
        b.get(f"{gateway}/admin")
        console.wait.until(ready.visibility_of_element_located((By.ID, "signin")))
        b.find_element(By.ID, "key").send_keys(admin["api_key"])
        b.find_element(By.ID, "secret").send_keys("not-the-secret")
        b.find_element(By.CSS_SELECTOR, "#signin button").click()
        console.until(lambda: "not accepted" in b.find_element(By.ID, "signin-error").text, "a wrong secret is refused in words")
        b.find_element(By.ID, "secret").clear()
        b.find_element(By.ID, "secret").send_keys(admin["api_secret"])
        b.find_element(By.CSS_SELECTOR, "#signin button").click()
        console.until(lambda: b.find_element(By.CSS_SELECTOR, "main h2").text == "Overview", "signed in, the overview shows")
        check(b.execute_script("return localStorage.length") == 0, "nothing in local storage")
        check("token" not in b.current_url, "no token in the URL")
        print("console: signed in")

        # A mapping review approved on the page leaves the queue and is mapped.
        status, reviews = call(gateway, "GET", "/api/v1/admin/mappings/reviews?limit=50", headers=auth)
        check(status == 200 and reviews, f"the review queue has records to decide: {status} {reviews}")
        plain = next(r for r in reviews if r["record"]["code"] == "REVIEW-1")
        console.open("mappings")
        row = console.row(plain["record"]["code"])
        row.find_element(By.XPATH, ".//button[text()='Approve']").click()
        console.until(lambda: plain["record"]["code"] not in console.text(), "the approved record leaves the queue")
        status, left = call(gateway, "GET", "/api/v1/admin/mappings/reviews?limit=200", headers=auth)
        check(all(r["record"]["code"] != plain["record"]["code"] or r["record"]["supplier"] != plain["record"]["supplier"] for r in left), "the API's queue agrees")
        status, mapping = call(gateway, "GET", f"/api/v1/admin/mappings/{plain['record']['supplier']}/{plain['record']['code']}", headers=auth)
        check(status == 200 and json.dumps(mapping).find('"approved"') >= 0, f"the record is mapped, approved: {status} {mapping}")
        print("console: a mapping review approved")

        # A supplier's hotel name with markup in it is shown as text, and runs nothing.
        console.open("mappings")
        check(UNTRUSTED in console.text(), "the untrusted name shows as the text it is")
        check(b.execute_script("return window.__pwned === undefined"), "no script from a supplier's data ran")
        check(not b.find_elements(By.CSS_SELECTOR, "main img"), "no element came out of a supplier's data")
        console.shot("mappings-untrusted-name")
        print("console: an untrusted hotel name is shown as text")

        # A markup rule created on the page is the one explain applies.
        name = f"console {uuid.uuid4().hex[:8]}"
        console.open("pricing")
        form = b.find_elements(By.CSS_SELECTOR, "main form")[0]
        form.find_element(By.NAME, "name").send_keys(name)
        form.find_element(By.NAME, "tenant").send_keys(tenant)
        form.find_element(By.NAME, "percent").send_keys("7.5")
        priority = form.find_element(By.NAME, "priority")
        priority.clear()
        priority.send_keys("1000")
        form.find_element(By.TAG_NAME, "button").click()
        console.until(lambda: name in console.text(), "the new rule is listed")
        status, rules = call(gateway, "GET", "/api/v1/admin/pricing/rules", headers=auth)
        check(any(r["name"] == name and r["enabled"] for r in rules["rules"]), "the API lists the rule, enabled")
        explain = b.find_elements(By.CSS_SELECTOR, "main form")[1]
        explain.find_element(By.NAME, "tenant").send_keys(tenant)
        explain.find_element(By.TAG_NAME, "button").click()
        console.until(lambda: b.find_elements(By.CSS_SELECTOR, "[data-rule]") and b.find_element(By.CSS_SELECTOR, "[data-rule]").text == name,
                      "explain applies the new rule")
        print("console: a markup rule created and applied in explain")

        # An API key issued (its secret shown once) and revoked.
        console.open("distributors")
        console.row(tenant).find_element(By.XPATH, ".//button[text()='API keys']").click()
        console.until(lambda: "Issue a key" in console.text(), "the tenant's keys show")
        b.find_element(By.NAME, "label").send_keys("console test")
        b.find_element(By.XPATH, "//button[text()='Issue a key']").click()
        console.until(lambda: b.find_elements(By.CSS_SELECTOR, "[data-secret]"), "the new key's secret is shown once")
        shown = b.find_element(By.CSS_SELECTOR, "[data-secret]")
        secret = shown.text
        status, keys = call(gateway, "GET", f"/api/v1/admin/tenants/{tenant}/keys", headers=auth)
        issued = next(k for k in keys["keys"] if k["api_key"] == shown.get_attribute("data-key"))
        check(issued["status"] == "active" and issued.get("label") == "console test", f"the API lists the new key, active: {issued}")
        status, token = call(gateway, "POST", "/api/v1/auth/token", {"api_key": issued["api_key"], "api_secret": secret})
        check(status == 200, f"the secret shown signs the new key in: {status}")
        console.row(issued["api_key"]).find_element(By.XPATH, ".//button[text()='Revoke']").click()
        b.switch_to.alert.accept()
        console.until(lambda: "revoked" in console.row(issued["api_key"]).text, "the key shows revoked")
        status, keys = call(gateway, "GET", f"/api/v1/admin/tenants/{tenant}/keys", headers=auth)
        check(next(k for k in keys["keys"] if k["api_key"] == issued["api_key"])["status"] == "revoked", "the API says revoked")
        status, _ = call(gateway, "POST", "/api/v1/auth/token", {"api_key": issued["api_key"], "api_secret": secret})
        check(status == 401, f"a revoked key signs in no more: {status}")
        print("console: an API key issued and revoked")

        # Credit topped up.
        status, before = call(gateway, "GET", f"/api/v1/admin/credit/accounts/{tenant}", headers=auth)
        console.open("credit")
        row = console.row(tenant)
        row.find_element(By.NAME, "amount").send_keys("25.50")
        row.find_element(By.XPATH, ".//button[text()='Top up']").click()
        status, after = call(gateway, "GET", f"/api/v1/admin/credit/accounts/{tenant}", headers=auth)
        console.until(lambda: float(call(gateway, "GET", f"/api/v1/admin/credit/accounts/{tenant}", headers=auth)[1]["balance"]) == float(before["balance"]) + 25.5,
                      "the balance rose by the top-up")
        print("console: credit topped up")

        # Frozen and unfrozen.
        console.open("credit")
        console.row(tenant).find_element(By.XPATH, ".//button[text()='Freeze']").click()
        console.until(lambda: call(gateway, "GET", f"/api/v1/admin/credit/accounts/{tenant}", headers=auth)[1]["frozen"] is True, "the account is frozen")
        console.until(lambda: console.row(tenant).find_elements(By.XPATH, ".//button[text()='Unfreeze']"), "the page offers to unfreeze")
        console.row(tenant).find_element(By.XPATH, ".//button[text()='Unfreeze']").click()
        console.until(lambda: call(gateway, "GET", f"/api/v1/admin/credit/accounts/{tenant}", headers=auth)[1]["frozen"] is False, "the account is unfrozen")
        print("console: credit frozen and unfrozen")

        # Someone blacklisted, then taken off.
        email = f"fraud-{uuid.uuid4().hex[:6]}@example.com"
        console.open("risk")
        form = b.find_elements(By.CSS_SELECTOR, "main form")[-1]
        form.find_element(By.NAME, "value").send_keys(email)
        form.find_element(By.NAME, "reason").send_keys("console test")
        form.find_element(By.TAG_NAME, "button").click()
        console.until(lambda: email in console.text(), "the blacklist lists the address")
        status, listed = call(gateway, "GET", "/api/v1/admin/risk/blacklist", headers=auth)
        check(any(e["value"] == email and e["kind"] == "email" for e in listed["entries"]), "the API lists it")
        console.row(email).find_element(By.XPATH, ".//button[text()='Remove']").click()
        console.until(lambda: email not in console.text(), "the address leaves the blacklist")
        status, listed = call(gateway, "GET", "/api/v1/admin/risk/blacklist", headers=auth)
        check(all(e["value"] != email for e in listed["entries"]), "the API no longer lists it")
        print("console: blacklisted and removed")

        # A flag toggled.
        flag = "admin.v2"
        status, flags = call(gateway, "GET", "/api/v1/admin/flags", headers=auth)
        was = next((f["enabled"] for f in flags["flags"] if f["name"] == flag), None)
        check(was is not None, f"the seed's flag {flag} exists")
        console.open("config")
        b.find_element(By.CSS_SELECTOR, f"[data-flag='{flag}']").click()
        console.until(lambda: b.find_element(By.CSS_SELECTOR, f"[data-flag='{flag}']").get_attribute("aria-pressed") == str(not was).lower(), "the flag shows toggled")
        status, flags = call(gateway, "GET", "/api/v1/admin/flags", headers=auth)
        check(next(f["enabled"] for f in flags["flags"] if f["name"] == flag) == (not was), "the API says toggled")
        print("console: a flag toggled")

        # Every page, wide and narrow, for a person to look at; nothing refused by the CSP.
        for width, suffix in ((1280, ""), (390, "-phone")):
            b.set_window_size(width, 900)
            for page in PAGES:
                console.open(page)
                failed = b.find_elements(By.CSS_SELECTOR, "#view [role=alert]")
                check(not failed, f"the {page} page could not load: {failed[0].text if failed else ''}")
                time.sleep(0.3)
                console.shot(f"{page}{suffix}")
        # (The wrong secret's 401 at the start is expected.)
        errors = [e for e in console.errors() if "favicon" not in e and not ("/api/v1/auth/token" in e and "401" in e)]
        check(not errors, f"the browser logged errors: {errors}")
        print(f"console: passed; screenshots in {shots}")
    finally:
        b.quit()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
