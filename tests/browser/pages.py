"""A person in front of the portal, clicking: the helpers of the browser walkthrough.

`Portal` drives one headless Chromium against the live server: it opens pages, fills forms by
their visible labels, clicks links and buttons by their visible text and waits for the page that
follows (never a sleep). After every navigation it checks the page: the HTTP status of the
document (no 4xx/5xx unless the step expects it), no error page, no request to a host other than
the live server, nothing logged as an error by the browser (a failed request, a blocked script).

The steps of the walkthrough are the small functions at the end, one per thing a person does
(applying, approving, setting a password by an e-mailed link, inviting, master data, products,
the double-count decision, ...), so that new steps can be put in between.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django_otp.oath import TOTP
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_SECONDS = 30
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}
ERROR_HEADINGS = ("Server Error (500)", "Bad Request (400)", "Forbidden (403)", "Not found", "Not for your role",
                  "Page not found")


class PageProblem(AssertionError):
    pass


@dataclass
class Person:
    username: str
    password: str
    totp_secret: str = ""  # base32, for the roles with a second factor
    used_steps: set = field(default_factory=set)

    def totp(self) -> str:
        """The code the person's authenticator shows now; a code is accepted once (and none of an
        earlier step after it), so a second code within the same 30 s is the next step's (inside
        the allowed drift)."""
        device = TOTP(base64.b32decode(self.totp_secret))
        step = max(device.t(), max(self.used_steps, default=-1) + 1)
        self.used_steps.add(step)
        device.time = device.t0 + step * device.step
        return f"{device.token():06d}"


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def _label_text(value: str) -> str:
    return _text(value).rstrip(":：*").strip()


class Portal:
    def __init__(self, driver, base_url: str, failures_dir: Path):
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.failures_dir = failures_dir
        self.host = urlsplit(self.base_url).hostname
        self.visited: list[str] = []

    # --- Navigation -------------------------------------------------------------------------------

    def open(self, path: str, *, status: int = 200) -> None:
        """Go to a page by its address (a person typing it or following a link from elsewhere)."""
        self.driver.get(path if path.startswith("http") else self.base_url + path)
        self._settle(status)

    def click_link(self, text: str, *, within: WebElement | None = None, status: int = 200) -> None:
        link = self._find_clickable(By.XPATH, f".//a[normalize-space()={_xpath_literal(text)}]", within, text)
        self._navigate(link, status)

    def click_button(self, text: str, *, within: WebElement | None = None, status: int = 200) -> None:
        button = self.button(text, within=within)
        self._navigate(button, status)

    def button(self, text: str, *, within: WebElement | None = None) -> WebElement:
        return self._find_clickable(
            By.XPATH, f".//button[normalize-space()={_xpath_literal(text)}]"
                      f" | .//input[@type='submit' and @value={_xpath_literal(text)}]", within, f"button {text!r}")

    def form_with_button(self, text: str) -> WebElement:
        button = self.button(text)
        return button.find_element(By.XPATH, "./ancestor::form[1]")

    def submit(self, button: str, fields: dict | None = None, *, status: int = 200) -> None:
        """Fill the form that holds the button `button` and send it with that button."""
        form = self.form_with_button(button)
        if fields:
            self.fill(fields, within=form)
        self.click_button(button, within=form, status=status)

    def _navigate(self, element: WebElement, status: int) -> None:
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda _driver: _replaced(old))
        except TimeoutException:
            raise self.problem("the click led to no new page") from None
        self._settle(status)

    def _settle(self, status: int) -> None:
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(
                lambda driver: driver.execute_script("return document.readyState") == "complete")
        except TimeoutException:
            raise self.problem("the page did not finish loading") from None
        now = time.monotonic()
        self.visited.append((round(now - getattr(self, "_last", now), 2), self.driver.current_url))
        self._last = now
        self.check_page(status)

    def wait_for(self, condition, message: str, *, seconds: float = WAIT_SECONDS):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(condition)
        except TimeoutException:
            raise self.problem(f"waited {seconds:.0f} s for {message}") from None

    # --- Reading the page -------------------------------------------------------------------------

    @property
    def path(self) -> str:
        parts = urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def heading(self) -> str:
        headings = self.driver.find_elements(By.TAG_NAME, "h1")
        return _text(headings[0].text) if headings else ""

    def body_text(self) -> str:
        return _text(self.driver.find_element(By.TAG_NAME, "body").text)

    def messages(self) -> list[str]:
        return [_text(item.text) for item in self.driver.find_elements(By.CSS_SELECTOR, "ul.messages li")]

    def expect_heading(self, expected: str) -> None:
        if expected not in self.heading():
            raise self.problem(f"expected the heading {expected!r}, found {self.heading()!r}")

    def expect_text(self, *texts: str) -> None:
        body = self.body_text()
        missing = [text for text in texts if text not in body]
        if missing:
            raise self.problem(f"expected on the page: {missing}")

    def expect_message(self, expected: str) -> None:
        if not any(expected in message for message in self.messages()):
            raise self.problem(f"expected the message {expected!r}, found {self.messages()}")

    def errors_on_page(self) -> list[str]:
        selector = "div.form-errors, div.field-errors, div.errors, ul.errorlist, ul.messages li.error"
        return [_text(element.text) for element in self.driver.find_elements(By.CSS_SELECTOR, selector)
                if _text(element.text)]

    # --- Forms --------------------------------------------------------------------------------------

    def fill(self, fields: dict, *, within: WebElement | None = None) -> None:
        """Fill fields by their visible label: text (str), a choice of a select or a radio
        group (str: the option's text), a checkbox (bool), a file (Path)."""
        for label, value in fields.items():
            self._fill_one(label, value, within or self.driver.find_element(By.TAG_NAME, "body"))

    def _fill_one(self, label: str, value, scope: WebElement) -> None:
        control = self._control(label, scope)
        if control is None:  # a group of radio buttons or checkboxes under a legend
            group = self._group(label, scope)
            for option in ([value] if isinstance(value, str) else value):
                self._control(option, group).click()
            return
        kind = (control.get_attribute("type") or "").lower()
        if control.tag_name == "select":
            self._select(control, value, label)
        elif kind in ("checkbox", "radio"):
            if bool(value) != control.is_selected():
                control.click()
        elif kind == "file":
            control.send_keys(str(Path(value).resolve()))
        elif kind == "date":
            # A date input takes the typed digits in the locale's order: set it as a script would not
            # be a person; clear it and type the date as the en-US field expects (mm/dd/yyyy).
            year, month, day = str(value).split("-")
            control.clear()
            control.send_keys(f"{month}{day}{year}")
        else:
            control.clear()
            control.send_keys(str(value))

    def _select(self, control: WebElement, value: str, label: str) -> None:
        """The option shown as `value`, or else the one option whose text contains it."""
        select = Select(control)
        # The texts in one call: a select of the ~3,000 regions of GB/T 2260 asked option by option
        # takes a round trip to the browser each, most of a minute.
        options = [_text(text) for text in self.driver.execute_script(
            "return Array.from(arguments[0].options, option => option.text);", control)]
        if value in options:
            select.select_by_visible_text(value)
            return
        matching = [text for text in options if value in text]
        if len(matching) != 1:
            raise self.problem(f"{label!r} offers no single option {value!r}: {options}")
        select.select_by_visible_text(matching[0])

    def _control(self, label: str, scope: WebElement) -> WebElement | None:
        wanted = _label_text(label)
        for element in scope.find_elements(By.TAG_NAME, "label"):
            if _label_text(element.text) != wanted:
                continue
            target = element.get_attribute("for")
            if target:
                found = scope.find_elements(By.ID, target) or self.driver.find_elements(By.ID, target)
                if found:
                    return found[0]
            inner = element.find_elements(By.CSS_SELECTOR, "input, select, textarea")
            if inner:
                return inner[0]
        return None

    def _group(self, label: str, scope: WebElement) -> WebElement:
        wanted = _label_text(label)
        for legend in scope.find_elements(By.TAG_NAME, "legend"):
            if _label_text(legend.text) == wanted:
                return legend.find_element(By.XPATH, "./ancestor::fieldset[1]")
        raise self.problem(f"no field labelled {label!r}")

    def _find_clickable(self, by, locator, within, what) -> WebElement:
        scope = within or self.driver
        candidates = [element for element in scope.find_elements(by, locator) if element.is_displayed()]
        if not candidates:
            raise self.problem(f"nothing to click: {what!r}")
        return candidates[0]

    # --- Checks after every page -----------------------------------------------------------------

    def check_page(self, status: int = 200) -> None:
        documents, outside, failed, urls = [], [], [], {}
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                urls[params.get("requestId")] = url
                parts = urlsplit(url)
                if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOCAL_HOSTS | {self.host}:
                    outside.append(url)
            elif method == "Network.responseReceived" and params.get("type") == "Document":
                documents.append((params["response"].get("status"), params["response"].get("url")))
            elif method == "Network.loadingFailed" and not params.get("canceled") and params.get("requestId") in urls:
                # (requests of the browser itself, not of a page, have no requestWillBeSent here)
                failed.append((params.get("errorText", ""), urls[params["requestId"]]))
        console = [entry["message"] for entry in self.driver.get_log("browser")
                   if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]
        problems = []
        if outside:
            problems.append(f"requests to hosts other than the portal: {outside}")
        unexpected = [(code, url) for code, url in documents if code and code >= 400 and code != status]
        if unexpected:
            problems.append(f"pages answered with an error status: {unexpected}")
        if status < 400:
            console = [line for line in console if "status of " not in line or "favicon" in line]
            heading = self.heading()
            if any(heading.startswith(error) for error in ERROR_HEADINGS):
                problems.append(f"an error page: {heading!r}")
        else:
            console = [line for line in console if f"status of {status}" not in line]
        if console:
            problems.append(f"the browser logged errors: {console}")
        if failed and not problems:
            problems.append(f"requests failed: {failed}")
        if problems:
            raise self.problem("; ".join(problems))

    # --- Failures ------------------------------------------------------------------------------------

    def problem(self, message: str) -> PageProblem:
        return PageProblem(f"{message} (at {self.driver.current_url}, heading {self.heading()!r}, "
                           f"errors shown {self.errors_on_page()}, messages {self.messages()})")

    def save_failure(self, name: str) -> list[Path]:
        """A screenshot and the page source, for the person reading a failed run."""
        self.failures_dir.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120] + time.strftime("-%Y%m%d-%H%M%S")
        png, html = self.failures_dir / f"{stem}.png", self.failures_dir / f"{stem}.html"
        try:
            self.driver.save_screenshot(str(png))
            html.write_text(f"<!-- {self.driver.current_url} -->\n{self.driver.page_source}", encoding="utf-8")
        except Exception:  # noqa: BLE001 - the browser may be gone; the test's own error matters
            return []
        return [png, html]


