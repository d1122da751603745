"""Real-browser tests: Playwright for Python driving the system's Chromium (Debian's `chromium` package).

No browser is ever downloaded (`playwright install` is never run). Where Playwright or Chromium is missing
the tests are skipped with the reason, and a notice ends the run; with ARCHIVE_REQUIRE_BROWSER=1 (set by
.ci/run, which installs chromium) they fail instead, so CI cannot pass without having run them.
"""

import os
import shutil

import pytest

REQUIRED = os.environ.get("ARCHIVE_REQUIRE_BROWSER", "").strip() == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_skipped: list[str] = []


def chromium_path() -> str | None:
    """CHROMIUM_PATH when set, else the chromium found on PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements.txt)"
    if not chromium_path():
        return "no Chromium on this machine (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser()
    if reason:
        if REQUIRED:
            pytest.fail(f"ARCHIVE_REQUIRE_BROWSER=1 but browser tests cannot run: {reason}", pytrace=False)
        _skipped.append(reason)
        pytest.skip(f"browser test skipped: {reason}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; Django would then refuse the
    # tests' own database calls as "async unsafe" although they are plain synchronous code. Only while the
    # browser runs (browser tests are transactional, so pytest-django runs them after the others).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    wrappers = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            # With that loop marked as running, Django keeps connections in a separate, context-bound store
            # and would open new connection objects there, without what the test database set-up attached
            # to the first ones: serialized_rollback would restore nothing once an earlier transactional
            # test has flushed the database. Hand it the same objects.
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of the page; a Content-Security-Policy violation is one."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("!", "browser tests SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(
            f"Real-browser tests did not run: {_skipped[0]}. "
            "Install Debian's chromium to run them; .ci/run sets ARCHIVE_REQUIRE_BROWSER=1 to require them."
        )
