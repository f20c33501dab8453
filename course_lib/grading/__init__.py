"""Grading a class: the student edition, the batch grader and its reports.

Owns the release of the student edition (:mod:`.release`), finding and identifying
submissions (:mod:`.submissions`, :mod:`.identity`), running each one in isolation
(:mod:`.grader` orchestrates; :mod:`.sandbox` builds the bubblewrap box, :mod:`.pool` keeps
warm :mod:`.zygote` processes that fork one job per submission, :mod:`.jail` drops each job
into its own namespaces as nobody, :mod:`.cellrun` runs the cells; :mod:`.weak` is the
fallback where no sandbox exists), typed results (:mod:`.results`), the SQLite gradebook
(:mod:`.store`) and the reports regenerated from it (:mod:`.reports`): 成绩表
(:mod:`.tables`), feedback (:mod:`.feedback`) and statistics (:mod:`.statistics`); due dates
and the late rule (:mod:`.late`).  For a class on a server: the student edition as a git
repository and nbgitpuller links (:mod:`.edition_git`), the results of several runs read
together (:mod:`.collect`) into the course gradebook for the 教务系统 (:mod:`.coursebook`,
settings in :mod:`.courseconfig`) and the feedback release per student (:mod:`.handback`).  May
import the content engine (to grade against the key), ``course_lib.notebook``,
``course_lib.charts`` and the settings — never views or widgets.
"""
