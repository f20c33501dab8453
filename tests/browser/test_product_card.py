"""Unit 03's product-knowledge card in a real JupyterLab, used like a student during the PU-bag
role-play: typed queries with Enter, committed Chinese text, candidate and matching-item buttons,
and the role-play on the same page going on undisturbed.  Runs in the English and the Chinese UI."""
from __future__ import annotations

from .conftest import SHOTS
from .reading import text_of
from .test_jupyterlab import open_and_run

NOTEBOOK = "03_products.ipynb"


def ask(page, card, text: str, *, committed: bool = False) -> None:
    """Clear the box, type ``text`` (key by key, or as committed IME text) and press Enter."""
    box = card.locator("input[type=text]")
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    if committed:
        page.keyboard.insert_text(text)
    else:
        page.keyboard.type(text, delay=40)
    page.keyboard.press("Enter")


def test_the_card_answers_while_the_role_play_goes_on(page, lab):
    open_and_run(page, lab, NOTEBOOK)
    card = page.locator(".course-product-card").first
    card.scroll_into_view_if_needed()
    body = card.locator(".course-product-card-body")

    ask(page, card, "p1")
    body.wait_for(timeout=30_000)
    text = text_of(body, "P01 PU配皮托特包")
    assert "P01 PU配皮托特包" in text and "不是真皮" in text and "① " in text and "⑤ " in text
    assert "52" not in text                                       # P01's cost never shows
    SHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SHOTS / f"product-card-{lab[3]}.png"))

    card.locator("button", has_text="搭配：P04").click()          # a matching item opens its card
    page.wait_for_function("el => el.innerText.includes('P04 牛皮短款钱包')", arg=card.element_handle())
    text_of(body, "头层牛皮")

    ask(page, card, "PU")                                          # two products: candidates
    card.locator("button", has_text="P03 PU双肩通勤包").wait_for(timeout=30_000)
    assert card.locator("button", has_text="P01 PU配皮托特包").count() == 1
    card.locator("button", has_text="P03 PU双肩通勤包").click()
    page.wait_for_function("el => el.innerText.includes('14英寸笔记本电脑')", arg=card.element_handle())

    ask(page, card, "托特包怎么洗", committed=True)                  # a sentence typed with an input method
    page.wait_for_function("el => el.innerText.includes('P01 PU配皮托特包')", arg=card.element_handle())
    ask(page, card, "皮鞋", committed=True)
    card.locator("text=没有找到“皮鞋”").wait_for(timeout=30_000)
    assert card.locator("input[type=text]").input_value() == "皮鞋"
    ask(page, card, "P16")
    card.locator("text=本店商品编号是P01–P15").wait_for(timeout=30_000)

    # the role-play below: the card stays as it is while the buyer is answered
    card.locator("button", has_text="P01").first.click()
    page.wait_for_function("el => el.innerText.includes('P01 PU配皮托特包')", arg=card.element_handle())
    chat = page.locator(".course-roleplay").first
    chat.scroll_into_view_if_needed()
    chat.locator("button", has_text="开始接待").click()
    chat.locator("text=这个托特包是真皮的吗").wait_for(timeout=30_000)
    chat.locator("button", has_text="发送 B").click()              # the honest answer of turn 1
    chat.locator("text=本轮得分10/10").wait_for(timeout=30_000)
    assert "出了点问题" not in text_of(card, "P01 PU配皮托特包") + text_of(chat)