def _replaced(element: WebElement) -> bool:
    """Whether the page `element` was on is gone. Chromium answers a question about a node of the
    previous document with "stale element", or, while the next document is being committed, with
    "Node with given id does not belong to the document": both mean the page was replaced."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


# ==================================================================================================
# Steps: one function per thing a person does.
# ==================================================================================================

# --- Signing in and out ------------------------------------------------------------------------------


def log_in(portal: Portal, person: Person) -> None:
    """The two-step sign-in from the home page: password, then the authenticator's code for the
    roles that need it."""
    portal.open("/")
    portal.click_link("Log in")
    portal.expect_heading("Log in")
    portal.submit("Log in", {"Username": person.username, "Password": person.password})
    if person.totp_secret:
        portal.expect_heading("Second factor")
        form = portal.form_with_button("Confirm the code")
        field = form.find_element(By.ID, "id_token")
        field.clear()
        field.send_keys(person.totp())
        portal.click_button("Confirm the code", within=form)
    if portal.heading() in ("Log in", "Second factor"):
        raise portal.problem(f"{person.username} could not sign in")


def log_out(portal: Portal) -> None:
    portal.click_button("Log out")
    portal.wait_for(lambda driver: driver.find_elements(By.LINK_TEXT, "Log in"), "the signed-out header")


def go_to(portal: Portal, *menu: str) -> None:
    """Follow the header's navigation, then links on the pages, e.g. go_to(portal, "Master data")."""
    for text in menu:
        portal.click_link(text)


