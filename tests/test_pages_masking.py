"""tests/pages.py: the masking every page comparison goes through."""

from __future__ import annotations

from tests.pages import csrf_tokens, mask_volatile


def test_tokens_nonces_and_instants_are_masked_and_nothing_else():
    page = (
        '<meta name="csrf-token" content="IjA1.axaLJQ.syVe">'
        '<input type="hidden" name="csrf_token" value="IjA1.axaLJQ.syVe">'
        '<input id="csrf_token" name="csrf_token" type="hidden" value="IjA1.axaLJg.ldOY">'
        '<script nonce="r4nd0m+/=">x</script>'
        "<p>Imported 2026-12-07T10:31:05.123456+00:00, checked 2026-12-07 10:31 UTC at 10:31:05</p>"
        "<p>Born 1952-10-07, tenure 2012 – 2024, exhibit P-0007, 153 votes</p>"
    )
    assert mask_volatile(page) == (
        '<meta name="csrf-token" content="CSRF">'
        '<input type="hidden" name="csrf_token" value="CSRF">'
        '<input id="csrf_token" name="csrf_token" type="hidden" value="CSRF">'
        '<script nonce="NONCE">x</script>'
        "<p>Imported TIME, checked TIME UTC at TIME</p>"
        "<p>Born 1952-10-07, tenure 2012 – 2024, exhibit P-0007, 153 votes</p>"
    )
    assert csrf_tokens(page) == ["IjA1.axaLJQ.syVe", "IjA1.axaLJQ.syVe", "IjA1.axaLJg.ldOY"]
    assert mask_volatile('{"csrf_token": "abc.def", "at": "2026-12-07T10:31:05Z"}') == (
        '{"csrf_token": "CSRF", "at": "TIME"}'
    )


def test_one_page_rendered_a_second_apart_masks_to_the_same_text(client, login, ticking_clock):
    login("viewer")
    first, second = (client.get("/officials").get_data(as_text=True) for _ in range(2))
    assert first != second  # the tokens are signed with the time...
    assert csrf_tokens(first) and mask_volatile(first) == mask_volatile(second)  # ...and only they differ
