"""The ipywidgets views: quiz (:mod:`.quiz`, inputs in :mod:`.inputs`), role-play
(:mod:`.roleplay`), the 催付 planner (:mod:`.planner`), the multi-buyer reception simulator
(:mod:`.reception`), the greeting builder (:mod:`.greeting`) and the Voilà practice app
(:mod:`.app`), all on :mod:`.base`.  Views hold no logic of their own: they draw and
call the content engine and the shop world.  The only package that imports ipywidgets.
"""
