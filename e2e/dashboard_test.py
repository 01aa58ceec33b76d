"""Logs in to the demo as a partner and walks the dashboard like a person would.

Each check raises on failure; the last line is 'e2e: N passed, M failed'."""
import os
import sys
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["E2E_BASE_URL"]
SHOTS = os.path.join(os.path.dirname(__file__), "screenshots")
os.makedirs(SHOTS, exist_ok=True)


def browser(width, height):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def fresh(driver):
    """Each check starts as a new visitor: no session, no CSRF cookie."""
    driver.get(BASE + "/healthz")
    driver.delete_all_cookies()


def log_in(driver, email="partner@example.com", password="tandem-demo"):
    fresh(driver)
    driver.get(BASE + "/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    submit(driver)


def click_and_wait(driver, element):
    """Clicks something that loads a new page, and waits until it has."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def left(_):
        try:
            page.tag_name
            return False
        except Exception:  # stale, or Chromium's "node does not belong to the document"
            return True

    WebDriverWait(driver, 10).until(left)


def submit(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def test_login_form_errors(driver):
    fresh(driver)
    driver.get(BASE + "/login")
    driver.find_element(By.NAME, "email").send_keys("partner@example.com")
    driver.find_element(By.NAME, "password").send_keys("wrong password")
    submit(driver)
    assert "do not match" in driver.find_element(By.CSS_SELECTOR, ".alert--error").text
    assert driver.find_element(By.NAME, "email").get_attribute("value") == "partner@example.com"
    shot(driver, "login-error")


def test_every_page(driver, suffix):
    log_in(driver)
    assert driver.current_url.endswith("/partner"), driver.current_url
    pages = {
        "home": ("/partner", "Your programs"),
        "rewards": ("/partner/rewards", "Payout provider"),
        "reporting": ("/partner/reporting", "Last 12 months"),
        "marketplace": ("/partner/marketplace", "Brightdesk Affiliates"),
        "settings": ("/partner/settings", "Password"),
        "faqs": ("/partner/faqs", "Tracking"),
        "support": ("/partner/support", "Technical support"),
    }
    for name, (path, text) in pages.items():
        driver.get(BASE + path)
        assert text in driver.page_source, f"{path} lacks {text!r}"
        assert driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
        shot(driver, f"{name}-{suffix}")
    driver.get(BASE + "/partner")
    driver.find_element(By.CSS_SELECTOR, "details.switcher summary").click()
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Brightdesk Affiliates"))
    assert "Cookie window" in driver.page_source
    shot(driver, f"program-{suffix}")


def test_join_and_logout(driver):
    log_in(driver)
    driver.get(BASE + "/partner/marketplace?q=northwind")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".program-card button"))
    assert "Welcome to Northwind Cloud Partners!" in driver.page_source
    driver.find_element(By.CSS_SELECTOR, "details.usermenu summary").click()
    shot(driver, "usermenu-open")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".menu__button"))
    assert "/login" in driver.current_url


def test_payout_provider_and_withdraw(driver):
    log_in(driver)
    driver.get(BASE + "/partner/rewards")
    driver.find_element(By.CSS_SELECTOR, "input[name=provider][value=paypal]").click()
    email = driver.find_element(By.NAME, "paypal_email")
    email.clear()
    email.send_keys("dana.payouts@example.com")
    driver.find_element(By.ID, "method_password").send_keys("tandem-demo")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[contains(., 'Save payout provider')]"))
    assert "Your payout provider was saved." in driver.page_source
    buttons = [b for b in driver.find_elements(By.XPATH, "//form[@action='/partner/rewards/withdraw']//button") if b.is_enabled()]
    assert buttons, "a withdraw button is enabled"
    click_and_wait(driver, buttons[0])
    assert "Your withdrawal was requested." in driver.page_source, driver.page_source[:3000]
    assert "Requested" in driver.page_source
    shot(driver, "withdrawn")


def open_program(driver, name):
    driver.get(BASE + "/partner")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, name))


def test_custom_link_and_lead(driver, suffix):
    log_in(driver)
    open_program(driver, "Acme Analytics Partners")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Links"))
    driver.find_element(By.ID, "slug").send_keys("spring-" + suffix)
    driver.find_element(By.ID, "destination").send_keys("https://acme-analytics.example/pricing?plan=pro")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Create link']"))
    assert "spring-" + suffix in driver.page_source, driver.page_source[:3000]
    shot(driver, f"links-{suffix}")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Referrals"))
    driver.find_element(By.ID, "lead-name").send_keys("Lee <b>Lead</b>")
    driver.find_element(By.ID, "lead-email").send_keys(f"lee-{suffix}@corp.example")
    driver.find_element(By.ID, "lead-company").send_keys("Corp")
    click_and_wait(driver, driver.find_element(By.XPATH, "//form[contains(@action, '/leads')]//button"))
    assert "Lee &lt;b&gt;Lead&lt;/b&gt;" in driver.page_source, driver.page_source[:3000]
    shot(driver, f"referrals-{suffix}")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Performance"))
    assert "<svg" in driver.page_source
    shot(driver, f"performance-{suffix}")
    driver.get(BASE + "/partner/reporting/rewards")
    shot(driver, f"reporting-rewards-{suffix}")


def test_forgot_password_via_dev_mail(driver):
    fresh(driver)
    driver.get(BASE + "/password/forgot")
    driver.find_element(By.NAME, "email").send_keys("partner@example.com")
    submit(driver)
    assert "Check your email" in driver.page_source
    driver.get(BASE + "/dev/mail")
    for _ in range(20):  # the delivery job runs in the background
        if "Reset your Tandem password" in driver.page_source:
            break
        time.sleep(0.25)
        driver.refresh()
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "/password/reset/")
    driver.get(link.get_attribute("href"))
    driver.find_element(By.NAME, "password").send_keys("tandem-demo")
    driver.find_element(By.NAME, "password_confirmation").send_keys("tandem-demo")
    submit(driver)
    assert "Your password has been changed" in driver.page_source, driver.current_url + driver.page_source[:2000]
    shot(driver, "reset-done")


def main():
    passed, failed = 0, 0
    runs = [
        ("login errors", lambda: test_login_form_errors(desktop)),
        ("every page, desktop", lambda: test_every_page(desktop, "desktop")),
        ("every page, phone", lambda: test_every_page(phone, "phone")),
        ("join and logout", lambda: test_join_and_logout(desktop)),
        ("payout provider and withdraw", lambda: test_payout_provider_and_withdraw(desktop)),
        ("custom link and lead, desktop", lambda: test_custom_link_and_lead(desktop, "desktop")),
        ("custom link and lead, phone", lambda: test_custom_link_and_lead(phone, "phone")),
        ("forgot password", lambda: test_forgot_password_via_dev_mail(desktop)),
    ]
    global desktop, phone
    desktop = browser(1280, 900)
    phone = browser(390, 844)
    try:
        for name, run in runs:
            try:
                run()
                passed += 1
                print(f"ok   {name}")
            except Exception:
                failed += 1
                print(f"FAIL {name}")
                traceback.print_exc()
    finally:
        desktop.quit()
        phone.quit()
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
