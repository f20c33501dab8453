"""The shop world 「禾悦优选」: its data and the platform and service rules the course teaches.

Owns the seeded generator and its fixed facts (:mod:`.generator`, :mod:`.catalogue`,
:mod:`.rows`, :mod:`.agent_sheet`), the datasets (:mod:`.datasets`), platform timeouts and
order states (:mod:`.timeouts`, :mod:`.orders`), unit 04's order-timeline calculator
(:mod:`.timeline`), unit 05's workbench logic (finding an order and reading its history
:mod:`.order_lookup`, seller notes and flags :mod:`.notes`, quick phrases :mod:`.phrases`),
催付 rules, plans and analysis (:mod:`.timetable`, :mod:`.reminders`, :mod:`.reminder_log`),
KPIs (:mod:`.tables`, :mod:`.sales`, :mod:`.chat`; a simulated reception's report
:mod:`.reception_report`), RFM (:mod:`.segments`, :mod:`.rfm`) and the care plans read from
``data/care_plans.yaml`` (:mod:`.care_plans`), bundles, the performance sheet and
the observation record sheet.  May import ``course_lib.settings``, ``course_lib.files`` and
``course_lib.text``; pandas only inside functions — never content, grading or widgets.
"""
