"""Validate all content files: every bank, exercise file, scenario, practice file, multi-buyer script,
buyer-type kit, the rubric and the greeting rules.

:func:`validate_all` lists errors (the content cannot be used); :func:`content_warnings`
lists things a teacher should fix although the content loads: a scenario whose best
option is always the longest (“pick the longest” wins), a free-text item without gates
or facts, a word list that holds generic words, a 卖点 name the rubric does not know.

>>> validate_all()
[]
>>> content_warnings()
[]
"""
from __future__ import annotations

from ..settings import data_dir, parse_standards
from ..text import fold_reply
from .banks import load_bank, load_exercises
from .buyer_types import load_buyer_kit
from .greeting import rules_from_data as greeting_rules_from_data
from .loading import read_content
from .practice import load_practice, practice_ids
from .reception_script import FOLDER as MULTI
from .reception_script import load_reception, reception_ids
from .reception_script import longest_best as reception_longest_best
from .rubric import ReplySpec
from .rubric_rules import default_rubric
from .scenarios import Scenario, load_scenario, longest_best


def _scenario_ids() -> list[str]:
    return [p.stem for p in sorted((data_dir() / "scenarios").glob("*.*")) if p.suffix in (".yaml", ".dat")]


def validate_all() -> list[str]:
    """A list of problems (Chinese messages), empty when all content is valid."""
    problems: list[str] = []
    checks = [("standards.yaml", lambda: parse_standards(read_content("standards.yaml"))),
              ("rubric.yaml", default_rubric)]
    root = data_dir()
    checks += [(f"questions/{p.name}", lambda u=p.stem: load_bank(u))
               for p in sorted((root / "questions").glob("*.*")) if p.suffix in (".yaml", ".dat")]
    checks += [(f"exercises/{p.name}", lambda u=p.stem: load_exercises(u)) for p in sorted((root / "exercises").glob("*.yaml"))]
    checks += [(f"scenarios/{p.name}", lambda s=p.stem: load_scenario(s))
               for p in sorted((root / "scenarios").glob("*.*")) if p.suffix in (".yaml", ".dat")]
    checks += [(f"practice/{i}.yaml", lambda i=i: load_practice(i)) for i in practice_ids()]
    checks += [(f"buyer_types/{p.name}", lambda u=p.stem: load_buyer_kit(u))
               for p in sorted((root / "buyer_types").glob("*.*")) if p.suffix in (".yaml", ".dat")]
    checks += [(f"{MULTI}/{sid}.yaml", lambda s=sid: load_reception(s)) for sid in reception_ids()]
    if (root / "greeting.yaml").exists():
        checks.append(("greeting.yaml", lambda: greeting_rules_from_data(read_content("greeting.yaml"))))
    for name, load in checks:
        try:
            load()
        except ValueError as error:
            problems.append(f"{name}：{error}")
    return problems


def spec_warnings(spec: ReplySpec, where: str) -> list[str]:
    """What a free-text item's rubric block lacks or holds that weakens the scorer."""
    out, rubric = [], default_rubric()
    if not spec.gates:
        out.append(f"{where}：没有写 gates（顾客的问题），不回答问题的回复也能及格。")
    if spec.facts is None:
        out.append(f"{where}：没有写 facts，回复里的价格、时间、赠品、保障不会被核对。")
    else:
        unknown = [f for f in spec.facts.features if f not in rubric.vocab.features]
        if unknown:
            out.append(f"{where}：facts.features 里的「{'、'.join(unknown)}」不是 rubric.yaml 里 facts.features 的卖点名称，"
                       "不起作用。")
    generic = rubric.lexicon.generic
    for p in spec.gates + spec.required:
        loose = [w for w in p.words if fold_reply(w) in generic]
        if loose:
            out.append(f"{where}：要点「{p.name}」里的「{'、'.join(loose)}」是泛泛之词，单独出现不算答到，可以删掉。")
    return out


def content_warnings() -> list[str]:
    """Warnings (Chinese messages) about content that loads but teaches or scores badly."""
    warnings: list[str] = []
    if validate_all():
        return warnings
    for p in sorted((data_dir() / "exercises").glob("*.yaml")):
        for q in load_exercises(p.stem).questions:
            if q.free_text and q.reply is not None and q.reference:     # the student edition has no key to check
                warnings += spec_warnings(q.reply, f"exercises/{p.name} {q.id}")
    for sid in _scenario_ids():
        warnings += scenario_warnings(load_scenario(sid))
    for pid in practice_ids():
        practice = load_practice(pid)
        for cause, plan in getattr(practice, "causes", {}).items():     # the 中差评 planner's two texts
            warnings += spec_warnings(plan.contact, f"practice/{pid}.yaml {cause} contact")
            warnings += spec_warnings(plan.reply, f"practice/{pid}.yaml {cause} reply")
    for sid in reception_ids():
        script = load_reception(sid)
        longest, turns = reception_longest_best(script)
        if turns and longest * 2 > turns:
            warnings.append(f"{MULTI}/{sid}：一半以上的选项回合里，最佳选项是最长的一条，学生挑最长的就能拿高分。")
        for b in script.buyers:
            for t in b.turns:
                if t.reply is not None:
                    warnings += spec_warnings(t.reply, f"{MULTI}/{sid} {b.nickname}")
    return warnings


def scenario_warnings(scenario: Scenario) -> list[str]:
    """Warnings about one scenario: length bias of its choice turns, weak free-text rubrics."""
    warnings = []
    longest, turns = longest_best(scenario)
    if turns and longest == turns:
        warnings.append(f"scenarios/{scenario.id}：每个选项回合的最佳选项都是最长的一条，学生只要挑最长的就能拿满分。"
                        "请写一些简短却正确的最佳选项，和一些很长却有错的选项。")
    for turn in scenario.turns.values():
        if turn.reply is not None:
            warnings += spec_warnings(turn.reply, f"scenarios/{scenario.id} 回合 {turn.id}")
    return warnings