# --- E-mail: what arrives in a person's mailbox -----------------------------------------------------


def read_mail(address: str, subject: str) -> str:
    """The body of the latest e-mail to `address` whose subject has `subject`. The test settings
    deliver e-mail to Django's in-memory outbox, shared with the live server's thread: the
    person's mailbox."""
    from django.core import mail  # noqa: PLC0415 - the outbox exists once the test environment is set up

    found = [message for message in getattr(mail, "outbox", []) if address in message.to and subject in message.subject]
    assert found, f"no e-mail to {address} about {subject!r}: {[(m.to, m.subject) for m in mail.outbox]}"
    return found[-1].body


def link_in(body: str, path: str) -> str:
    """The link of the e-mail that leads to `path` (its start), as the person clicks it."""
    links = [link for link in re.findall(r"https?://\S+", body) if urlsplit(link).path.startswith(path)]
    assert len(links) == 1, f"expected one link to {path} in: {body}"
    return links[0]


# --- Joining, re-authentication, people ---------------------------------------------------------------


def apply_to_join(portal: Portal, fields: dict) -> None:
    """Anyone: "Apply to join" in the header, the form, sent."""
    portal.open("/")
    portal.click_link("Apply to join")
    portal.expect_heading("Apply to join")
    portal.submit("Send the application", fields)
    portal.expect_heading("Application sent")


