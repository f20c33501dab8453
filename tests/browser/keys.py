"""Typing into a widget's text box the way a student does: the keys (or what an IME commits), then
leaving the box (Tab) before the next click.  ipywidgets sends typing to the kernel in batches and may
hold back a value update while the kernel is busy, so a click right after the last keystroke can reach
the kernel first; leaving the box sends the value, and the short pause lets it arrive."""
from __future__ import annotations


def type_into(page, box, text: str, ime: bool = False) -> None:
    """Replace the text of ``box`` by typing ``text`` (``ime``: committed at once, as by a Chinese IME)."""
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if ime:
        page.keyboard.insert_text(text)
    else:
        page.keyboard.type(text)
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)


def click_option(page, chat, letter: str) -> None:
    """Click a role-play's 「发送 X」 and wait until that button is gone (the next round's buttons or the
    report replace it).  Each option button answers only its own round, so a click that lands on the
    last round's button while the new one is still being drawn would be ignored, not answer the round."""
    button = chat.locator("button", has_text=f"发送 {letter}").first
    handle = button.element_handle()
    button.click()
    page.wait_for_function("b => !b.isConnected", arg=handle, timeout=30_000)
