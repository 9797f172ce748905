"""The web form as a paralegal uses it (issue 11): typing is never lost, the 2024 Volumes step
opens collapsed, items open and change in place, and axe-core finds no serious violation on
any kind of page. axe-core comes from the npm registry (``make test`` installs it)."""

from __future__ import annotations

import copy
import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REPO, Server
from tests.browser.filling import press, shoot, sign_in_if_asked
from tests.browser.test_solar_2024 import saved_answers

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The test process's shared server: each test opens an interview of its own and reads back
    only that one, so none needs a fresh database (the first start's key serves them all)."""
    return shared_server


def create_session(server: Server, answers: dict) -> str:
    request = urllib.request.Request(
        f"{server.base_url}/api/sessions",
        data=json.dumps({"pack": "adcvd-petition", "answers": answers}).encode(),
        headers={
            "Authorization": f"Bearer {server.first_key()}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["id"]


def open_session(page: Page, server: Server, answers: dict) -> str:
    session_id = create_session(server, answers)
    page.goto("/")
    sign_in_if_asked(page, server.first_key())
    return f"/sessions/{session_id}"


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical violations of WCAG 2.1 A and AA (and best practice) on the page."""
    if not AXE.exists():
        pytest.fail(f"axe-core is required and is not at {AXE}; run `make assets`.", pytrace=False)
    # Evaluated through the browser's debugging protocol, which the pages' strict CSP (no
    # inline script) rightly does not let a <script> tag do.
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert len(results["passes"]) > 10, "axe-core did not check the page"
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_reload_marker(page: Page) -> None:
    """A mark on the window that a reload would wipe."""
    page.evaluate("window.__notReloaded = true")


def was_not_reloaded(page: Page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def test_typing_survives_a_click_on_another_step(
    page: Page, server: Server, solar_answers: dict, screenshots: Path
):
    answers = copy.deepcopy(solar_answers)
    del answers["counsel"]["telephone"]
    session = open_session(page, server, answers)
    page.goto(f"{session}/steps/counsel")
    telephone = page.locator("#f-counsel-telephone")
    telephone.fill("(202) 719-7000")
    # Straight to another step in the sidebar, without pressing any button.
    press(
        page,
        page.locator("nav[aria-label='Steps of the interview']").get_by_role(
            "link", name="Petitioner"
        ),
    )
    expect(page).to_have_url(re.compile(r"/steps/petitioners$"))
    press(
        page,
        page.locator("nav[aria-label='Steps of the interview']").get_by_role(
            "link", name="Counsel and consultants"
        ),
    )
    expect(page.locator("#f-counsel-telephone")).to_have_value("(202) 719-7000")
    assert saved_answers(server, session)["counsel"]["telephone"] == "(202) 719-7000"
    shoot(page, screenshots, "i11-autosave-after-sidebar-click")


def test_a_refused_value_is_kept_and_said(
    page: Page, server: Server, solar_answers: dict, screenshots: Path
):
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/steps/filing")
    date = page.locator("#f-filing-date")
    date.fill("5-7, 12")
    date.press("Tab")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Not saved yet")
    expect(status).to_contain_text("not one date")
    expect(date).to_have_value("5-7, 12")
    assert saved_answers(server, session)["filing"]["date"] == solar_answers["filing"]["date"]
    # Beside the field too, which is marked invalid and described by the message.
    beside = page.locator("#f-filing-date-autosave")
    expect(beside).to_contain_text("not one date")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_attribute("aria-describedby", re.compile(r"\bf-filing-date-autosave\b"))
    shoot(page, screenshots, "i11-autosave-refused")

    # Corrected, it saves, and the message and the mark go.
    date.fill("April 24, 2024")
    date.press("Tab")
    expect(status).to_contain_text("All changes saved.")
    expect(beside).to_have_count(0)
    expect(date).not_to_have_attribute("aria-invalid", "true")
    expect(date).not_to_have_attribute("aria-describedby", re.compile("autosave"))


def test_a_date_picked_from_the_calendar_is_saved(page: Page, server: Server, solar_answers: dict):
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/steps/filing")
    picker = page.locator("#f-filing-date + input[type=date]")
    expect(picker).to_have_value("2024-04-24")
    picker.fill("2024-04-25")
    expect(page.locator("#f-filing-date")).to_have_value("April 25, 2024")
    expect(page.locator("#autosave-status")).to_contain_text("All changes saved")
    assert saved_answers(server, session)["filing"]["date"] == "2024-04-25"


def test_the_volumes_step_opens_collapsed_and_edits_in_place(
    page: Page, server: Server, solar_answers: dict, screenshots: Path
):
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/steps/volumes")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, height
    volumes = page.locator("#f-volumes > details.item")
    expect(volumes).to_have_count(len(solar_answers["volumes"]))
    expect(page.locator("details.item[open]")).to_have_count(0)
    third = page.locator("#f-volumes-2")
    expect(third.locator("> summary")).to_have_text(
        "Volume III (Malaysia AD Allegation) — 8 BPI items"
    )
    shoot(page, screenshots, "i11-volumes-collapsed")

    # Open Volume III and one of its BPI items, and change a page list: saved as it is left.
    no_reload_marker(page)
    third.locator("> summary").click()
    item = page.locator("#f-volumes-2-bpi_items-1")
    item.locator("> summary").click()
    pages = page.locator('[name="volumes[2].bpi_items[1].pages"]')
    pages.fill("3, 4, 6-9")
    pages.press("Tab")
    expect(page.locator("#autosave-status")).to_contain_text("All changes saved")
    assert saved_answers(server, session)["volumes"][2]["bpi_items"][1]["pages"] == [
        3,
        4,
        6,
        7,
        8,
        9,
    ]
    shoot(page, screenshots, "i11-volume-opened-and-edited")

    # Add a BPI item without a reload: it opens, empty, with no error shown until touched.
    page.locator('button[value="add:volumes[2].bpi_items"]').click()
    new_item = page.locator("#f-volumes-2-bpi_items-8")
    expect(new_item).to_have_attribute("open", "")
    expect(new_item.locator("select").first).to_be_focused()  # ready to type into
    expect(new_item.locator(".problems")).to_have_count(0)
    assert was_not_reloaded(page)
    assert len(saved_answers(server, session)["volumes"][2]["bpi_items"]) == 9
    shoot(page, screenshots, "i11-bpi-item-added")

    # Remove it again, in place.
    page.locator('button[value="remove:volumes[2].bpi_items[8]"]').click()
    expect(page.locator("#f-volumes-2-bpi_items > details.item")).to_have_count(8)
    assert was_not_reloaded(page)
    assert len(saved_answers(server, session)["volumes"][2]["bpi_items"]) == 8

    # Open the second volume and move it down, in place.
    page.locator("#f-volumes-1 > summary").click()
    page.locator('button[value="down:volumes[1]"]').click()
    expect(page.locator("#f-volumes-2 > summary")).to_contain_text("Cambodia AD Allegation")
    assert was_not_reloaded(page)
    assert saved_answers(server, session)["volumes"][2]["title"] == "Cambodia AD Allegation"


def test_an_item_added_in_place_leaves_the_page_whole(
    page: Page, server: Server, solar_answers: dict, screenshots: Path
):
    """Only the volume pressed in is drawn again (issue 14): what changes outside it comes out
    of band, so the next save carries the new revision, the steps beside the form are those
    a fresh page shows, and no id is on the page twice."""
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/steps/volumes")
    revision = int(page.locator("#revision").input_value())
    no_reload_marker(page)
    page.locator("#f-volumes-2 > summary").click()
    page.locator('button[value="add:volumes[2].bpi_items"]').click()
    new_item = page.locator("#f-volumes-2-bpi_items-8")
    expect(new_item.locator("select").first).to_be_focused()
    expect(page.locator("#step-notes[data-focus]")).to_have_count(0)
    assert was_not_reloaded(page)
    expect(page.locator("#f-volumes-2 > summary")).to_contain_text("9 BPI items")
    expect(page.locator("#revision")).to_have_value(str(revision + 1))
    assert (
        page.evaluate(
            "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
            " return ids.filter((id, at) => ids.indexOf(id) !== at); }"
        )
        == []
    )
    assert axe_violations(page) == []
    # The steps beside the form: as a fresh page of the same answers shows them.
    fresh = page.context.new_page()
    fresh.goto(f"{server.base_url}{session}/steps/volumes")
    assert (
        page.locator("#session-panel").inner_text() == fresh.locator("#session-panel").inner_text()
    )
    fresh.close()
    shoot(page, screenshots, "i14-bpi-item-added-in-place")

    # Saved with the revision the press left: not refused as changed elsewhere.
    new_item.locator('[name="volumes[2].bpi_items[8].pages"]').fill("5")
    press(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator("p.notice")).to_have_text("Saved.")
    assert saved_answers(server, session)["volumes"][2]["bpi_items"][8]["pages"] == [5]


def test_a_choice_shows_the_questions_it_opens_at_once(
    page: Page, server: Server, solar_answers: dict
):
    answers = copy.deepcopy(solar_answers)
    answers["consultants"] = {"included": False}
    session = open_session(page, server, answers)
    page.goto(f"{session}/steps/counsel")
    expect(page.locator('[name="consultants.firm"]')).to_have_count(0)
    no_reload_marker(page)
    page.locator('input[name="consultants.included"][value="yes"]').check()
    expect(page.locator('[name="consultants.firm"]')).to_be_visible()
    assert was_not_reloaded(page)


PAGES = {
    "index": "/",
    "step": "{session}/steps/filing",
    "volumes": "{session}/steps/volumes",
    "review": "{session}/review",
    "documents": "{session}/documents",
    "delete": "{session}/delete",
}


def test_axe_finds_no_serious_violation_on_any_kind_of_page(
    page: Page, server: Server, solar_answers: dict
):
    answers = copy.deepcopy(solar_answers)
    answers["countries"][2]["ad_case"] = "A-552-851"  # an error, so that problems are drawn too
    session = open_session(page, server, answers)
    found = {}
    for name, url in PAGES.items():
        page.goto(url.format(session=session))
        found[name] = axe_violations(page)
    # A refused form, with its error summary.
    page.goto(f"{session}/steps/filing")
    page.locator("#f-filing-date").fill("April 31, 2024")
    press(page, page.locator("form.step-form button.primary"))
    found["refused"] = axe_violations(page)
    page.context.clear_cookies()
    page.goto("/sign-in")
    found["sign-in"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_a_refused_form_moves_focus_to_the_error_summary(
    page: Page, server: Server, solar_answers: dict
):
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/steps/filing")
    page.locator("#f-filing-date").fill("April 31, 2024")
    press(page, page.locator("form.step-form button.primary"))
    summary = page.locator(".summary.refused")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()


def test_the_favicon_is_served(page: Page, server: Server):
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