def open_application(portal: Portal, enterprise: str) -> None:
    """An approver: "Applications to join", then the application of `enterprise` (its name)."""
    go_to(portal, "Applications to join")
    portal.click_link(enterprise, within=portal.driver.find_element(By.CSS_SELECTOR, "table.data"))
    portal.expect_heading(enterprise)


def confirm_it_is_you(portal: Portal, person: Person) -> None:
    """The fresh re-authentication a consequential step asks for when the sign-in is older than
    the window: the password (and the authenticator's code for the roles with a second factor),
    then back on the page the step was started from."""
    portal.expect_heading("Confirm it is you")
    fields = {"Password": person.password}
    if person.totp_secret:
        fields["Code from your authenticator"] = person.totp()
    portal.submit("Confirm", fields)
    if portal.heading() == "Confirm it is you":
        raise portal.problem(f"{person.username} could not confirm the sign-in")


def set_password_by_link(portal: Portal, link: str, password: str) -> None:
    """The link of an e-mail to set the password (Django's one-time reset link), then to the log-in."""
    portal.open(link)
    portal.expect_heading("Set a new password")
    portal.submit("Set the password", {"New password": password, "New password confirmation": password})
    portal.expect_heading("Password set")
    portal.click_link("Log in")
    portal.expect_heading("Log in")


def invite(portal: Portal, *, email: str, role: str) -> None:
    """An enterprise administrator: People, "Invite someone"."""
    go_to(portal, "People")
    portal.expect_heading("People")
    portal.submit("Send the invitation", {"E-mail address": email, "Role": role})
    portal.expect_message(f"Invitation sent to {email}.")
    portal.expect_text(email)  # among the open invitations


def accept_invitation(portal: Portal, link: str, *, username: str, display_name: str, password: str) -> None:
    """The invitation's link (nobody signed in): choose the user name, display name and password;
    the new account joins and is signed in."""
    portal.open(link)
    portal.expect_heading("Join ")
    portal.submit("Create the account and join", {"User name": username, "Display name": display_name,
                                                  "Password": password, "Password again": password})
    portal.expect_message("Welcome: you are now")


# --- Master data ---------------------------------------------------------------------------------------


def register_facility(portal: Portal, *, name: str, address: str) -> None:
    go_to(portal, "Master data", "New facility")
    portal.expect_heading("New facility")
    portal.submit("Save", {"Name": name, "Address": address})
    portal.expect_message(f"Facility {name} registered.")


def register_emission_source(portal: Portal, *, facility: str, name: str, category: str, fuel: str = "") -> None:
    go_to(portal, "Master data", "New emission source")
    fields = {"Facility": facility, "Name": name, "Category": category}
    if fuel:
        fields["Fuel"] = fuel
    portal.submit("Save", fields)
    portal.expect_message(f"Emission source {name} registered.")


