"""The whole 2024 case typed into the pages of the real app in headless Chromium: a mistake
refused and corrected, a restart of the server in the middle, an answer fixed from the review,
then the packet generated, downloaded as a .zip and read back."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import uuid
import zipfile

import pytest
from playwright.sync_api import Page, expect

from service.packs.model import Pack
from tests.browser.conftest import Server
from tests.browser.filling import fill_step, press, save_and_continue, shoot, sign_in_if_asked
from tests.support import docx_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Typed wrongly on the way, and corrected later from the review page.
WRONG_TOTAL_PAGES = "12"
WRONG_MEMBER = ("coalition.members[1].name", "First Solar Inc")
TABLET = {"width": 768, "height": 1024}


def saved_answers(server: Server, session: str | None = None) -> dict:
    """The answers stored for ``session`` (its id, or its path "/sessions/<id>"); without
    one, those of the database's only interview."""
    with sqlite3.connect(server.database) as connection:
        if session is None:
            ((answers,),) = connection.execute("SELECT answers FROM interview_session").fetchall()
        else:
            # GUIDs are stored as 16 bytes in SQLite.
            (answers,) = connection.execute(
                "SELECT answers FROM interview_session WHERE lower(hex(id)) = ?",
                (uuid.UUID(session.rsplit("/", 1)[-1]).hex,),
            ).fetchone()
    return json.loads(answers)


