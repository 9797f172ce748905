"""Filling a step page as a person would, with actions made from the pack and the answers.

Nothing here knows the petition: for each question the walk of the pack makes relevant, the
answer is typed into its input, a radio button is chosen or an option selected; a repeated
group gets its items by pressing "Add" (which saves what is typed so far, and adds the item in
place). A question that a condition shows only after saving (a "yes" that opens more
questions) appears as soon as the change is saved; without it, "Save" is pressed first. A
collapsed item is opened before its fields are filled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from service.interview import fields, paths
from service.interview.walk import walk
from service.packs.model import Pack, Question, Step
from service.web.forms import html_id


def sign_in_if_asked(page: Page, key: str | None) -> None:
    """Where the app asks who is there, sign in with ``key`` (the server's first admin key)."""
    if "/sign-in" not in page.url:
        return
    assert key, "the app asks to sign in, and its first start printed no key"
    page.get_by_label("Your access key").fill(key)
    press(page, page.get_by_role("button", name="Sign in"))


def press(page: Page, button: Locator) -> None:
    """Press a submit button and wait for the page that answers it."""
    with page.expect_navigation(wait_until="load"):
        button.click()


def action_button(page: Page, value: str) -> Locator:
    return (
        page.locator(f'form.step-form button.primary[value="{value}"]')
        if value == "continue"
        else page.locator(f'button[name="_action"][value="{value}"]')
    )


def shown_or_after_save(page: Page, locator: Locator) -> Locator:
    """``locator`` once it is on the page, pressing "Save" first if a condition still hides it,
    with the collapsed items around it opened. One call to the page, not three: ``opened``
    waits for the element itself (a count, a wait and the opening were each a round trip
    through Chromium, and there are hundreds of answers)."""
    try:
        # The page's script draws the questions a choice opens once it is saved; else "Save".
        return opened(locator, timeout=3_000)
    except PlaywrightTimeoutError:
        press(page, action_button(page, "save"))
    return opened(locator)


def item_count(page: Page, group_path: str) -> int:
    return page.locator(f"#{html_id(group_path)} > details.item").count()


# Resolves once the group has ``count`` items and the page no longer names what to focus (the
# page's script removes data-focus once the redrawn page has settled); fails after 15 s.
SETTLED_AFTER_ADD = """([group, count]) => new Promise((resolve, reject) => {
    const settled = () =>
        document.querySelectorAll(`#${group} > details.item`).length === count
        && !document.querySelector("#step-notes[data-focus]");
    if (settled()) return resolve(true);
    const watch = new MutationObserver(() => {
        if (settled()) { watch.disconnect(); clearTimeout(late); resolve(true); }
    });
    const late = setTimeout(() => {
        watch.disconnect();
        reject(new Error(`#${group}: not ${count} items, settled, within 15 s`));
    }, 15000);
    watch.observe(document.body, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["data-focus"],
    });
})"""


def add_item(page: Page, group_path: str, before: int) -> None:
    """Press "Add" under a group of ``before`` items: with the page's script the item appears
    in place, no reload."""
    shown_or_after_save(page, action_button(page, f"add:{group_path}")).click()
    # Waited for as the page changes (a MutationObserver), then the expects pass at once:
    # expect() alone looks again 0, 20, 50, 100, 100 ms, then every 500 ms after a miss. The
    # 2024 flow's 70 additions took 118 ms to settle at the median (up to 495, load ~7), and
    # waiting for the next look would have added about 8 s in all.
    page.evaluate(SETTLED_AFTER_ADD, [html_id(group_path), before + 1])
    expect(page.locator(f"#{html_id(group_path)} > details.item")).to_have_count(before + 1)
    # The page drawn again focuses the new item once it has settled (data-focus then goes):
    # text typed before that would land in the new item's first field, not where it was meant.
    expect(page.locator("#step-notes[data-focus]")).to_have_count(0)


def opened(locator: Locator, timeout: float | None = None) -> Locator:
    """``locator`` with the collapsed items around it opened, as a person clicks their line
    (once it is on the page: the default timeout, or ``timeout`` ms)."""
    locator.first.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }",
        timeout=timeout,
    )
    return locator


def typed_text(question: Question, value: Any) -> str:
    """The answer as a person types it: the same text the pages show for a saved answer."""
    return fields.format_value(question, value)


def set_answer(page: Page, question: Question, path: str, value: Any) -> None:
    if question.type == "yesno":
        radio = shown_or_after_save(
            page,
            page.locator(f'input[type="radio"][name="{path}"][value="{"yes" if value else "no"}"]'),
        )
        radio.check()
    elif question.type == "choice":
        inputs = shown_or_after_save(page, page.locator(f'[name="{path}"]'))
        if inputs.first.evaluate("e => e.tagName") == "SELECT":
            inputs.select_option(str(value))
        else:
            page.locator(f'input[type="radio"][name="{path}"][value="{value}"]').check()
    else:
        shown_or_after_save(page, page.locator(f'[name="{path}"]')).fill(
            typed_text(question, value)
        )


def fill_step(
    page: Page,
    pack: Pack,
    step: Step,
    answers: dict[str, Any],
    overrides: dict[str, str] | None = None,
) -> None:
    """Type ``answers`` into the page of ``step`` (``overrides`` are typed instead, by path)."""
    overrides = overrides or {}
    for slot in walk(pack, answers):
        if slot.step.id != step.id or not slot.relevant:
            continue
        if slot.question.is_group:
            wanted = len(paths.get(answers, slot.path) or [])
            have = item_count(page, slot.path)
            while have < wanted:
                add_item(page, slot.path, have)
                have += 1  # add_item waited for it
            continue
        if slot.path in overrides:
            shown_or_after_save(page, page.locator(f'[name="{slot.path}"]')).fill(
                overrides[slot.path]
            )
            continue
        value = paths.get(answers, slot.path)
        if value is None:
            continue
        set_answer(page, slot.question, slot.path, value)


def save_and_continue(page: Page) -> None:
    press(page, action_button(page, "continue"))
    refused = page.locator(".summary.refused")
    assert refused.count() == 0, refused.inner_text()


def shoot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # a sticky panel is drawn where the page was scrolled to
    page.screenshot(path=str(path), full_page=True)
    return path
