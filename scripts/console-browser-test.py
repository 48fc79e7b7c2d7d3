#!/usr/bin/env python3
"""Scenarios of the web console in headless Chromium (run by scripts/console-browser-test).

A live `dispatch serve` with a fresh store and three keys (an operator of one municipality, an
operator of another, a dispatcher). Elements are found by the console's ids and classes
(the console contract): form#sign-in, form#booking, section#answer, table#bookings, svg#plan-map, …

  a. an operator books a ride by phone: pickup typed in kana and picked from the suggestions with
     the mouse, drop-off typed in kanji and picked with the arrow keys and Enter → accepted with
     a promised window; a second booking the desk rejects (the fleet is full at that time) offers
     alternatives, and one click on one books it.
  b. a dispatcher re-plans the day from the board, finds the booking in the table, selects it on
     the map, and finds it in its vehicle's manifest.
  c. an operator of another municipality finds no trips of that resident and cannot cancel them.
  d. form POSTs without (or with a wrong) CSRF token are refused with 403 and change nothing;
     after signing out, the old session cookie opens nothing.
  e. axe-core on every page: no violation of impact serious or critical.
  f. a screenshot of every screen (PNG, 1280 wide).

Every check says what it expected and what it found; the exit status is 1 when any failed.
"""
import argparse
import base64
import html
import json
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never downloads anything

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WIDTH = 1280
WAIT = 10          # seconds for an element to appear after an action
REPLAN_WAIT = 60   # seconds for a re-plan to finish

# The resident of scenario (a) and the stops typed for them (embedded zone).
RESIDENT = "OK-0042"
PICKUP_KANA = "さかした"                  # Sakashita (坂下), a hamlet of Okukawa-mura
PICKUP_STOP = "sakashita-hamlet"
PICKUP_LOCAL = "坂下"
DROPOFF_KANJI = "県立花岡病院"             # Hanaoka Prefectural Hospital
DROPOFF_STOP = "hanaoka-prefectural-hospital-hospital"
# The fleet-filling trip: parties of three from Okukawa's town hall to the hospital at 07:15.
FULL_FROM = "okukawa-yakuba-mae-meetingpoint"
FULL_FROM_ROMAJI = "Okukawa Yakuba"
FULL_TIME = "07:15"


class Failure(Exception):
    """A check that did not hold; the message says what was expected and what was found."""


def check(condition, message):
    if not condition:
        raise Failure(message)


