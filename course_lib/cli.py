"""Command line: ``python -m course_lib <command>``.

Commands:
  validate            check every question bank, exercise file, scenario and the rubric
  run NOTEBOOK...     execute master notebooks and store clean outputs
  generate-data       regenerate the shop datasets in data/shop/ (same seed → same bytes)
  release --out DIR   build the student edition (folder + zip) from the masters
  release --git DIR   commit the student edition into a git repository (for nbgitpuller)
  link --hub URL --repo URL     the nbgitpuller link that gives students the edition on a JupyterHub
  grade SUBMISSIONS --out DIR   grade a folder of submitted notebooks (--config/--due: late work)
  gradebook RESULTS... --out DIR  the course gradebook for the 教务系统 (weights, 百分制 and 五级制)
  feedback RESULTS... --out DIR   one folder (or zip) of feedback per student, to hand back
  export NOTEBOOK --out DIR     offline HTML handout and reveal.js slides of a unit
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def validate() -> int:
    from .content.validate import content_warnings, validate_all

    problems = validate_all()
    for p in problems:
        print(f"✘ {p}")
    for w in content_warnings():
        print(f"⚠ {w}")
    if not problems:
        print("✔ 所有内容文件都通过了检查。")
    return 1 if problems else 0


def _distribution(args) -> int:
    """The class-on-a-server commands; each module prints its own one-line Chinese errors."""
    if args.command == "gradebook":
        from .grading.coursebook import main as gradebook_main

        return gradebook_main(args.results, args.out, args.config, args.roster, tuple(args.due))
    if args.command == "feedback":
        from .grading.handback import main as feedback_main

        return feedback_main(args.results, args.out, args.roster, args.zip, args.show_answers)
    from .grading.edition_git import main_link, main_release

    if args.command == "link":
        return main_link(args.hub, args.repo, args.branch, args.notebook, args.folder)
    return main_release(args.git, args.message)


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
    rel.add_argument("--git", type=Path, default=None, metavar="仓库文件夹", help="把学生版提交到这个git仓库（供nbgitpuller链接使用）")
    rel.add_argument("--message", default=None, help="提交说明（与 --git 一起用）")
    lnk = sub.add_parser("link", help="生成nbgitpuller链接：学生点开即在JupyterHub上得到（或更新）学生版")
    lnk.add_argument("--hub", required=True, help="JupyterHub的地址，例如 https://jupyter.xxx.edu.cn")
    lnk.add_argument("--repo", required=True, help="学生版仓库的地址（学校git服务器上）")
    lnk.add_argument("--branch", default="main", help="分支（默认 main）")
    lnk.add_argument("--notebook", default="notebooks/00_guide.ipynb", help="打开哪个笔记本（默认课程导览）")
    lnk.add_argument("--folder", default=None, help="学生主目录里的文件夹名（默认仓库名）")
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
    grd.add_argument("--config", type=Path, default=None, help="总评设置YAML：取其中各单元的截止时间和迟交规则")
    grd.add_argument("--due", action="append", default=[], metavar="单元=时间",
                     help="截止时间（北京时间），例如 --due \"u01=2025-03-10 23:59\"，可写多次")
    book = sub.add_parser("gradebook", help="课程总评：合并各单元的评分结果，导出教务系统用的成绩表")
    book.add_argument("results", nargs="+", type=Path, help="grade 命令的结果文件夹（可以写多个）")
    book.add_argument("--out", type=Path, default=Path("总评"), help="输出文件夹（默认 总评）")
    book.add_argument("--config", type=Path, default=None, help="总评设置YAML（默认 data/coursebook.yaml）")
    book.add_argument("--roster", type=Path, default=None, help="班级名单（.csv 或 .xlsx，含“学号”“姓名”，可有“班级”）")
    book.add_argument("--due", action="append", default=[], metavar="单元=时间", help="补充或改写截止时间，可写多次")
    back = sub.add_parser("feedback", help="反馈发放：每个学生一个文件夹（或zip），内含各单元的反馈")
    back.add_argument("results", nargs="+", type=Path, help="grade 命令的结果文件夹（可以写多个）")
    back.add_argument("--out", type=Path, default=Path("反馈发放"), help="输出文件夹（默认 反馈发放）")
    back.add_argument("--roster", type=Path, default=None, help="班级名单（.csv 或 .xlsx）")
    back.add_argument("--zip", action="store_true", help="每个学生打成一个zip")
    back.add_argument("--show-answers", action="store_true", help="附上参考答案（截止日期以后再用）")
    args = parser.parse_args(argv)
    if args.command == "release" and args.message is not None and args.git is None:
        print("✘ --message（提交说明）只能与 --git 一起用。")
        return 2
    if args.command in ("gradebook", "feedback", "link") or (args.command == "release" and args.git):
        return _distribution(args)
    if args.command == "grade":
        from .grading.grader import main as grade_main
        from .grading.identity import RosterError, read_roster

        if not args.submissions.is_dir():
            print(f"找不到作业文件夹：{args.submissions}")
            return 2
        from .grading.courseconfig import ConfigError, deadlines_from

        try:
            roster = read_roster(args.roster) if args.roster else None
            deadlines = deadlines_from(args.config, args.due)
        except (RosterError, ConfigError) as error:
            print(error)
            return 2
        return grade_main(args.submissions, args.out, args.workers, args.regrade, args.cell_timeout, args.timeout,
                          roster=roster, show_answers=args.show_answers, prefer=tuple(args.prefer), deadlines=deadlines)
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
