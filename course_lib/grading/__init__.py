"""Grading a class: the student edition, the batch grader and its reports.

Owns the release of the student edition (:mod:`.release`), finding and identifying
submissions (:mod:`.submissions`, :mod:`.identity`), running each one in isolation
(:mod:`.grader` orchestrates; :mod:`.sandbox` builds the bubblewrap box, :mod:`.pool` keeps
warm :mod:`.zygote` processes that fork one job per submission, :mod:`.jail` drops each job
into its own namespaces as nobody, :mod:`.cellrun` runs the cells; :mod:`.weak` is the
fallback where no sandbox exists), typed results (:mod:`.results`), the SQLite gradebook
(:mod:`.store`) and the reports regenerated from it (:mod:`.reports`): 成绩表
(:mod:`.tables`), feedback (:mod:`.feedback`) and statistics (:mod:`.statistics`).  May
import the content engine (to grade against the key), ``course_lib.notebook``,
``course_lib.charts`` and the settings — never views or widgets.
"""