class Run:
    def __init__(self, args):
        self.args = args
        self.url = args.url.rstrip("/")
        self.keys = json.load(open(args.keys))
        self.date = None   # chosen when seeding
        self.failures = []
        self.axe_script = open(args.axe, encoding="utf-8").read()
        self.axe_minor = {}     # rule id → (impact, pages)
        self.axe_pages = []     # (page, rules passed, violations)
        self.shots = []
        self.failure_dir = os.path.join(".build", "console-failures")
        self.drivers = []

    # MARK: HTTP (the REST API for seeding and ground truth; raw form posts for CSRF checks)

    def request(self, method, path, key=None, body=None, headers=None, form=None, cookie=None):
        """(status, headers, text) without following redirects."""
        data = None
        h = dict(headers or {})
        if key:
            h["Authorization"] = f"Bearer {key}"
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h.setdefault("Origin", self.url)
        if cookie:
            h["Cookie"] = cookie
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=h)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def api(self, method, path, key, body=None):
        status, _, text = self.request(method, path, key=key, body=body)
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def booking(self, booking_id, key=None):
        status, doc = self.api("GET", f"/v1/bookings/{booking_id}", key or self.keys["dispatcher"])
        check(status == 200, f"GET /v1/bookings/{booking_id} answered {status}: {doc}")
        return doc

    def bookings_of(self, passenger):
        status, doc = self.api("GET", f"/v1/bookings?date={self.date}", self.keys["dispatcher"])
        check(status == 200, f"GET /v1/bookings?date={self.date} answered {status}: {doc}")
        items = doc["bookings"] if isinstance(doc, dict) else doc
        return [b for b in items if b.get("passenger_ref") == passenger]

    def book_api(self, key, municipality, passenger, pickup, dropoff, time_text, party=1):
        body = {"passenger_ref": passenger, "municipality": municipality, "pickup": {"stop_id": pickup},
                "dropoff": {"stop_id": dropoff}, "date": self.date, "pickup_time": time_text, "party_size": party}
        status, doc = self.api("POST", "/v1/bookings", key, body)
        check(status == 201, f"seeding: POST /v1/bookings answered {status}: {doc}")
        return doc

    def choose_date(self):
        """The first Tuesday to Thursday at least two days ahead (zone time, UTC+9) that the zone serves.

        The console lists a resident's trips from 90 days back to 400 ahead, so the day is near
        today; a date the booking rules refuse (a public holiday, a closing day) is skipped.
        """
        import datetime
        day = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))) + datetime.timedelta(days=2)).date()
        for _ in range(30):
            if day.weekday() in (1, 2, 3):
                body = {"passenger_ref": "OK-0001", "municipality": self.keys["operator_municipality"],
                        "pickup": {"stop_id": "okubo-hamlet"}, "dropoff": {"stop_id": "okukawa-mura-towncentre"},
                        "date": day.isoformat(), "pickup_time": "09:00"}
                status, doc = self.api("POST", "/v1/bookings", self.keys["operator"], body)
                if status == 201:
                    return day.isoformat()
                check(status == 422 and (doc.get("error") or {}).get("code") == "booking_rule",
                      f"seeding: POST /v1/bookings for {day} answered {status}: {doc}")
            day += datetime.timedelta(days=1)
        raise Failure("seeding: no Tuesday to Thursday of the next 30 days takes bookings")

    def seed(self):
        """A day with some bookings, and the 07:15 trip from Okukawa booked until the fleet is full."""
        self.date = self.choose_date()
        print(f"seed: the day is {self.date}")
        op, other = self.keys["operator"], self.keys["other_operator"]
        mine, theirs = self.keys["operator_municipality"], self.keys["other_municipality"]
        for i, (pickup, dropoff, t) in enumerate([
            ("yuzawa-hamlet", "hanaoka-station-station", "11:30"),
            ("hanaoka-prefectural-hospital-hospital", "okukawa-yakuba-mae-meetingpoint", "14:00"),
        ]):
            self.book_api(op, mine, f"OK-{i + 2:04d}", pickup, dropoff, t)
        for i, (pickup, dropoff, t) in enumerate([
            ("tanohara-hamlet", "super-hanaoka-supermarket", "09:30"),
            ("kamimura-hamlet", "hanaoka-prefectural-hospital-hospital", "10:00"),
            ("super-hanaoka-supermarket", "iwakura-hamlet", "13:30"),
        ]):
            self.book_api(other, theirs, f"HN-{i + 1:04d}", pickup, dropoff, t)
        for i in range(40):
            answer = self.book_api(op, mine, f"OK-{100 + i:04d}", FULL_FROM, DROPOFF_STOP, FULL_TIME, party=3)
            if answer["status"] == "rejected":
                check(answer.get("alternatives"), f"seeding: the full fleet at {FULL_TIME} gave no alternatives: {answer}")
                print(f"seed: the fleet is full at {FULL_TIME} after {i} parties of three; the desk offers "
                      + ", ".join(a.get("pickup_time", "?") for a in answer["alternatives"]))
                break
        else:
            raise Failure(f"seeding: 40 parties of three at {FULL_TIME} were all accepted; the fleet never filled")
        # A weekly pattern for the standing bookings page.
        body = {"passenger_ref": "OK-0007", "municipality": mine, "pickup": {"stop_id": "ono-hamlet"},
                "dropoff": {"stop_id": DROPOFF_STOP}, "arrive_by": "09:00", "weekdays": ["mon", "wed", "fri"],
                "from": self.date, "until": shift_date(self.date, 13)}
        status, doc = self.api("POST", "/v1/standing-bookings", op, body)
        check(status == 201, f"seeding: POST /v1/standing-bookings answered {status}: {doc}")

    # MARK: Browser

    def browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  f"--window-size={WIDTH},900", "--lang=ja", "--hide-scrollbars", "--force-device-scale-factor=1"]:
            options.add_argument(a)
        options.add_experimental_option("prefs", {"intl.accept_languages": "ja,en"})
        service = Service(executable_path=self.args.chromedriver, log_output=os.path.join(self.args.work, "chromedriver.log"))
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        self.drivers.append(driver)
        return driver

    def quit(self):
        for d in self.drivers:
            try:
                d.quit()
            except WebDriverException:
                pass

    @staticmethod
    def wait(driver, what, condition, seconds=WAIT):
        try:
            return WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: condition(d))
        except TimeoutException:
            raise Failure(f"{what} (waited {seconds} s on {driver.current_url}{page_error(driver)})") from None

    def find(self, driver, css, what=None):
        return self.wait(driver, what or f"no element `{css}`", lambda d: first(d, css))

    def sign_in(self, driver, key, role):
        driver.get(self.url + "/console/")
        self.wait(driver, f"{role}: GET /console/ without a session did not lead to /console/sign-in",
                  lambda d: urllib.parse.urlparse(d.current_url).path == "/console/sign-in")
        check(first(driver, "form#sign-in input[name=csrf]"), "the sign-in form has no hidden input[name=csrf]")
        key_input = self.find(driver, "form#sign-in input#key")
        check(key_input.get_attribute("type") == "password", f"input#key is of type {key_input.get_attribute('type')!r}, not password")
        key_input.send_keys(key)
        self.find(driver, "button#sign-in-submit").click()
        landing = "/console/book" if role == "operator" else "/console/board"
        self.wait(driver, f"{role}: after signing in the browser is not on {landing}",
                  lambda d: urllib.parse.urlparse(d.current_url).path == landing)
        cookies = {c["name"]: c for c in driver.get_cookies()}
        session = cookies.get("dispatch_session")
        check(session, f"{role}: no dispatch_session cookie after signing in (cookies: {sorted(cookies)})")
        check(session.get("httpOnly"), "the dispatch_session cookie is not HttpOnly")
        check(session.get("sameSite") == "Strict", f"the dispatch_session cookie has SameSite={session.get('sameSite')}, not Strict")
        check(session.get("path") == "/console", f"the dispatch_session cookie has Path={session.get('path')}, not /console")

    def cookie_header(self, driver):
        return "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())

    # MARK: Pages for people: axe-core and screenshots

    def page(self, driver, name, title):
        """Runs axe-core on the page and saves its screenshot as name.png."""
        self.axe(driver, name)
        self.screenshot(driver, name, title)

    def axe(self, driver, name):
        driver.execute_script(self.axe_script)
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations, passed: r.passes.length}), e => done({error: String(e)}));")
        if "error" in result:
            raise Failure(f"axe-core did not run on the {name} page: {result['error']}")
        check(result["passed"] > 0, f"axe-core passed no rule on the {name} page: it did not look at it")
        self.axe_pages.append((name, result["passed"], len(result["violations"])))
        bad = []
        for v in result["violations"]:
            if v.get("impact") in ("serious", "critical"):
                targets = "; ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:5])
                bad.append(f"{v['id']} ({v['impact']}: {v.get('help')}) on {len(v.get('nodes', []))} element(s): {targets}")
            else:
                impact, pages = self.axe_minor.get(v["id"], (v.get("impact"), []))
                self.axe_minor[v["id"]] = (impact, pages + [name])
        check(not bad, f"axe-core on the {name} page: {len(bad)} serious or critical violation(s):\n      " + "\n      ".join(bad))

    def screenshot(self, driver, name, title):
        os.makedirs(self.args.screenshots, exist_ok=True)
        path = os.path.join(self.args.screenshots, f"{name}.png")
        # As tall as the content (not the 900-pixel window), at most 2400 pixels.
        height = driver.execute_script(
            "return Math.ceil(document.body.getBoundingClientRect().bottom + window.scrollY"
            " + parseFloat(getComputedStyle(document.body).marginBottom || '0'))")
        height = max(480, min(int(height) + 16, 2400))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False})
        png = base64.b64decode(driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"])
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        check(png[:8] == b"\x89PNG\r\n\x1a\n", f"the screenshot of {name} is not a PNG")
        width = int.from_bytes(png[16:20], "big")
        check(width == WIDTH, f"the screenshot of {name} is {width} pixels wide, not {WIDTH}")
        with open(path, "wb") as f:
            f.write(png)
        self.shots.append((path, title))

    # MARK: Scenarios

    def scenario_a(self):
        """An operator books by phone: kana and kanji stop names; an alternative in one click."""
        d = self.browser()
        self.operator_driver = d
        self.sign_in(d, self.keys["operator"], "operator")
        check(first(d, "html").get_attribute("lang") == "ja",
              f"with Accept-Language ja the page is <html lang={first(d, 'html').get_attribute('lang')!r}>, not ja")
        for css in ["header nav#console-nav", "a#nav-book", "a#lang-ja", "a#lang-en", "form#sign-out button#sign-out-submit"]:
            check(first(d, css), f"the operator's page has no `{css}`")
        check(not first(d, "a#nav-board"), "an operator's navigation offers the board (a#nav-board)")
        # The language switch: English, then back to Japanese.
        for link, lang in (("a#lang-en", "en"), ("a#lang-ja", "ja")):
            self.find(d, link).click()
            self.wait(d, f"after clicking {link} the page is not <html lang={lang}>",
                      lambda x: first(x, "html").get_attribute("lang") == lang)
        self.find(d, "form#booking", "the operator's page has no form#booking")
        self.axe(d, "book")  # its picture is the one with the stop suggestions

        # Pickup in kana, drop-off in kanji, each chosen from the suggestions.
        self.fill_booking(d, RESIDENT, pickup=(PICKUP_KANA, PICKUP_STOP), dropoff=(DROPOFF_KANJI, DROPOFF_STOP),
                          time_text="10:00", party=1, screenshot_suggestions=True)
        self.find(d, "button#booking-submit").click()
        answer = self.find(d, "section#answer", "after submitting the booking no section#answer appeared")
        outcome = answer.get_attribute("data-outcome")
        check(outcome == "accepted", f"the ride {PICKUP_KANA} → {DROPOFF_KANJI} at 10:00 was answered {outcome!r}, not accepted"
              f" (reason: {text_of(d, '#reason')!r})")
        window = text_of(d, "#promised-window")
        m = re.search(r"(\d\d:\d\d)\s*[–-]\s*(\d\d:\d\d)", window or "")
        check(m, f"#promised-window reads {window!r}, not a window like 09:55–10:15")
        booking_id = (text_of(d, "#booking-id") or "").strip()
        check(booking_id, "the accepted answer shows no #booking-id")
        stored = self.booking(booking_id, self.keys["operator"])
        check(stored.get("status") == "accepted", f"booking {booking_id} is {stored.get('status')!r} in the store")
        check(stored.get("passenger_ref") == RESIDENT, f"booking {booking_id} is for {stored.get('passenger_ref')!r}, not {RESIDENT}")
        check(stop_id(stored.get("pickup")) == PICKUP_STOP, f"booking {booking_id} picks up at {stored.get('pickup')}, not {PICKUP_STOP}")
        check(stop_id(stored.get("dropoff")) == DROPOFF_STOP, f"booking {booking_id} drops off at {stored.get('dropoff')}, not {DROPOFF_STOP}")
        promised = stored.get("promised_pickup") or {}
        check((promised.get("from", "")[:5], promised.get("to", "")[:5]) == (m.group(1), m.group(2)),
              f"the page promised {m.group(1)}–{m.group(2)}, the store {promised}")
        self.booking_id = booking_id
        print(f"a. booked {booking_id}: {PICKUP_KANA} → {DROPOFF_KANJI}, promised {m.group(1)}–{m.group(2)}")
        self.page(d, "answer-accepted", "The immediate answer: accepted with the promised pickup window")

        # The fleet is full at 07:15: rejected with alternatives; one click books the first.
        self.fill_booking(d, "OK-0043", pickup=(FULL_FROM_ROMAJI, FULL_FROM), dropoff=(DROPOFF_KANJI, DROPOFF_STOP),
                          time_text=FULL_TIME, party=3)
        before = {b["id"] for b in self.bookings_of("OK-0043")}
        self.find(d, "button#booking-submit").click()
        answer = self.find(d, "section#answer[data-outcome]", "after submitting the second booking no section#answer appeared")
        outcome = answer.get_attribute("data-outcome")
        check(outcome == "rejected", f"a party of three at {FULL_TIME} with the fleet full was answered {outcome!r}, not rejected")
        check((text_of(d, "#reason") or "").strip(), "the rejection gives no #reason")
        options = d.find_elements(By.CSS_SELECTOR, "ul#alternatives li form.alternative")
        check(options, "the rejection lists no alternatives (ul#alternatives li form.alternative)")
        offered = [field_value(f, "pickup_time") or field_value(f, "time") for f in options]
        print(f"a. {FULL_TIME} rejected ({text_of(d, '#reason').strip()}); alternatives {offered}")
        self.page(d, "answer-rejected", "Rejected with the reason and nearby times that fit, each one click")
        take = options[0].find_element(By.CSS_SELECTOR, "button.take-alternative")
        take.click()
        self.wait(d, "after taking an alternative no accepted answer appeared",
                  lambda x: (first(x, "section#answer[data-outcome=accepted]") and (text_of(x, "#booking-id") or "").strip()))
        alt_id = text_of(d, "#booking-id").strip()
        alt = self.booking(alt_id, self.keys["operator"])
        check(alt.get("status") == "accepted" and alt.get("passenger_ref") == "OK-0043" and alt.get("party_size") == 3,
              f"the alternative's booking {alt_id} is {alt.get('status')} for {alt.get('passenger_ref')}, party {alt.get('party_size')}")
        asked = (alt.get("pickup_time") or alt.get("arrive_by") or "")[:5]
        if offered[0]:
            check(asked == offered[0][:5], f"the alternative offered {offered[0]} but booking {alt_id} asks for {asked}")
        after = {b["id"] for b in self.bookings_of("OK-0043")}
        check(len(after - before) == 2, f"the rejection and the alternative should be two new bookings of OK-0043; found {sorted(after - before)}")
        self.alternative_id = alt_id
        print(f"a. took the alternative {asked}: booking {alt_id} accepted")

        # The resident's trips: found by ref, with the booking just made.
        self.search_passenger(d, RESIDENT)
        trip = first(d, f"section#passenger-trips tr.trip[data-booking='{booking_id}']")
        check(trip, f"the operator's search for {RESIDENT} does not list booking {booking_id} in section#passenger-trips")
        for name in (PICKUP_LOCAL, DROPOFF_KANJI):
            check(name in trip.text, f"the trip {booking_id} ({PICKUP_STOP} → {DROPOFF_STOP}) does not name {name}: {trip.text!r}")
        self.page(d, "passenger-trips", "A resident's recent and upcoming trips, with rebook and cancel")
        rebook = first(d, f"tr.trip[data-booking='{booking_id}'] button.rebook")
        check(rebook, f"the trip {booking_id} has no button.rebook")
        rebook.click()
        self.wait(d, f"rebooking {booking_id} did not prefill #pickup-stop with {PICKUP_STOP}",
                  lambda x: first(x, "#pickup-stop") and first(x, "#pickup-stop").get_attribute("value") == PICKUP_STOP)

        # The map: a click on a stop's dot chooses it; a click off the dots gives a point.
        self.find(d, "details#map-picker summary").click()
        dot = self.wait(d, f"the opened map shows no circle.place[data-stop={DROPOFF_STOP}]",
                        lambda x: first(x, f"svg#stop-map circle.place[data-stop='{DROPOFF_STOP}']"))
        self.find(d, "input#map-sets-dropoff").click()
        d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot)
        chosen = self.find(d, "input#dropoff-stop").get_attribute("value")
        check(chosen == DROPOFF_STOP, f"clicking the dot of {DROPOFF_STOP} on the map set #dropoff-stop to {chosen!r}")
        check(DROPOFF_KANJI in self.find(d, "input#dropoff").get_attribute("value"),
              f"clicking the dot of {DROPOFF_STOP} wrote {self.find(d, 'input#dropoff').get_attribute('value')!r} into #dropoff")
        self.find(d, "input#map-sets-pickup").click()
        svg = self.find(d, "svg#stop-map")
        # A click near the map's top left corner (a corner has no dots), where the page shows it.
        d.execute_script("""
            const svg = arguments[0]; svg.scrollIntoView({block: 'start'});
            const box = svg.getBoundingClientRect();
            svg.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: box.left + 6, clientY: box.top + 6}));
            """, svg)
        point = self.find(d, "input#pickup").get_attribute("value")
        check(re.fullmatch(r"-?\d+\.\d{6}, -?\d+\.\d{6}", point or ""), f"a click off the dots wrote {point!r} into #pickup, not 'lat, lon'")
        check(self.find(d, "input#pickup-stop").get_attribute("value") == "", "a click off the dots left a stop in #pickup-stop")
        print(f"a. on the map: the dot of {DROPOFF_STOP} chose it; a click off the dots gave {point}")

    def scenario_standing(self):
        """The operator's standing bookings page lists the seeded weekly pattern."""
        d = self.operator_driver
        d.get(self.url + "/console/standing")
        self.find(d, "table#standing", "GET /console/standing has no table#standing")
        check(first(d, "form#standing-create"), "the standing bookings page has no form#standing-create")
        check("OK-0007" in first(d, "table#standing").text, "table#standing does not list the weekly pattern of OK-0007")
        self.page(d, "standing", "Standing bookings: weekly patterns")

    def fill_booking(self, d, passenger, pickup, dropoff, time_text, party, screenshot_suggestions=False):
        d.get(self.url + "/console/book")
        self.find(d, "form#booking")
        set_text(self.find(d, "input#booking-passenger"), passenger)
        for field, (typed, stop) in (("pickup", pickup), ("dropoff", dropoff)):
            box = self.find(d, f"input#{field}")
            box.clear()
            box.send_keys(typed)
            option = self.wait(d, f"typing {typed!r} into #{field} suggested no li[role=option][data-stop={stop}] in ul#{field}-suggestions",
                               lambda x: visible(first(x, f"ul#{field}-suggestions li[role=option][data-stop='{stop}']")))
            if screenshot_suggestions and field == "pickup":
                self.page(d, "stop-suggestions", f"Stop suggestions for a name typed in kana ({typed})")
            if field == "pickup":
                option.click()
            else:
                self.choose_by_keyboard(d, box, field, stop)
            chosen = self.find(d, f"input#{field}-stop").get_attribute("value")
            check(chosen == stop, f"choosing the suggestion for {typed!r} set #{field}-stop to {chosen!r}, not {stop}")
        set_value(d, self.find(d, "input#date"), self.date)
        self.find(d, "input#time-kind-pickup").click()
        set_value(d, self.find(d, "input#time"), time_text)
        set_text(self.find(d, "input#party"), str(party))

    def choose_by_keyboard(self, d, box, field, stop):
        """Arrow keys to the suggestion (aria-selected), Enter to choose it: no mouse."""
        css = f"ul#{field}-suggestions li[role=option]"
        count = len(d.find_elements(By.CSS_SELECTOR, css))
        for _ in range(count + 1):
            marked = first(d, css + "[aria-selected=true]")
            if marked is not None and marked.get_attribute("data-stop") == stop:
                box.send_keys(Keys.ENTER)
                return
            box.send_keys(Keys.ARROW_DOWN)
        raise Failure(f"the arrow keys in #{field} never marked the suggestion {stop} (aria-selected=true) among {count}")

    def search_passenger(self, d, passenger):
        d.get(self.url + "/console/book")
        box = self.find(d, "form#passenger-search input#passenger")
        set_text(box, passenger)
        self.find(d, "button#passenger-search-submit").click()
        self.find(d, "section#passenger-trips", f"searching {passenger} showed no section#passenger-trips")

    def scenario_b(self):
        """A dispatcher re-plans from the board and finds the booking on the map and in a manifest."""
        check(getattr(self, "booking_id", None), "scenario a made no booking to look for")
        d = self.browser()
        self.sign_in(d, self.keys["dispatcher"], "dispatcher")
        check(not first(d, "a#nav-book"), "a dispatcher's navigation offers phone booking (a#nav-book)")
        d.get(f"{self.url}/console/board?date={self.date}")
        self.find(d, "form#board-date input#board-date-input", "the board has no form#board-date with input#board-date-input")
        form = self.find(d, "form#replan", "the board has no form#replan")
        limit = first(d, "form#replan [name=time_limit]")
        if limit and limit.tag_name == "input" and limit.get_attribute("type") not in ("hidden",):
            set_value(d, limit, "1")
        before = self.latest_plan_version()
        check(first(d, "#replan-progress"), "the board has no #replan-progress")
        d.execute_script("window.consoleTestBeforeReplan = true")
        self.find(d, "button#replan-submit").click()
        result = self.wait(d, "the re-plan wrote nothing into #replan-result",
                           lambda x: first(x, "#replan-result") if (text_of(x, "#replan-result") or "").strip() else None, REPLAN_WAIT)
        check(not has_class(result, "error"), f"the re-plan failed: {result.text!r}")
        print(f"b. the re-plan's result: {result.text.strip()!r}")
        # Then the board reloads with the new plan.
        self.wait(d, "the board did not reload after the re-plan",
                  lambda x: x.execute_script("return window.consoleTestBeforeReplan === undefined && document.readyState === 'complete'"), 20)
        after = self.latest_plan_version()
        check(after is not None and after != before, f"after the re-plan the latest plan version is {after} (was {before})")
        print(f"b. re-planned {self.date}: plan version {after}")
        # The board shows the new plan: the booking in the table and on the map.
        row = self.wait(d, f"table#bookings has no tr.booking[data-booking={self.booking_id}] after the re-plan",
                        lambda x: first(x, f"table#bookings tr.booking[data-booking='{self.booking_id}']"), 20)
        check(row.get_attribute("data-status"), f"the row of {self.booking_id} has no data-status")
        self.find(d, f"svg#plan-map [data-booking='{self.booking_id}']",
                  f"svg#plan-map has no element with data-booking={self.booking_id}")
        duty, vehicle = self.vehicle_of(self.booking_id)
        check(first(d, f"svg#plan-map g.route[data-vehicle='{duty}']"), f"svg#plan-map has no g.route[data-vehicle={duty}]")
        row = first(d, f"table#bookings tr.booking[data-booking='{self.booking_id}']")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        row.click()
        self.wait(d, f"clicking the row of {self.booking_id} did not mark its stops on svg#plan-map with class `selected`",
                  lambda x: all_selected(x, f"svg#plan-map [data-booking='{self.booking_id}']"))
        check(has_class(first(d, f"tr.booking[data-booking='{self.booking_id}']"), "selected"),
              f"clicking the row of {self.booking_id} did not give the row class `selected`")
        # The vehicle list selects a route.
        button = first(d, f"ul#vehicles button.vehicle[data-vehicle='{duty}']")
        check(button, f"ul#vehicles has no button.vehicle[data-vehicle={duty}]")
        d.execute_script("window.scrollTo(0, 0)")
        for css in ["#timeline", "table#unserved", "section#call-list", "select#status-filter", "input#booking-search"]:
            check(first(d, css), f"the board has no `{css}`")
        self.page(d, "board", "The day board after a re-plan, the booking selected on the map")
        button.click()
        self.wait(d, f"clicking vehicle {duty} did not give g.route[data-vehicle={duty}] class `selected`",
                  lambda x: has_class(first(x, f"svg#plan-map g.route[data-vehicle='{duty}']"), "selected"))
        # The vehicle's manifest lists the booking.
        link = first(d, f"a.manifest-link[data-vehicle='{vehicle}']")
        check(link, f"the board has no a.manifest-link[data-vehicle={vehicle}] (the vehicle of {self.booking_id})")
        d.get(link.get_attribute("href"))
        self.wait(d, f"the manifest of {vehicle} does not list booking {self.booking_id} or passenger {RESIDENT}",
                  lambda x: self.booking_id in x.page_source or RESIDENT in x.page_source)
        check("/console/manifest" in d.current_url, f"the manifest link leads to {d.current_url}, not /console/manifest")
        print(f"b. {self.booking_id} is on {duty}; the manifest of {vehicle} lists it")
        self.page(d, "manifest", f"The printable A4 manifest of a vehicle ({vehicle})")
        self.dispatcher_driver = d

    def latest_plan_version(self):
        status, doc = self.api("GET", f"/v1/plans/{self.date}", self.keys["dispatcher"])
        return doc.get("version") if status == 200 and isinstance(doc, dict) else None

    def vehicle_of(self, booking_id):
        status, doc = self.api("GET", f"/v1/plans/{self.date}", self.keys["dispatcher"])
        check(status == 200, f"GET /v1/plans/{self.date} answered {status}")
        for route in doc.get("vehicles", []):
            if any(s.get("booking_id") == booking_id for s in route.get("stops", [])):
                return route["id"], route["id"].split("#")[0]
        raise Failure(f"the latest plan of {self.date} does not serve booking {booking_id} (unserved: {doc.get('unserved')})")

    def scenario_c(self):
        """An operator of another municipality sees nothing of the resident and cannot cancel."""
        check(getattr(self, "booking_id", None), "scenario a made no booking to look for")
        d = self.browser()
        self.sign_in(d, self.keys["other_operator"], "operator")
        self.search_passenger(d, RESIDENT)
        trips = d.find_elements(By.CSS_SELECTOR, "section#passenger-trips tr.trip")
        check(not trips, f"an operator of {self.keys['other_municipality']} sees {len(trips)} trip(s) of {RESIDENT} of "
              f"{self.keys['operator_municipality']}")
        check(self.booking_id not in d.page_source, f"the page of the other municipality's operator names booking {self.booking_id}")
        print(f"c. an operator of {self.keys['other_municipality']} searching {RESIDENT}: no trips")
        # Cancelling it with this session's own valid token: refused, and the booking stays.
        token = first(d, "form#booking input[name=csrf]") or first(d, "input[name=csrf]")
        check(token, "the booking page has no hidden input[name=csrf]")
        was = self.booking(self.booking_id).get("status")
        status, _, text = self.request("POST", f"/console/bookings/{self.booking_id}/cancel",
                                       form={"csrf": token.get_attribute("value")}, cookie=self.cookie_header(d))
        check(status in (403, 404), f"an operator of another municipality cancelling {self.booking_id} got {status}, not 403 or 404")
        now = self.booking(self.booking_id).get("status")
        check(now == was, f"booking {self.booking_id} went from {was} to {now} when another municipality's operator tried to cancel it")
        status, _, _ = self.request("GET", f"/v1/bookings/{self.booking_id}", key=self.keys["other_operator"])
        check(status == 404, f"GET /v1/bookings/{self.booking_id} with the other municipality's key answered {status}, not 404")
        print(f"c. its cancel POST was refused ({status}) and the booking is unchanged")
        status, _, _ = self.request("GET", f"/console/board?date={self.date}", cookie=self.cookie_header(d))
        check(status == 403, f"an operator's GET /console/board answered {status}, not 403")

    def scenario_d(self):
        """Form POSTs without or with a wrong CSRF token: 403 naming CSRF, nothing changed."""
        check(getattr(self, "alternative_id", None), "scenario a made no second booking to cancel")
        d = getattr(self, "operator_driver", None) or self.browser()
        if urllib.parse.urlparse(d.current_url).path.startswith("/console/sign-in") or not d.get_cookie("dispatch_session"):
            self.sign_in(d, self.keys["operator"], "operator")
        d.get(self.url + "/console/book")
        token = self.find(d, "form#booking input[name=csrf]").get_attribute("value")
        cookie = self.cookie_header(d)
        target = self.alternative_id
        cancel = f"/console/bookings/{target}/cancel"
        was = self.booking(target).get("status")
        check(was != "cancelled", f"booking {target} is cancelled before the test")
        for label, form in (("without a token", {}), ("with a wrong token", {"csrf": "0" * len(token or "x")})):
            status, _, text = self.request("POST", cancel, form=form, cookie=cookie)
            check(status == 403, f"POST {cancel} {label} answered {status}, not 403")
            check("CSRF" in error_text(text), f"the 403 page of POST {cancel} {label} has no p.error naming CSRF: {error_text(text)!r}")
            now = self.booking(target).get("status")
            check(now == was, f"POST {cancel} {label} changed booking {target} from {was} to {now}")
        count = len(self.bookings_of("OK-0099"))
        form = {"passenger_ref": "OK-0099", "pickup_text": "", "pickup_stop": PICKUP_STOP, "dropoff_text": "",
                "dropoff_stop": DROPOFF_STOP, "date": self.date, "time_kind": "pickup", "time": "12:00",
                "party_size": "1", "wheelchairs": "0", "concession": "", "notes": ""}
        status, _, text = self.request("POST", "/console/book", form=form, cookie=cookie)
        check(status == 403, f"POST /console/book without a token answered {status}, not 403")
        check(len(self.bookings_of("OK-0099")) == count, "POST /console/book without a token stored a booking")
        print("d. cancel and book without (or with a wrong) CSRF token: 403, nothing changed")
        # The same cancel with the session's token goes through: the refusal was the token's.
        status, _, _ = self.request("POST", cancel, form={"csrf": token}, cookie=cookie)
        check(status in (200, 303), f"POST {cancel} with the session's token answered {status}")
        check(self.booking(target).get("status") == "cancelled", f"POST {cancel} with the session's token did not cancel {target}")
        print(f"d. with the session's token the same cancel went through ({status})")
        # Signing out ends the session on the server: its cookie opens nothing any more.
        self.find(d, "form#sign-out button#sign-out-submit").click()
        self.wait(d, "signing out did not lead to /console/sign-in",
                  lambda x: urllib.parse.urlparse(x.current_url).path == "/console/sign-in")
        status, headers, _ = self.request("GET", "/console/book", cookie=cookie)
        check(status == 303 and "/console/sign-in" in (headers.get("Location") or headers.get("location") or ""),
              f"after signing out, GET /console/book with the old session cookie answered {status} (Location {headers.get('Location')}), "
              "not 303 to /console/sign-in")
        print("d. signed out: the old session cookie leads back to the sign-in page")

    def scenario_sign_in_page(self):
        """The sign-in page itself (axe, screenshot) and a wrong key."""
        d = self.browser()
        d.get(self.url + "/console/sign-in")
        self.find(d, "form#sign-in")
        self.page(d, "sign-in", "Sign-in with an API key")
        self.find(d, "input#key").send_keys("not-a-key")
        self.find(d, "button#sign-in-submit").click()
        self.find(d, "p.error", "signing in with a wrong key showed no p.error")
        check(not d.get_cookie("dispatch_session"), "a wrong key got a dispatch_session cookie")
        d.quit()
        self.drivers.remove(d)

    # MARK: Running

    def run(self):
        os.makedirs(self.failure_dir, exist_ok=True)
        for old in os.listdir(self.failure_dir):
            if old.endswith(".png"):
                os.remove(os.path.join(self.failure_dir, old))
        started = time.monotonic()
        steps = [("seed the day", self.seed),
                 ("sign-in page", self.scenario_sign_in_page),
                 ("a. operator books by phone", self.scenario_a),
                 ("a. standing bookings page", self.scenario_standing),
                 ("b. dispatcher re-plans and finds the booking", self.scenario_b),
                 ("c. another municipality's operator", self.scenario_c),
                 ("d. CSRF", self.scenario_d)]
        try:
            for name, step in steps:
                try:
                    step()
                    print(f"ok   {name}")
                except Failure as failure:
                    self.failed(name, str(failure))
                except Exception as error:  # a browser or network error is a failure of the step too
                    self.failed(name, f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
                if self.failures and name == "seed the day":
                    break
        finally:
            self.quit()
        print("axe-core: " + ", ".join(f"{page} ({passed} rules passed, {found} violations)" for page, passed, found in self.axe_pages))
        if self.axe_minor:
            print("axe-core, minor and moderate violations (not failures):")
            for rule, (impact, pages) in sorted(self.axe_minor.items()):
                print(f"  {rule} ({impact}): {', '.join(sorted(set(pages)))}")
        print(f"screenshots ({len(self.shots)}) in {self.args.screenshots}")
        print(f"console-browser-test: {len(steps) - len(self.failures)} of {len(steps)} steps passed in "
              f"{time.monotonic() - started:.0f} s")
        if self.failures:
            print("console-browser-test: FAILED", file=sys.stderr)
            for name, message in self.failures:
                print(f"  {name}: {message}", file=sys.stderr)
            return 1
        return 0

    def failed(self, name, message):
        print(f"FAIL {name}: {message}")
        self.failures.append((name, message))
        for i, d in enumerate(self.drivers):
            try:
                d.save_screenshot(os.path.join(self.failure_dir, f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}-{i}.png"))
            except WebDriverException:
                pass


# MARK: Helpers

def first(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0] if found else None


def visible(element):
    try:
        return element if element is not None and element.is_displayed() else None
    except WebDriverException:
        return None


def text_of(driver, css):
    e = first(driver, css)
    return e.text if e is not None else None


def has_class(element, name):
    return element is not None and name in (element.get_attribute("class") or "").split()


def all_selected(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return bool(found) and all(has_class(e, "selected") for e in found)


def field_value(form, name):
    found = form.find_elements(By.CSS_SELECTOR, f"input[name='{name}']")
    return found[0].get_attribute("value") if found else None


def set_text(element, text):
    element.clear()
    element.send_keys(text)


def set_value(driver, element, value):
    """Sets an input's value as a user would end up with it (date and time inputs are locale-dependent to type)."""
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)


def stop_id(place):
    return place.get("stop_id") if isinstance(place, dict) else None


def error_text(page):
    m = re.search(r'<p[^>]*class="[^"]*\berror\b[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""


def page_error(driver):
    try:
        e = first(driver, "p.error")
        return f"; the page says: {e.text!r}" if e is not None and e.text else ""
    except WebDriverException:
        return ""


def shift_date(text, days):
    import datetime
    return (datetime.date.fromisoformat(text) + datetime.timedelta(days=days)).isoformat()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ["url", "keys", "chromium", "chromedriver", "axe", "screenshots", "work"]:
        parser.add_argument(f"--{name}", required=True)
    return Run(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
