"""Publishing a unit for offline use: the HTML handout and reveal.js slides
(:mod:`.export`) with their vendored assets in ``static/``.  May import
``course_lib.notebook`` and the settings.
"""
