"""Shared helpers for the browser scripts: a demo workspace, a real `crm serve` on a free
port, and headless Chromium driven through WebDriver (Debian's chromium + chromium-driver,
Python selenium)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REP = "lina"            # the demo 销售专员 (李娜)
MANAGER = "zhangwei"    # her 销售经理 (张伟), who approves her orders
INITIAL = "initial-pass-1"
PASSWORD = "web-test-pass-2"

# A company script for the demo workspace: a role that may read customers but never sees
# their 成本备注 field (the browser test checks it is absent from the page).
COMPANY_SCRIPT = """
crm.field("customer", "cost_note", { type = "text", label = "成本备注", label_en = "Cost note" })
crm.role("viewer", {
  label = "只读访客", scope = "all",
  grants = { customer = { "read" }, user = { "read" }, notification = { "read", "update" } },
  hidden = { customer = { "cost_note" } },
})
"""


def crm_binary():
    """The debug `crm` built by `swift build`."""
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "crm")


class DemoServer:
    """A demo workspace and `crm serve` on a free port; stop() ends it and removes the folder."""

    def __init__(self):
        self.bin = crm_binary()
        self.dir = tempfile.mkdtemp(prefix="crm-web-")
        ws = self.ws = os.path.join(self.dir, "ws")
        self.run("init", "--demo", "--workspace", ws)
        with open(os.path.join(ws, "scripts", "90_web_test.lua"), "w", encoding="utf-8") as f:
            f.write(COMPANY_SCRIPT)
        self.run("user", "passwd", REP, "--password", INITIAL, "--initial", "--workspace", ws)
        self.run("user", "add", "guest", "--role", "viewer", "--password", PASSWORD, "--workspace", ws)
        self.run("user", "passwd", "guest", "--password", PASSWORD, "--workspace", ws)
        self.run("user", "passwd", MANAGER, "--password", PASSWORD, "--workspace", ws)
        self.proc = subprocess.Popen([self.bin, "serve", "--workspace", ws, "--port", "0", "--no-jobs", "--no-webhooks", "--log-level", "warning"],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://[^\s]+", line)
        if not match:
            self.stop()
            sys.exit("crm serve did not start: " + line)
        self.url = match.group(0)

    def run(self, *args):
        subprocess.run([self.bin, *args], check=True, stdout=subprocess.DEVNULL)

    def run_job(self, job):
        """Runs one scheduled job now, as `crm serve`'s scheduler would (the server runs with --no-jobs)."""
        self.run("jobs", "run", job, "--workspace", self.ws)

    def stop(self):
        if getattr(self, "proc", None):
            self.proc.terminate()
            self.proc.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)


def browser(width=1280, height=900):
    """Headless Chromium through chromedriver."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}", "--lang=zh-CN"]:
        options.add_argument(arg)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def wait(driver, condition, timeout=15):
    """Waits for a condition; an element replaced mid-check (a page load, an htmx swap) is looked up again."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)


def sign_in(driver, base, user, password):
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]").click()


def first_time_sign_in(driver, base):
    """The demo rep's first sign-in: the initial password must be replaced."""
    sign_in(driver, base, REP, INITIAL)
    wait(driver, EC.url_contains("/password"))
    driver.find_element(By.ID, "current_password").send_keys(INITIAL)
    driver.find_element(By.ID, "new_password").send_keys(PASSWORD)
    driver.find_element(By.ID, "confirm_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/password'] button[type=submit]").click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "nav.menu")))
