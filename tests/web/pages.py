"""Reading the pages as a browser does: the values a form would send, the labels of inputs."""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def document(text: str):
    return lxml_html.fromstring(text)


def form_values(text: str, form_class: str = "step-form") -> dict[str, str]:
    """What submitting the form would send, buttons aside: text inputs, checked radios, the
    selected options, text areas and hidden inputs."""
    form = document(text).xpath(f'//form[contains(concat(" ", @class, " "), " {form_class} ")]')[0]
    values: dict[str, str] = {}
    for element in form.iter("input", "textarea", "select"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "textarea":
            values[name] = element.text or ""
        elif element.tag == "select":
            chosen = [o for o in element.iter("option") if o.get("selected") is not None]
            values[name] = chosen[0].get("value", "") if chosen else ""
        elif element.get("type") == "radio":
            if element.get("checked") is not None:
                values[name] = element.get("value", "")
        else:
            values[name] = element.get("value", "")
    return values


def csrf_token(text: str) -> str:
    found = TOKEN.search(text)
    assert found, "the page has no CSRF token"
    return found.group(1)


async def submit(
    client,
    url: str,
    changes: dict[str, Any] | None = None,
    action: str = "continue",
    drop: tuple[str, ...] = (),
):
    """Open the step at ``url``, change some inputs as a person would, press a button."""
    page = await client.get(url)
    assert page.status_code == 200, page.text
    values = form_values(page.text)
    values.update(changes or {})
    for name in drop:
        values.pop(name, None)
    values["_action"] = action
    return await client.post(url.split("?")[0].split("#")[0], data=values, follow_redirects=False)


def problems_of(text: str, html_id: str) -> list[str]:
    """The messages shown next to the input or fieldset ``html_id``."""
    return [
        li.text_content().replace("Error: ", "").replace("Warning: ", "").strip()
        for li in document(text).xpath(f'//*[@id="{html_id}-problems"]//li')
    ]


def input_value(text: str, name: str) -> str | None:
    return form_values(text).get(name)


async def start(client, pack: str, answers: dict[str, Any] | None = None) -> str:
    """A new interview through the JSON API (prefilled if given); its id."""
    created = await client.post(
        "/api/sessions", json={"pack": pack, **({"answers": answers} if answers else {})}
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def answers_of(client, session_id: str) -> dict[str, Any]:
    return (await client.get(f"/api/sessions/{session_id}")).json()["answers"]
