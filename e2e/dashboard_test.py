"""Logs in to the demo as a partner and walks the dashboard like a person would.

Each check raises on failure; the last line is 'e2e: N passed, M failed'."""
import json
import os
import re
import sys
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["E2E_BASE_URL"]
SHOTS = os.path.join(os.path.dirname(__file__), "screenshots")
os.makedirs(SHOTS, exist_ok=True)


def browser(width, height):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # Headless Chromium keeps windows at least 500 px wide: a phone is emulated to its real width.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    return driver


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


def no_overflow(driver):
    """Nothing on the page is wider than the window."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return document.documentElement.clientWidth")
    assert width <= viewport, f"{driver.current_url} overflows: {width} > {viewport}"


def visit(driver, pages, suffix):
    """Opens each page: its text is there, the top bar shows, nothing is wider than the window."""
    for name, (path, text) in pages.items():
        driver.get(BASE + path)
        assert text in driver.page_source, f"{path} lacks {text!r}"
        assert driver.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
        no_overflow(driver)
        shot(driver, f"{name}-{suffix}")


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
        "messages": ("/partner/messages", "One conversation with each program"),
        "settings-team": ("/partner/settings/team", "Roles"),
        "settings-keys": ("/partner/settings/api-keys", "New key"),
    }
    visit(driver, pages, suffix)
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


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def button(driver, label):
    return driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def api(method, path, key, body=None):
    """The demo vendor's API key (printed by `tandem demo`), as a vendor's own server would call it."""
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def demo_vendor_key():
    with open(os.environ["E2E_SERVER_LOG"]) as log:
        found = re.search(r"Vendor API key of .*\(shown once\): (tdm_sk_\S+)", log.read())
    assert found, "tandem demo printed a vendor API key"
    return found.group(1)


def mail_link(driver, subject, containing):
    driver.get(BASE + "/dev/mail")
    for _ in range(40):  # the delivery job runs in the background
        if subject in driver.page_source:
            break
        time.sleep(0.25)
        driver.refresh()
    mail = driver.find_element(By.XPATH, f"//article[h2[contains(., '{subject}')]]")
    return next(a.get_attribute("href") for a in mail.find_elements(By.TAG_NAME, "a") if containing in a.get_attribute("href"))


def test_vendor_runs_a_program(driver):
    """The program manager, through the pages alone: a program, a group, a rule, an invited
    partner who accepts through the mail, events through the API, a reward approved and one
    declined, the withdrawal marked paid; then the partner sees the reason and the money."""
    suffix = str(int(time.time() * 1000))[-7:]
    slug, name, partner_email = f"e2e-{suffix}", f"E2E Partners {suffix}", f"pia-{suffix}@example.com"
    log_in(driver, "vendor@example.com")
    assert driver.current_url.endswith("/vendor"), driver.current_url
    assert "Applications to review" in driver.page_source or "to review" in driver.page_source

    driver.get(BASE + "/vendor/programs/new")
    fill(driver, "name", name)
    fill(driver, "slug", slug)
    Select(driver.find_element(By.ID, "currency")).select_by_value("USD")
    fill(driver, "default_destination", "https://e2e.example/welcome")
    fill(driver, "allowed_domains", "e2e.example")
    # A hold long enough that the rewards wait for the review (the release job runs every minute).
    fill(driver, "hold_days", "30")
    fill(driver, "min_withdrawal", "0")
    click_and_wait(driver, button(driver, "Create program"))
    assert name in driver.page_source, driver.page_source[:2000]
    shot(driver, "vendor-program-created")

    driver.get(BASE + f"/vendor/programs/{slug}/groups")
    fill(driver, "name", "Creators")
    click_and_wait(driver, button(driver, "Create group"))
    assert "Creators" in driver.page_source

    driver.get(BASE + f"/vendor/programs/{slug}/rewards")
    Select(driver.find_element(By.ID, "r-trigger")).select_by_value("signup")
    Select(driver.find_element(By.ID, "r-kind")).select_by_value("flat")
    fill(driver, "r-amount", "5")
    click_and_wait(driver, button(driver, "Create rule"))
    assert "$5.00" in driver.page_source, driver.page_source[:3000]
    shot(driver, "vendor-rules")

    driver.get(BASE + "/vendor/partners")
    invite = driver.find_element(By.XPATH, "//form[@action='/vendor/partners/invite']")
    Select(invite.find_element(By.NAME, "program")).select_by_value(slug)
    invite.find_element(By.NAME, "email").send_keys(partner_email)
    invite.find_element(By.NAME, "name").send_keys("Pia Lund")
    click_and_wait(driver, invite.find_element(By.XPATH, ".//button"))
    assert "Pia Lund" in driver.page_source, driver.page_source[:3000]

    # The partner accepts through the mail: the link chooses a password.
    partner = browser(390, 844)
    try:
        fresh(partner)
        partner.get(mail_link(partner, f"You are invited to the {name} partner program", "/password/reset/"))
        partner.find_element(By.NAME, "password").send_keys("pia password 1")
        partner.find_element(By.NAME, "password_confirmation").send_keys("pia password 1")
        submit(partner)
        log_in(partner, partner_email, "pia password 1")
        assert name in partner.page_source, partner.page_source[:2000]

        # Events from the vendor's own server: two signups through the partner's link.
        key = demo_vendor_key()
        partnership = api("GET", f"/api/v1/partnerships?program={slug}", key)["data"][0]
        for n in (1, 2):
            api("POST", "/api/v1/customers", key, {"program": slug, "key": f"e2e-{suffix}-{n}", "partner_key": partnership["partner_key"]})

        # One reward approved, one declined with a reason, in the console.
        driver.get(BASE + f"/vendor/rewards?program={slug}&status=pending")
        boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=reward]")
        assert len(boxes) == 2, driver.page_source[:3000]
        boxes[0].click()
        Select(driver.find_element(By.ID, "action")).select_by_value("approve")
        click_and_wait(driver, button(driver, "Apply"))
        driver.get(BASE + f"/vendor/rewards?program={slug}&status=pending")
        driver.find_element(By.CSS_SELECTOR, "input[name=reward]").click()
        Select(driver.find_element(By.ID, "action")).select_by_value("decline")
        fill(driver, "reason", "Duplicate signup from the same company")
        click_and_wait(driver, button(driver, "Apply"))
        shot(driver, "vendor-rewards-reviewed")

        # The partner withdraws the approved $5 (paid by hand: the demo has no PayPal keys).
        partner.get(BASE + "/partner/rewards")
        partner.find_element(By.CSS_SELECTOR, "input[name=provider][value=paypal]").click()
        partner.find_element(By.NAME, "paypal_email").send_keys("pia@paypal.example")
        partner.find_element(By.ID, "method_password").send_keys("pia password 1")
        click_and_wait(partner, partner.find_element(By.XPATH, "//button[contains(., 'Save payout provider')]"))
        withdraw = [b for b in partner.find_elements(By.XPATH, "//form[@action='/partner/rewards/withdraw']//button") if b.is_enabled()]
        assert withdraw, partner.page_source[:3000]
        click_and_wait(partner, withdraw[0])
        assert "Your withdrawal was requested." in partner.page_source

        driver.get(BASE + "/vendor/payouts?status=requested")
        row = driver.find_element(By.XPATH, "//tr[.//*[contains(., 'Pia Lund')]][.//button[normalize-space()='Mark paid']]")
        row.find_element(By.NAME, "reference").send_keys("BANK-" + suffix)
        click_and_wait(driver, row.find_element(By.XPATH, ".//button[normalize-space()='Mark paid']"))
        assert "BANK-" + suffix in driver.page_source or "paid" in driver.page_source.lower()
        shot(driver, "vendor-payout-paid")

        partner.get(BASE + "/partner/rewards")
        source = partner.page_source
        assert "Duplicate signup from the same company" in source, source[:4000]
        assert "$5.00" in source and "Paid" in source, source[:4000]
        shot(partner, "partner-sees-reason-and-money")
    finally:
        partner.quit()


def test_messages_both_ways(driver, suffix):
    """The partner reads the vendor's reply (counted in the top bar), answers; the vendor sees it unread and replies."""
    log_in(driver)
    driver.get(BASE + "/partner")
    assert "Messages (1)" in driver.page_source, "the demo's reply is unread: " + str(re.findall(r"Messages[^<]{0,12}", driver.page_source)) + driver.current_url
    driver.get(BASE + "/partner/messages")
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Acme Analytics"))
    assert "60-day window" in driver.page_source
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Brand guide"))
    assert "<strong>Acme Analytics</strong>" in driver.page_source, "the vendor's Markdown page"
    no_overflow(driver)
    shot(driver, f"partner-custom-tab-{suffix}")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Resources"))
    assert "Product one-pager" in driver.page_source and "acme-one-pager.txt" in driver.page_source
    no_overflow(driver)
    shot(driver, f"partner-resources-{suffix}")
    # The program's own Messages tab (the top bar's Messages is the list of every thread).
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "nav[aria-label=Program] a[href$='/messages']"))
    driver.find_element(By.NAME, "body").send_keys(f"Draft sent ({suffix}) <b>thanks</b>")
    submit(driver)
    assert "Sent to Acme Analytics" in driver.page_source, driver.page_source[:3000]
    assert "Messages (1)" not in driver.page_source, "read once opened"
    shot(driver, f"partner-messages-{suffix}")
    log_in(driver, "vendor@example.com")
    driver.get(BASE + "/vendor/messages")
    assert "1 unread" in driver.page_source, driver.page_source[:3000]
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Reyes Media"))
    assert f"Draft sent ({suffix}) &lt;b&gt;thanks&lt;/b&gt;" in driver.page_source
    driver.find_element(By.NAME, "body").send_keys("Got it, looks great.")
    submit(driver)
    assert "Sent to Reyes Media" in driver.page_source
    shot(driver, f"vendor-thread-{suffix}")


