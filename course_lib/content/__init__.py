"""The course engine: what students answer and how it is judged.

Owns answer parsing (:mod:`.answers`), question types (:mod:`.qtypes`), questions, banks and
graded exercises (:mod:`.questions`, :mod:`.banks`), ``check()`` and its result
(:mod:`.exercises`, :mod:`.results`), the reply scorer (:mod:`.rubric` composing
:mod:`.replytext` matching, :mod:`.claims` fact checks, :mod:`.degenerate` and the rules of
:mod:`.rubric_rules`), role-play
scenarios and the dialogue engine (:mod:`.scenarios`, :mod:`.dialogue`), the multi-buyer
reception scripts and session (:mod:`.reception_script`, :mod:`.reception`), the greeting
builder (:mod:`.greeting`) and content validation (:mod:`.validate`).  Content itself is YAML in ``data/``.  May import
``course_lib.settings``, ``course_lib.files`` and ``course_lib.text`` — never the shop
world, grading, views or ipywidgets.
"""