def register_meter(portal: Portal, *, identifier: str, name: str, energy_type: str, unit: str, reading_kind: str,
                   facility: str, emission_source: str = "", register_max: str = "") -> None:
    go_to(portal, "Master data", "New meter")
    fields = {"Identifier": identifier, "Name": name, "Energy type": energy_type, "Unit": unit,
              "Reading kind": reading_kind, "Facility": facility}
    if emission_source:
        fields["Emission source"] = emission_source
    if register_max:
        fields["Register maximum"] = register_max
    portal.submit("Save", fields)
    portal.expect_heading(f"Meter {identifier}")
    portal.expect_message(f"Meter {identifier} registered.")


def issue_device_key(portal: Portal, *, meter: str, device: str) -> str:
    """Issue a key on the meter's page and copy it from the page that shows it once."""
    go_to(portal, "Master data", meter)
    portal.submit("Issue the key", {"Name of the device": device})
    portal.expect_heading("Device key issued")
    key = _text(portal.driver.find_element(By.ID, "device-key").text)
    assert key.startswith("dk_"), key
    portal.click_link("Back to the meter")
    assert key not in portal.driver.page_source, "the key is shown only once"
    portal.expect_text(device)
    return key


def register_product(portal: Portal, *, name: str, code: str, declared_unit: str) -> None:
    go_to(portal, "Master data", "New product")
    portal.expect_heading("New product")
    portal.submit("Save", {"Name": name, "Product code or model number": code, "Declared unit": declared_unit})
    portal.expect_message(f"Product {name} registered.")


