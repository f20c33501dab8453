"""clean_outputs: what ``python -m course_lib run`` stores is the same whatever the kernel's message timing."""
from __future__ import annotations

import nbformat

from course_lib.notebook.cells import clean_outputs


def stream(name: str, text: str):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_one_print_flushed_in_two_messages_is_stored_as_one():
    cell = nbformat.v4.new_code_cell("print('明细2113行')")
    cell.outputs = [stream("stdout", "明细2113行"), stream("stdout", "\n"), stream("stderr", "警告"),
                    stream("stderr", "\n"), stream("stdout", "再一行\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    clean_outputs(nb)
    assert [(o.name, o.text) for o in cell.outputs] == [("stdout", "明细2113行\n"), ("stderr", "警告\n"),
                                                       ("stdout", "再一行\n")]


def test_a_stream_after_a_display_stays_apart():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [stream("stdout", "前\n"), nbformat.v4.new_output("display_data", data={"text/plain": "表"}),
                    stream("stdout", ["后", "\n"])]
    nb = nbformat.v4.new_notebook(cells=[cell])
    clean_outputs(nb)
    assert [o.output_type for o in cell.outputs] == ["stream", "display_data", "stream"]
    assert cell.outputs[2].text == ["后", "\n"]
