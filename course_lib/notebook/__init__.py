"""Notebook files: the transformations every command applies to a notebook (:mod:`.cells`)
and the one notebook runner (:mod:`.runner`).

Owns: reading a cell's source, dropping teacher and solution cells, resetting answer cells,
clearing and cleaning outputs, restoring a master's locked cells into a submission, and
executing a notebook with a throw-away progress file.  May import: ``course_lib.settings``,
nbformat and nbclient (inside functions).  Used by grading, publish and the ``run`` command.
"""