def send_readings(base_url: str, key: str, readings: list[dict]) -> dict:
    """The device (not a person): POST /api/v1/readings with its key."""
    request = urllib.request.Request(
        base_url.rstrip("/") + "/api/v1/readings", method="POST",
        data=json.dumps({"readings": readings}).encode(),
        headers={"Authorization": f"Device {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as answer:
        assert answer.status == 200, answer.status
        return json.loads(answer.read())


# --- The inventory -------------------------------------------------------------------------------------


def see_meter_rollup(portal: Portal, *, meter: str, month: str, consumption: str, readings: int) -> None:
    """The meter's readings as the portal rolled them up: the month's consumption and count."""
    go_to(portal, "Master data", meter, "Readings and quality")
    portal.expect_heading(meter)
    portal.expect_text(f"{month} {consumption} {readings}")


def create_inventory(portal: Portal, *, year: int, added_value: str) -> str:
    """From My portal: New inventory. Returns the inventory page's path."""
    go_to(portal, "My portal", "New inventory")
    portal.expect_heading("New inventory")
    portal.submit("Create the inventory", {"Reporting year": str(year),
                                           "Industrial added value (10^4 yuan)": added_value})
    portal.expect_message("created")
    assert re.fullmatch(r"/portal/inventories/\d+/", portal.path), portal.path
    return portal.path


def step(portal: Portal, button: str, *, comment: str = "", message: str = "Done:") -> None:
    """A lifecycle step offered as a button on the page (with its optional comment)."""
    form = portal.form_with_button(button)
    if comment:
        portal.fill({_comment_label(form): comment}, within=form)
    portal.click_button(button, within=form)
    portal.expect_message(message)


def _comment_label(form: WebElement) -> str:
    return _label_text(form.find_element(By.TAG_NAME, "label").text)


def open_inventory(portal: Portal, enterprise: str) -> None:
    """Inventories in the header, then the enterprise's (only) inventory."""
    go_to(portal, "Inventories", enterprise)
    assert re.fullmatch(r"/portal/inventories/\d+/", portal.path), portal.path


def take_meter_activity(portal: Portal, enterprise: str) -> None:
    open_inventory(portal, enterprise)
    portal.click_link("Upload invoices, import spreadsheets, take meter data")
    portal.click_button("Take the activity data from the meters")
    portal.expect_message("activity records from meters")


def upload_invoice(portal: Portal, enterprise: str, pdf: Path) -> None:
    """Upload on the inventory's collection page; wait until it is read (the page reloads
    itself while the invoice is being read)."""
    open_inventory(portal, enterprise)
    portal.click_link("Upload invoices, import spreadsheets, take meter data")
    portal.submit("Upload and read", {"Upload an invoice (PDF, or a photo or scan as PNG, JPEG or TIFF)": pdf})
    portal.expect_heading("Invoice")
    portal.wait_for(lambda driver: driver.find_elements(
        By.XPATH, "//button[normalize-space()='Confirm: add to the inventory']"), "the invoice to be read", seconds=90)
    portal.check_page()


def confirm_invoice(portal: Portal, *, override_reason: str = "") -> None:
    fields = {"Reason for confirming anyway": override_reason} if override_reason else {}
    portal.submit("Confirm: add to the inventory", fields)
    portal.expect_message("Invoice confirmed")


def add_product(portal: Portal, enterprise: str, *, product: str, output: str, value: str) -> None:
    """On the inventory page, "Products of this year": a product of the catalogue with its output."""
    open_inventory(portal, enterprise)
    portal.submit("Add the product", {"Product": product, "Output in the declared unit": output,
                                      "Output value (10^4 yuan)": value})
    portal.expect_message(f"Product {product} added to the inventory.")


def add_upstream_input(portal: Portal, enterprise: str, *, product: str, description: str, quantity: str,
                       unit: str, factor: str, factor_source: str) -> None:
    """From the products of the inventory page to the certification page: an upstream input
    valued by an emission factor."""
    open_inventory(portal, enterprise)
    portal.click_link("Upstream inputs, allocation and product labels")
    portal.expect_heading("Certification")
    portal.submit("Add", {"Product": product, "Input": description, "Quantity in the year": quantity, "Unit": unit,
                          "Valued by": "Emission factor", "Emission factor (tCO2e per unit)": factor,
                          "Source of the factor": factor_source})
    portal.expect_message("Upstream input added.")


def resolve_double_count(portal: Portal, enterprise: str, *, counted: str, reason: str) -> None:
    """The inventory page's "Possible double counting" box: its one open group, compared side by
    side; the records of the origin `counted` (as the choice shows it) count."""
    open_inventory(portal, enterprise)
    box = portal.driver.find_element(By.ID, "double-counting")
    groups = box.find_elements(By.CSS_SELECTOR, "ul li a")
    assert len(groups) == 1, [_text(group.text) for group in groups]
    portal.click_link(_text(groups[0].text), within=box)
    portal.expect_text("to decide")
    portal.submit("Record the decision", {"Which records count?": counted, "Why? (required)": reason})
    portal.expect_message("Decision recorded:")


def choose_verifier_body(portal: Portal, body: str) -> None:
    portal.submit("Choose this body", {"Verifier body": body})
    portal.expect_message("is chosen")


# --- Verification ---------------------------------------------------------------------------------------


def open_engagement(portal: Portal, enterprise: str) -> None:
    go_to(portal, "Verification")
    portal.click_link(enterprise)


def accept_engagement(portal: Portal, declaration: str) -> None:
    form = portal.form_with_button("Accept the engagement")
    portal.fill({"Conflict-of-interest declaration": declaration}, within=form)
    form.find_element(By.CSS_SELECTOR, "input[type=checkbox][name=no_conflict]").click()
    portal.click_button("Accept the engagement", within=form)
    portal.expect_message("Done:")


def record_opinion(portal: Portal, *, conclusion: str, assurance: str, misstatement: str, text: str) -> None:
    portal.submit("Record the opinion", {"Conclusion": conclusion, "Level of assurance": assurance,
                                         "Misstatement found (tCO2e)": misstatement, "Opinion": text})
    portal.expect_message("Opinion recorded")


# --- Labels -----------------------------------------------------------------------------------------------


def label_identifiers(portal: Portal) -> dict[str, str]:
    """On an inventory's "Labels and documents" page: {kind shown: identifier}."""
    rows = {}
    for row in portal.driver.find_elements(By.CSS_SELECTOR, "table tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if len(cells) >= 2 and cells[0].find_elements(By.TAG_NAME, "a"):
            rows[_text(cells[1].text)] = _text(cells[0].text)
    return rows
