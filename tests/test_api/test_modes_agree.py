"""The modes of liability say the same everywhere (issue 20, item 5): the dossier page, the PDF
case file, the bag's dossier.json, the FtM export and the API agree, mode by mode and element
by element, for several demo officials; and the demo's recorded choice shows in each."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from models import Official
from services.exports.data import as_json, gather
from services.exports.ftm import build_entities
from services.exports.pdf import case_file_html

ALL = ("public", "restricted", "confidential", "strictly_confidential")
NAMES = ("Vladimir Putin", "Alexander Lukashenko", "Kim Jong Un", "Valery Gerasimov", "Viktor Khrenin")
MODE = re.compile(r'<tbody class="mode"[^>]*data-mode="(\w+)">\s*<tr class="mode-head (\w+)">(.*?)</tbody>', re.S)
ELEMENT_ROW = re.compile(r'<tr class="(met|partial|gap|inferred)(?: flagged)?">\s*<th scope="row" class="mode-element')


def _from_html(html: str) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """mode -> (status, its elements' statuses, chosen to charge), as a page or the PDF prints them."""
    return {
        code: (status, tuple(ELEMENT_ROW.findall(body)), "chosen to charge" in body.split("</tr>")[0])
        for code, status, body in MODE.findall(html)
    }


def _from_data(modes: list[dict]) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    return {
        m["code"]: (m["status"], tuple(e["status"] for e in m["elements"]), m["charged"])
        for m in modes
        if m["suggested"] or m["charged"]
    }


@pytest.fixture
def officials(demo):
    ids = {name: demo.scalar(select(Official.id).where(Official.name == name)) for name in NAMES}
    assert all(ids.values())
    return ids


def test_page_pdf_bag_ftm_and_api_agree_on_the_modes(app, client, login, api, demo, officials):
    reader = api("viewer", "strictly_confidential")
    with app.test_request_context():
        bundle = gather(demo, list(officials.values()), visible=ALL, scope_start=dt.date(2014, 2, 20))
        bag = {d["official"]["id"]: d for d in as_json(bundle)["dossiers"]}
        printed = case_file_html(bundle)
    sheets = printed.split('<section class="dossier">')[1:]
    notes = [e for e in build_entities(bundle) if e.schema.name == "Note"]
    login("viewer", "strictly_confidential")
    for (name, official_id), sheet in zip(officials.items(), sheets, strict=True):
        api_modes = _from_data(reader.get(f"/dossiers/{official_id}").get_json()["modes"])
        assert api_modes, name  # every one of them has a mode the facts suggest
        assert _from_data(bag[official_id]["assessment"]["modes"]) == api_modes, name
        page = client.get(f"/dossiers/{official_id}").get_data(as_text=True)
        assert _from_html(page) == api_modes, name
        assert _from_html(sheet) == api_modes, name
        ftm = {
            next(k[5:] for k in n.get("keywords") if k.startswith("mode:")): set(n.get("keywords"))
            for n in notes
            if n.get("entity") == [f"ts-person-{official_id}"]
        }
        assert set(ftm) == set(api_modes), name
        for code, (status, _elements, charged) in api_modes.items():
            assert {f"status:{status}", f"charged:{'yes' if charged else 'no'}"} <= ftm[code], (name, code)
    putin = officials["Vladimir Putin"]
    charged = {code for code, (_s, _e, yes) in _from_data(bag[putin]["assessment"]["modes"]).items() if yes}
    assert charged == {"co_perpetration", "ordering"}
    [choice] = bag[putin]["case"]["mode_choices"]
    assert choice["modes"] == ["co_perpetration", "ordering"] and "address of 24 February 2022" in choice["reason"]
    assert str(escape(choice["reason"])) in printed
    note = next(n for n in notes if n.id == f"ts-mode-{putin}-ordering")
    assert note.get("description") == [choice["reason"]] and note.get("name") == ["ordering (Art. 25(3)(b))"]
