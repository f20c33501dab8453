"""Practice tools a student uses on his own, with no key and no grade.

Owns the typing drill of unit 02 — scoring what was typed against a passage
(:mod:`.typing_drill`) and the passages with their level lines, read from
``data/typing/`` (:mod:`.passages`) — and the self-assessment of unit 02, whose
answers become the six dimensions of a radar chart (:mod:`.self_assessment`).
Pure logic: may import ``course_lib.settings``, ``course_lib.files`` and
``course_lib.text`` — never content, the shop world, grading, widgets or matplotlib
(the chart is :func:`course_lib.charts.radar_chart`, the widgets live in
:mod:`course_lib.views`).
"""