def test_campaign_preview_save_and_unsubscribe(driver, suffix):
    """The vendor previews a campaign's Markdown (HTML shown as text), saves it, turns it on; the
    demo partner unsubscribes from the sent broadcast's link without logging in."""
    log_in(driver, "vendor@example.com")
    driver.get(BASE + "/vendor/programs/acme-analytics-partners/campaigns")
    name = f"Check-in ({suffix})"
    fill(driver, "name", name)
    Select(driver.find_element(By.ID, "trigger")).select_by_value("days_after_joining")
    fill(driver, "days", "14")
    fill(driver, "subject", "Two weeks in")
    fill(driver, "body", "How is it going? **Reply** to this. <b>not bold</b>")
    click_and_wait(driver, button(driver, "Preview"))
    preview = driver.find_element(By.ID, "preview")
    assert preview.find_element(By.CSS_SELECTOR, ".campaign-preview strong").text == "Reply"
    assert "<b>not bold</b>" in preview.text, "raw HTML shows as text"
    no_overflow(driver)
    shot(driver, f"vendor-campaign-preview-{suffix}")
    click_and_wait(driver, button(driver, "Save as draft"))
    assert "saved as a draft" in driver.page_source
    driver.execute_script("window.confirm = function () { return true; }")
    click_and_wait(driver, button(driver, "Turn on"))
    assert "The campaign is on" in driver.page_source
    no_overflow(driver)
    shot(driver, f"vendor-campaign-{suffix}")

    link = mail_link(driver, "New in Acme Analytics Partners", "/unsubscribe/")
    fresh(driver)
    driver.get(link)
    no_overflow(driver)
    if "You are unsubscribed" not in driver.page_source:  # the phone run may open the desktop run's link
        assert "Stop emails from" in driver.page_source
        click_and_wait(driver, button(driver, "Unsubscribe"))
    assert "You are unsubscribed" in driver.page_source
    shot(driver, f"unsubscribed-{suffix}")


