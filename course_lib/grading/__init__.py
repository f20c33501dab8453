"""Grading a class: the student edition, the batch grader and its reports.

Owns the release of the student edition (:mod:`.release`), finding and identifying
submissions (:mod:`.submissions`), running each one (:mod:`.grader`, :mod:`.worker`),
typed results (:mod:`.results`), the SQLite gradebook (:mod:`.store`) and the reports
regenerated from it: 成绩表 (:mod:`.tables`), feedback (:mod:`.feedback`) and statistics
(:mod:`.statistics`).  May import the content engine (to grade against the key),
``course_lib.notebook``, ``course_lib.charts`` and the settings — never views or widgets.
"""
