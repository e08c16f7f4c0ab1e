"""Drives a real Chromium (headless, through chromedriver and Selenium) over `crm-replica serve`'s
pages as a person would: search an email and read the holders table, upload the sample batch on
the replay page and count its failed rows, follow a failed row to its Why page. Saves a screenshot
of each page into SHOTS and prints what it read as one JSON object (WebPagesBrowserTests checks it).

usage: webpage_browser.py BASE_URL BATCH_FILE SHOTS_DIR EMAIL
"""
import json
import os
import shutil
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

base, batch, shots, email = sys.argv[1:5]
os.makedirs(shots, exist_ok=True)

options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800"):
    options.add_argument(argument)
binary = shutil.which("chromium") or shutil.which("chromium-browser")
if binary:
    options.binary_location = binary
driver_path = shutil.which("chromedriver")
driver = webdriver.Chrome(service=Service(driver_path) if driver_path else Service(), options=options)
driver.set_page_load_timeout(60)
read = {}
try:
    # 1. The home page's search box, as a person types an email from the demo.
    driver.get(base + "/")
    box = driver.find_element(By.ID, "value")
    box.send_keys(email)
    box.submit()
    read["why_title"] = driver.title
    holders = driver.find_elements(By.XPATH, "//table[caption='Who holds it']/tbody/tr")
    read["holders"] = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in holders]
    read["holder_headers"] = [cell.text for cell in driver.find_elements(By.XPATH, "//table[caption='Who holds it']/thead//th")]
    driver.save_screenshot(os.path.join(shots, "why.png"))

    # 2. The replay page: upload the batch, choose the module, run the dry run.
    driver.get(base + "/replay")
    driver.find_element(By.ID, "file").send_keys(os.path.abspath(batch))
    Select(driver.find_element(By.ID, "module")).select_by_visible_text("Contacts")
    Select(driver.find_element(By.ID, "operation")).select_by_visible_text("upsert")
    driver.find_element(By.XPATH, "//button[normalize-space()='Replay (dry run)']").click()
    read["summary"] = driver.find_element(By.ID, "summary").text
    rows = driver.find_elements(By.XPATH, "//table[@id='rows']/tbody/tr")
    outcomes = [row.find_elements(By.TAG_NAME, "td")[3].text for row in rows]
    read["rows"] = len(rows)
    read["failed_rows"] = sum(1 for outcome in outcomes if not outcome.startswith("SUCCESS"))
    driver.save_screenshot(os.path.join(shots, "replay.png"))

    # 3. A failed row's Why link, judged inside its batch.
    failed = next(row for row in rows if not row.find_elements(By.TAG_NAME, "td")[3].text.startswith("SUCCESS"))
    read["row_email"] = failed.find_elements(By.TAG_NAME, "td")[1].text
    failed.find_element(By.LINK_TEXT, "Why?").click()
    read["row_why_banner"] = driver.find_element(By.CSS_SELECTOR, "section.banner").text
    read["row_why_title"] = driver.title
    driver.save_screenshot(os.path.join(shots, "row-why.png"))
finally:
    driver.quit()
print(json.dumps(read))
