"""Item buttons pressed with htmx (issue 14): the server names the region the press draws
again, and answers with that region and, out of band, what changes elsewhere; a press whose
change shows outside its region gets the whole page. Without htmx nothing of this is used."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from service.web.forms import Action
from service.web.in_place import region_of
from tests.web.pages import answers_of, document, form_values, start

HTMX = {"HX-Request": "true"}


async def press(client, url: str, action: str, changes: dict[str, str] | None = None, **headers):
    page = await client.get(url)
    values = {**form_values(page.text), **(changes or {}), "_action": action}
    return await client.post(url, data=values, headers=headers, follow_redirects=False)


def region_named(response) -> list[str]:
    return parse_qs(urlsplit(response.headers["location"]).query).get("in_place", [])


class TestRegionOf:
    def test_a_list_in_no_item_draws_the_whole_page(self):
        assert region_of(Action.parse("add:volumes")) == ""
        assert region_of(Action.parse("up:volumes[2]")) == ""

    def test_a_list_inside_an_item_draws_the_outermost_item_again(self):
        assert region_of(Action.parse("add:volumes[1].bpi_items")) == "volumes[1]"
        assert region_of(Action.parse("remove:volumes[1].bpi_items[0]")) == "volumes[1]"


class TestInPlace:
    async def test_without_htmx_the_press_is_answered_as_before(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        added = await press(client, url, "add:volumes[1].bpi_items")
        assert added.status_code == 303 and region_named(added) == []
        page = await client.get(added.headers["location"])
        assert page.text.lstrip().lower().startswith("<!doctype html>")
        assert "hx-swap-oob" not in page.text

    async def test_a_nested_add_answers_with_its_item_and_the_rest_out_of_band(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        before = await client.get(url)
        revision = int(form_values(before.text)["_revision"])
        count = len(solar_answers["volumes"][1]["bpi_items"])

        added = await press(client, url, "add:volumes[1].bpi_items", **HTMX)
        assert region_named(added) == ["volumes[1]"]
        part = await client.get(added.headers["location"], headers=HTMX)
        assert part.status_code == 200 and "<html" not in part.text
        fragment = document(f"<div>{part.text}</div>")
        (region,) = fragment.xpath("./details")
        assert region.get("id") == "f-volumes-1" and region.get("open") is not None
        assert region.xpath(f'.//details[@id="f-volumes-1-bpi_items-{count}"][@data-new="1"]')
        # Its line counts the new item, as the whole page would.
        assert f"{count + 1} BPI items" in region.xpath("./summary")[0].text_content()
        (saved,) = fragment.xpath('./input[@id="revision"]')
        assert saved.get("hx-swap-oob") == "true" and int(saved.get("value")) == revision + 1
        (notes,) = fragment.xpath('./div[@id="step-notes"]')
        assert notes.get("hx-swap-oob") == "true"
        assert notes.get("data-focus") == f"f-volumes-1-bpi_items-{count}"
        assert fragment.xpath('./aside[@id="session-panel"][@hx-swap-oob="true"]')
        ids = [e.get("id") for e in fragment.iter() if e.get("id")]
        assert len(ids) == len(set(ids))
        # The buttons of its lists draw it again; its own, the whole page.
        inner = region.xpath('.//fieldset[@id="f-volumes-1-bpi_items"]//button')
        assert {b.get("hx-target") for b in inner} == {"#f-volumes-1"}
        own = region.xpath('./fieldset/div[@class="item-actions"]/button')
        assert own and {b.get("hx-target") for b in own} == {"#layout"}
        assert len((await answers_of(client, session_id))["volumes"][1]["bpi_items"]) == count + 1

    async def test_a_list_in_no_item_answers_with_the_whole_page(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        added = await press(client, url, "add:volumes", **HTMX)
        assert region_named(added) == []
        page = await client.get(added.headers["location"], headers=HTMX)
        assert page.headers["hx-retarget"] == "#layout" and 'id="layout"' in page.text
        assert len(document(page.text).xpath('//*[@id="f-volumes"]/details')) == 10

    async def test_a_change_past_the_region_draws_the_whole_page(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        # "No BPI" typed in Volume I, then "Add" pressed in Volume II: Volume I gets a problem.
        added = await press(
            client, url, "add:volumes[1].bpi_items", {"volumes[0].has_bpi": "no"}, **HTMX
        )
        assert added.status_code == 303 and region_named(added) == []
        page = await client.get(added.headers["location"], headers=HTMX)
        assert page.headers["hx-retarget"] == "#layout"
        assert page.headers["hx-reselect"] == "#layout"
        assert 'id="layout"' in page.text and "hx-swap-oob" not in page.text
        beside_volume_one = document(page.text).xpath('//*[@id="f-volumes-0"]//li')
        assert any(
            "holding no business proprietary" in li.text_content() for li in beside_volume_one
        )

    async def test_a_region_not_on_the_page_draws_the_whole_page(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes?open=volumes%5B0%5D&in_place=nowhere"
        page = await client.get(url, headers=HTMX)
        assert page.headers["hx-retarget"] == "#layout" and 'id="layout"' in page.text