def test_the_2024_packet_through_the_pages(
    page: Page, server: Server, petition_pack: Pack, solar_answers: dict, screenshots
):
    steps = list(petition_pack.steps)
    first, *rest = steps
    shot = 0

    def picture(name: str) -> None:
        nonlocal shot
        shot += 1
        shoot(page, screenshots, f"{shot:02d}-{name}")

    # Start from the list of interviews, choosing the kind of filing.
    page.goto("/")
    sign_in_if_asked(page, server.first_key())
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()
    page.get_by_label("Kind of filing").select_option(label=petition_pack.title)
    press(page, page.get_by_role("button", name="Start a new interview"))
    expect(page).to_have_url(re.compile(rf"/steps/{first.id}$"))
    session_url = page.url.rsplit("/steps/", 1)[0]

    # A date that does not exist is refused; everything typed stays on the page.
    fill_step(
        page,
        petition_pack,
        first,
        solar_answers,
        overrides={"filing.date": "April 31, 2024", "filing.total_pages": WRONG_TOTAL_PAGES},
    )
    press(page, page.locator("form.step-form button.primary"))
    date_field = page.locator("#f-filing-date")
    expect(date_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-filing-date-problems")).to_contain_text(
        "'April 31, 2024' is not a day of the calendar"
    )
    expect(date_field).to_have_value("April 31, 2024")
    expect(page.locator("#f-filing-total_pages")).to_have_value(WRONG_TOTAL_PAGES)
    expect(page.locator("#f-addressees-commerce_secretary")).to_have_value("Gina M. Raimondo")
    picture("refused-date")

    fill_step(
        page,
        petition_pack,
        first,
        solar_answers,
        overrides={"filing.total_pages": WRONG_TOTAL_PAGES},
    )
    picture(first.id)
    save_and_continue(page)

    # Half the steps, then the server is stopped and started again: the work is in the database.
    half = len(rest) // 2
    for step in rest[:half]:
        expect(page).to_have_url(re.compile(rf"/steps/{step.id}$"))
        fill_step(page, petition_pack, step, solar_answers, overrides=dict([WRONG_MEMBER]))
        picture(step.id)
        save_and_continue(page)

    server.restart()
    page.goto("/")
    sign_in_if_asked(page, server.first_key())
    picture("index-after-restart")
    press(page, page.get_by_role("link", name=re.compile(r"^Resume")).first)
    expect(page).to_have_url(re.compile(rf"/steps/{rest[half].id}$"))

    for step in rest[half:]:
        expect(page).to_have_url(re.compile(rf"/steps/{step.id}$"))
        fill_step(page, petition_pack, step, solar_answers)
        picture(step.id)
        save_and_continue(page)

    # The last step leads to the review: nothing is missing, and the wrong page count shows.
    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.locator("#errors-title")).to_have_count(0)
    total_pages_row = page.locator("#r-f-filing-total_pages")
    expect(total_pages_row.locator("dd.value")).to_have_text(WRONG_TOTAL_PAGES)
    picture("review")

    # Fix it from the review: the edit link opens the field, saving returns to the review.
    press(page, total_pages_row.get_by_role("link", name=re.compile("^Edit")))
    expect(page).to_have_url(re.compile(r"/steps/filing\?return=review#f-filing-total_pages$"))
    page.locator("#f-filing-total_pages").fill(str(solar_answers["filing"]["total_pages"]))
    picture("edit-from-review")
    press(page, page.get_by_role("button", name="Save and return to the review"))
    expect(page).to_have_url(re.compile(r"/review#step-filing$"))
    expect(page.locator("#r-f-filing-total_pages dd.value")).to_have_text(
        str(solar_answers["filing"]["total_pages"])
    )

    # Enter in a text box on a page full of "Remove" buttons saves and returns; it removes nothing.
    member_path, wrong_name = WRONG_MEMBER
    member_row = page.locator("#r-f-coalition-members-1-name")
    expect(member_row.locator("dd.value")).to_have_text(wrong_name)
    press(page, member_row.get_by_role("link", name=re.compile("^Edit")))
    member = page.locator(f'[name="{member_path}"]')
    member.fill("First Solar, Inc.")
    with page.expect_navigation(wait_until="load"):
        member.press("Enter")
    expect(page).to_have_url(re.compile(r"/review#step-petitioners$"))
    expect(member_row.locator("dd.value")).to_have_text("First Solar, Inc.")

    # Every answer typed through the pages is the 2024 case, exactly.
    assert saved_answers(server) == solar_answers

    # On a tablet held upright the steps go above the page, and nothing is wider than the screen.
    page.set_viewport_size(TABLET)
    for name, url in (
        ("tablet-volumes", f"{session_url}/steps/volumes"),
        ("tablet-review", f"{session_url}/review"),
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(screenshots / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{session_url}/review")

    # Generate, then download the whole packet and one document.
    press(page, page.get_by_role("link", name="Go to the documents").first)
    press(page, page.get_by_role("button", name="Generate the documents"))
    expect(page.locator("table.documents tbody tr")).to_have_count(7)
    picture("documents")

    with page.expect_download() as zipped:
        page.get_by_role("link", name="Download all as one .zip").click()
    with zipfile.ZipFile(io.BytesIO(server.downloaded(zipped.value))) as archive:
        names = archive.namelist()
        letter = docx_text(archive.read("Cover Letter.docx"))
        representative = docx_text(archive.read("Representative Certification.docx"))
    # Each .docx with its .pdf beside it, and the whole packet as one PDF.
    assert len([name for name in names if name.endswith(".docx")]) == 7
    assert "packet.pdf" in names and "Cover Letter.pdf" in names
    assert (
        sum(
            name.startswith("Company Certification - ") and name.endswith(".docx") for name in names
        )
        == 4
    )
    assert (
        "DOC Investigation Nos. A-555-003, A-557-830, A-549-851, A-552-841, C-555-004, C-557-831, C-549-852, and C-552-842"
        in letter
    )
    assert f"Total Pages: {solar_answers['filing']['total_pages']}" in letter
    assert "In my capacity as counsel, I certify" in representative

    with page.expect_download() as single:
        page.get_by_role("link", name=re.compile(r"^Download Cover Letter")).click()
    assert single.value.suggested_filename == "Cover Letter.docx"
    assert "Dear Secretary Raimondo and Secretary Barton:" in docx_text(
        server.downloaded(single.value)
    )

    # Done with it: delete it from the list, after a page that says what goes with it.
    page.goto("/")
    press(page, page.get_by_role("link", name=re.compile("^Delete")).first)
    expect(page.locator("main")).to_contain_text("7 generated documents")
    picture("delete")
    press(page, page.get_by_role("button", name="Delete the interview"))
    expect(page.get_by_role("status")).to_have_text("The interview and its documents were deleted.")
    expect(page.locator("table.sessions")).to_have_count(0)
