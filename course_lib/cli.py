"""Command line: ``python -m course_lib <command>``.

Commands:
  validate            check every question bank, exercise file, scenario, practice file and the rubric
  run NOTEBOOK...     execute master notebooks and store clean outputs
  generate-data       regenerate the shop datasets in data/shop/ (same seed → same bytes)
  release --out DIR   build the student edition (folder + zip) from the masters
  grade SUBMISSIONS --out DIR   grade a folder of submitted notebooks
  export NOTEBOOK --out DIR     offline HTML handout and reveal.js slides of a unit
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def validate() -> int:
    from .content.validate import content_warnings, validate_all
    from .practice.loading import validate_practice

    problems = validate_all() + validate_practice()
    for p in problems:
        print(f"✘ {p}")
    for w in content_warnings():
        print(f"⚠ {w}")
    if not problems:
        print("✔ 所有内容文件都通过了检查。")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export"]:
        from .publish.export import main as export_main

        return export_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m course_lib", description="《电子商务客服管理》课程工具")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="检查题库、练习、情景和评分规则")
    sub.add_parser("export", help="导出离线讲义（HTML）和幻灯片（reveal.js）", add_help=False)
    run = sub.add_parser("run", help="执行母版笔记本并保存输出")
    run.add_argument("notebooks", nargs="+", type=Path)
    gen = sub.add_parser("generate-data", help="重新生成店铺数据集（data/shop/）")
    gen.add_argument("--out", type=Path, default=None, help="输出文件夹（默认 data/shop）")
    gen.add_argument("--seed", type=int, default=None, help="随机种子（默认与课程数据相同）")
    rel = sub.add_parser("release", help="生成学生版（文件夹和zip）")
    rel.add_argument("--out", type=Path, default=Path("release"), help="输出文件夹（默认 release）")
    grd = sub.add_parser("grade", help="批量评分：一个文件夹里的全部作业")
    grd.add_argument("submissions", type=Path, help="作业文件夹（可以有子文件夹和zip）")
    grd.add_argument("--out", type=Path, default=Path("grading"), help="结果文件夹（默认 grading）")
    grd.add_argument("--workers", type=int, default=None, help="同时评分的份数（默认等于CPU核数）")
    grd.add_argument("--regrade", default=None, help="只重新评这个学号的作业")
    grd.add_argument("--cell-timeout", type=int, default=None, help="每个单元格的时间上限（秒，默认见 data/standards.yaml）")
    grd.add_argument("--timeout", type=int, default=None, help="每份作业的时间上限（秒，默认见 data/standards.yaml）")
    grd.add_argument("--roster", type=Path, default=None, help="班级名单（.csv 或 .xlsx，含“学号”“姓名”两列）")
    grd.add_argument("--prefer", action="append", default=[], metavar="文件",
                     help="同一学生交了多份时，指定计分的那一份（作业文件夹里的相对路径，可写多次）")
    grd.add_argument("--show-answers", action="store_true", help="反馈中附上参考答案（截止日期以后再用）")
    args = parser.parse_args(argv)
    if args.command == "grade":
        from .grading.grader import main as grade_main
        from .grading.identity import RosterError, read_roster

        if not args.submissions.is_dir():
            print(f"找不到作业文件夹：{args.submissions}")
            return 2
        try:
            roster = read_roster(args.roster) if args.roster else None
        except RosterError as error:
            print(error)
            return 2
        return grade_main(args.submissions, args.out, args.workers, args.regrade, args.cell_timeout, args.timeout,
                          roster=roster, show_answers=args.show_answers, prefer=tuple(args.prefer))
    if args.command == "release":
        from .grading.release import build

        args.out.mkdir(parents=True, exist_ok=True)
        folder, archive = build(args.out)
        print(f"学生版：{folder.as_posix()}（zip：{archive.name}，{archive.stat().st_size // 1024} KB）")
        return 0
    if args.command == "validate":
        return validate()
    if args.command == "generate-data":
        from .settings import data_dir
        from .shop.generator import SEED, write

        out = args.out or data_dir() / "shop"
        for path in write(out, SEED if args.seed is None else args.seed):
            print(f"写入 {path.name}（{path.stat().st_size // 1024} KB）")
        return 0
    from .notebook.runner import execute

    for path in args.notebooks:
        print(f"运行 {path.as_posix()} …")
        execute(path)
    return 0
