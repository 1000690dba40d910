"""The browser tests: one headless Chromium (Debian's chromium + chromium-driver, apt-packages.txt)
per test module, driven by Selenium against pytest-django's live server, with no network needed.

Selenium Manager never runs (it would download drivers): the driver and the browser are named
explicitly and SE_OFFLINE is set. Without /usr/bin/chromium the tests are skipped with the reason,
except under CI (the CI variable set, as .ci/run does), where that is a failure.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .pages import Portal

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FAILURES_DIR = Path("/tmp/browser-failures")
PAGE_LOAD_TIMEOUT_SECONDS = 30


def _missing_browser() -> str:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        return f"{' and '.join(missing)} missing: install the apt packages chromium and chromium-driver (make setup)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -r requirements/test.txt (make setup)"
    return ""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; always quit, also when a test fails."""
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
        pytest.skip(reason)
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cp-browser-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,1000",
        f"--user-data-dir={profile}", "--lang=en-US", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
        "--password-store=basic", "--disable-features=Translate,OptimizationHints,MediaRouter",
        # Nothing leaves the machine: every host but the live server's fails to resolve, so a page
        # that needs the internet shows a failed request (and check_page fails the test).
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en",
                                              "credentials_enable_service": False,
                                              "profile.password_manager_enabled": False})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=os.devnull)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_SECONDS)
        driver.set_script_timeout(PAGE_LOAD_TIMEOUT_SECONDS)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def portal(request, browser, live_server, settings, tmp_path):
    """The portal in the browser, signed out, in English (the assertions read the English
    source strings), with the test's own media folder. On a failure the screenshot and the page
    source go to /tmp/browser-failures/."""
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url
    browser.delete_all_cookies()
    portal = Portal(browser, live_server.url, FAILURES_DIR)
    portal.open("/")  # the first page also clears the logs of the browser's start
    browser.delete_all_cookies()
    yield portal
    if getattr(request.node, "browser_failed", False):
        saved = portal.save_failure(request.node.name)
        if saved:
            request.node.add_report_section("call", "browser", "saved: " + ", ".join(map(str, saved)))
