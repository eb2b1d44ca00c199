#!/usr/bin/env python3
"""The operator console in Firefox ESR (Debian's firefox-esr, headless), driven over Marionette,
Firefox's own remote protocol (Debian ships no geckodriver; marionette-driver from PyPI): signs in,
opens every page and sees it render with no error, toggles a flag there and back (checked through
the API), and saves a screenshot of each page at 1280 px.

  console_firefox.py GATEWAY_URL CREDENTIALS_JSON SCREENSHOT_DIR
"""
import base64
import gc
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from console_test import PAGES, check  # noqa: E402
from platform_api import admin_token, call  # noqa: E402

import mozlog  # noqa: E402
from marionette_driver import Wait, errors  # noqa: E402
from marionette_driver.by import By  # noqa: E402
from marionette_driver.marionette import Marionette  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(gateway, credentials_file, shots):
    os.makedirs(shots, exist_ok=True)
    # mozversion's account of the browser's build, a dozen lines, goes nowhere (a logger without handlers).
    mozlog.structuredlog.set_default_logger(mozlog.structuredlog.StructuredLogger("console"))
    admin = json.load(open(credentials_file))["admin"]
    auth = {"Authorization": "Bearer " + admin_token(gateway, admin["api_key"], admin["api_secret"])}
    firefox = Marionette(host="127.0.0.1", port=free_port(), bin="/usr/bin/firefox-esr", headless=True, startup_timeout=120,
                         gecko_log=os.path.join(shots, "gecko.log"))
    try:
        firefox.start_session()
        firefox.set_window_rect(width=1280, height=900)
        version = firefox.session_capabilities.get("browserVersion")
        def until(condition, message):
            # A Wait's deadline starts when it is made: a fresh one each time. Elements come and go
            # while a page re-renders after an action.
            Wait(firefox, timeout=20, ignored_exceptions=[errors.NoSuchElementException, errors.StaleElementException]).until(condition, message=message)

        def click(selector):
            until(lambda m: m.find_element(By.CSS_SELECTOR, selector).click() or True, f"{selector} to click")

        def loaded(page):
            until(lambda m: m.execute_script(
                "const v = document.getElementById('view'); return v.dataset.page === arguments[0] && v.dataset.state === 'ready'", script_args=[page]),
                f"the {page} page loads in Firefox")

        firefox.navigate(f"{gateway}/admin")
        until(lambda m: m.find_element(By.ID, "key").is_displayed(), "the sign-in form shows")
        firefox.find_element(By.ID, "key").send_keys(admin["api_key"])
        firefox.find_element(By.ID, "secret").send_keys(admin["api_secret"])
        click("#signin button")
        loaded("overview")
        check(firefox.execute_script("return localStorage.length") == 0, "nothing in local storage")
        print(f"console in Firefox {version}: signed in")

        for page in PAGES:
            firefox.navigate(f"{gateway}/admin#/{page}")
            loaded(page)
            failed = firefox.find_elements(By.CSS_SELECTOR, "#view [role=alert]")
            check(not failed, f"the {page} page could not load in Firefox: {failed[0].text if failed else ''}")
            check(len(firefox.find_element(By.ID, "view").text) > 40, f"the {page} page shows something in Firefox")
            time.sleep(0.3)
            with open(os.path.join(shots, f"firefox-{page}.png"), "wb") as out:
                out.write(base64.b64decode(firefox.screenshot()))

        flag = "admin.v2"
        firefox.navigate(f"{gateway}/admin#/config")
        loaded("config")
        for turn in range(2):
            was = next(f["enabled"] for f in call(gateway, "GET", "/api/v1/admin/flags", headers=auth)[1]["flags"] if f["name"] == flag)
            click(f"[data-flag='{flag}']")
            until(lambda m: next(f["enabled"] for f in call(gateway, "GET", "/api/v1/admin/flags", headers=auth)[1]["flags"] if f["name"] == flag) != was,
                  f"the flag toggles from Firefox (turn {turn + 1})")
            until(lambda m: m.find_element(By.CSS_SELECTOR, f"[data-flag='{flag}']").get_attribute("aria-pressed") == str(not was).lower(),
                  "the page shows it toggled")
        print(f"console in Firefox {version}: every page loads, a flag toggled there and back; screenshots in {shots}")
    finally:
        firefox.cleanup()
        # mozprofile removes its profile on collection: now, not while Python shuts down.
        del firefox
        gc.collect()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    run(*sys.argv[1:])