def test_vendor_pages(driver, suffix):
    log_in(driver, "vendor@example.com")
    pages = {
        "vendor-overview": ("/vendor", "Overview"),
        "vendor-partners": ("/vendor/partners", "Invite"),
        "vendor-rewards": ("/vendor/rewards", "Rewards"),
        "vendor-payouts": ("/vendor/payouts", "Payouts"),
        "vendor-reporting": ("/vendor/reporting?by=partner", "Break down by"),
        "vendor-customers": ("/vendor/customers", "Customers"),
        "vendor-leads": ("/vendor/leads", "Leads"),
        "vendor-deals": ("/vendor/deals", "Deals"),
        "vendor-settings": ("/vendor/programs/acme-analytics-partners/settings", "Cookie window"),
        "vendor-groups": ("/vendor/programs/acme-analytics-partners/groups", "VIP"),
        "vendor-rules": ("/vendor/programs/acme-analytics-partners/rewards", "Create rule"),
        "vendor-company": ("/vendor/settings/company", "Acme Analytics"),
        "vendor-team": ("/vendor/settings/team", "Avery Stone"),
        "vendor-keys": ("/vendor/settings/api-keys", "Demo key"),
        "vendor-messages": ("/vendor/messages", "Reyes Media"),
        "vendor-partner-tabs": ("/vendor/programs/acme-analytics-partners/tabs", "Brand guide"),
        "vendor-resources": ("/vendor/programs/acme-analytics-partners/resources", "Product one-pager"),
        "vendor-campaigns": ("/vendor/programs/acme-analytics-partners/campaigns", "December news"),
    }
    visit(driver, pages, suffix)
    driver.get(BASE + "/vendor/partners")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "table a[href^='/vendor/partners/']"))
    assert "Rewards" in driver.page_source
    shot(driver, f"vendor-partner-{suffix}")


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
        ("messages both ways, desktop", lambda: test_messages_both_ways(desktop, "desktop")),
        ("messages both ways, phone", lambda: test_messages_both_ways(phone, "phone")),
        ("vendor pages, desktop", lambda: test_vendor_pages(desktop, "desktop")),
        ("vendor pages, phone", lambda: test_vendor_pages(phone, "phone")),
        ("campaign preview, save, unsubscribe, desktop", lambda: test_campaign_preview_save_and_unsubscribe(desktop, "desktop")),
        ("campaign preview, save, unsubscribe, phone", lambda: test_campaign_preview_save_and_unsubscribe(phone, "phone")),
        ("vendor runs a program, partner sees the money", lambda: test_vendor_runs_a_program(desktop)),
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
