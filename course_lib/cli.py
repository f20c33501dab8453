"""Command line: ``python -m course_lib <command>``.

Commands:
  lab                 open the course in JupyterLab (简体中文, rooted at the course folder, the guide open)
  validate            check every question bank, exercise file, scenario, practice file, the rubric and the care plans
  run NOTEBOOK...     execute master notebooks and store clean outputs
  generate-data       regenerate the shop datasets in data/shop/ (same seed → same bytes)
  release --out DIR   build the student edition (folder + zip) from the masters
  release --git DIR   commit the student edition into a git repository (for nbgitpuller)
  link --hub URL --repo URL     the nbgitpuller link that gives students the edition on a JupyterHub
  grade SUBMISSIONS --out DIR   grade a folder of submitted notebooks (--config/--due: late work)
  gradebook RESULTS... --out DIR  the course gradebook for the 教务系统 (weights, 百分制 and 五级制)
  feedback RESULTS... --out DIR   one folder (or zip) of feedback per student, to hand back
  review RESULTS      the review desk in a browser: read the replies, override a score, add a comment
  export NOTEBOOK --out DIR     offline HTML handout and reveal.js slides of a unit

Every mistake (a missing file, a folder without notebooks, a read-only output folder, a
bad option value) is one Chinese line on stderr and a non-zero exit code, never a
traceback; ``COURSE_DEBUG=1`` shows the traceback of an unexpected error.
"""
from __future__ import annotations

import errno
import os
import sys
import zipfile
from pathlib import Path

from .console import ChineseParser, needs_utf8_restart, restart_command, safe_console, whole_number


class CommandError(Exception):
    """A mistake the user can fix: the message is shown as it is, the exit code is ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> ChineseParser:
    parser = ChineseParser(prog="python -m course_lib", description="《电子商务客服管理》课程工具")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令",
                                help="每个命令的详细用法：python -m course_lib 命令 --help")
    lab = sub.add_parser("lab", help="在JupyterLab中打开课程（从课程导览开始）",
                         description="在JupyterLab中打开课程：界面为简体中文（可在“设置→语言”中改回English），"
                                     "文件浏览器显示整个课程文件夹（notebooks、data、apps），并打开课程导览。"
                                     "其余参数原样交给JupyterLab，例如 --no-browser、--port=8889、--allow-root。")
    lab.add_argument("--notebook", type=Path, default=None, metavar="笔记本",
                     help="打开哪个笔记本（默认 notebooks/00_guide.ipynb）")
    sub.add_parser("validate", help="检查题库、练习、情景、评分规则和关怀计划", description="检查题库、练习、情景、评分规则和关怀计划")
    run = sub.add_parser("run", help="执行母版笔记本并保存输出", description="从头运行母版笔记本（学生模式），保存可复现的输出")
    run.add_argument("notebooks", nargs="+", type=Path, metavar="笔记本",
                     help="要运行的母版笔记本，可以写几个，例如 notebooks/01_intro.ipynb")
    gen = sub.add_parser("generate-data", help="重新生成店铺数据集（data/shop/）",
                         description="重新生成店铺数据集（同一种子结果逐字节相同）")
    gen.add_argument("--out", type=Path, default=None, metavar="文件夹", help="输出文件夹（默认 data/shop）")
    gen.add_argument("--seed", type=whole_number(0), default=None, metavar="种子", help="随机种子（默认与课程数据相同）")
    rel = sub.add_parser("release", help="生成学生版（文件夹和zip）", description="生成学生版（文件夹和zip）")
    rel.add_argument("--out", type=Path, default=Path("release"), metavar="文件夹", help="输出文件夹（默认 release）")
    rel.add_argument("--git", type=Path, default=None, metavar="仓库文件夹",
                     help="把学生版提交到这个git仓库（推送到学校的git服务器，供nbgitpuller链接使用）")
    rel.add_argument("--message", default=None, metavar="说明", help="提交说明（与 --git 一起用）")
    lnk = sub.add_parser("link", help="生成nbgitpuller链接：学生点开即在JupyterHub上得到（或更新）学生版",
                         description="生成nbgitpuller链接：学生点开即在JupyterHub上得到（或更新）学生版，自己的修改会保留")
    lnk.add_argument("--hub", required=True, metavar="地址", help="JupyterHub的地址，例如 https://jupyter.xxx.edu.cn")
    lnk.add_argument("--repo", required=True, metavar="地址", help="学生版仓库的地址（学校git服务器上）")
    lnk.add_argument("--branch", default="main", metavar="分支", help="分支（默认 main）")
    lnk.add_argument("--notebook", default="notebooks/00_guide.ipynb", metavar="笔记本", help="打开哪个笔记本（默认课程导览）")
    lnk.add_argument("--folder", default=None, metavar="文件夹", help="学生主目录里的文件夹名（默认仓库名）")
    grd = sub.add_parser("grade", help="批量评分：一个文件夹里的全部作业", description="批量评分：一个文件夹里的全部作业")
    grd.add_argument("submissions", type=Path, metavar="作业文件夹", help="放作业的文件夹（可以有子文件夹和zip）")
    grd.add_argument("--out", type=Path, default=Path("grading"), metavar="文件夹", help="结果文件夹（默认 grading）")
    grd.add_argument("--workers", type=whole_number(1), default=None, metavar="份数", help="同时评分的份数（默认等于CPU核数）")
    grd.add_argument("--regrade", default=None, metavar="学号", help="只重新评这个学号的作业")
    grd.add_argument("--cell-timeout", type=whole_number(1), default=None, metavar="秒",
                     help="每个单元格的时间上限（秒，默认见 data/standards.yaml）")
    grd.add_argument("--timeout", type=whole_number(1), default=None, metavar="秒",
                     help="每份作业的时间上限（秒，默认见 data/standards.yaml）")
    grd.add_argument("--roster", type=Path, default=None, metavar="名单",
                     help="班级名单（.csv 或 .xlsx，含“学号”“姓名”两列）")
    grd.add_argument("--prefer", action="append", default=[], metavar="文件",
                     help="同一学生交了多份时，指定计分的那一份（作业文件夹里的相对路径，可写多次）")
    grd.add_argument("--show-answers", action="store_true", help="反馈中附上参考答案（截止日期以后再用）")
    grd.add_argument("--config", type=Path, default=None, metavar="设置", help="总评设置YAML：取其中各单元的截止时间和迟交规则")
    grd.add_argument("--due", action="append", default=[], metavar="单元=时间",
                     help="截止时间（北京时间），例如 --due \"u01=2025-03-10 23:59\"，可写多次")
    book = sub.add_parser("gradebook", help="课程总评：合并各单元的评分结果，导出教务系统用的成绩表",
                          description="课程总评：合并各单元的评分结果，按权重算出百分制和五级制，每个班级一张成绩表")
    book.add_argument("results", nargs="+", type=Path, metavar="评分结果", help="grade 命令的结果文件夹（可以写多个）")
    book.add_argument("--out", type=Path, default=Path("总评"), metavar="文件夹", help="输出文件夹（默认 总评）")
    book.add_argument("--config", type=Path, default=None, metavar="设置", help="总评设置YAML（默认 data/coursebook.yaml）")
    book.add_argument("--roster", type=Path, default=None, metavar="名单",
                      help="班级名单（.csv 或 .xlsx，含“学号”“姓名”，可有“班级”）")
    book.add_argument("--due", action="append", default=[], metavar="单元=时间", help="补充或改写截止时间，可写多次")
    back = sub.add_parser("feedback", help="反馈发放：每个学生一个文件夹（或zip），内含各单元的反馈",
                          description="反馈发放：每个学生一个文件夹（或zip），内含各单元的反馈，可通过教学平台发回")
    back.add_argument("results", nargs="+", type=Path, metavar="评分结果", help="grade 命令的结果文件夹（可以写多个）")
    back.add_argument("--out", type=Path, default=Path("反馈发放"), metavar="文件夹", help="输出文件夹（默认 反馈发放）")
    back.add_argument("--roster", type=Path, default=None, metavar="名单", help="班级名单（.csv 或 .xlsx）")
    back.add_argument("--zip", action="store_true", help="每个学生打成一个zip")
    back.add_argument("--show-answers", action="store_true", help="附上参考答案（截止日期以后再用）")
    rev = sub.add_parser("review", help="教师复核台：逐份查看简答回复，改分并写意见",
                         description="教师复核台：在浏览器里逐份查看一道简答练习的全部回复和自动评分，"
                                     "可以改分、写意见；成绩表、反馈和统计随即更新，重新评分也会保留")
    rev.add_argument("results", type=Path, metavar="评分结果", help="grade 命令的结果文件夹")
    rev.add_argument("--port", type=whole_number(1), default=8765, metavar="端口", help="网页端口（默认8765，被占用时自动换一个）")
    rev.add_argument("--no-browser", action="store_true", help="不自动打开浏览器（自己打开显示的地址）")
    exp = sub.add_parser("export", help="导出离线讲义（HTML）和幻灯片（reveal.js）",
                         description="把一个单元导出为离线讲义（HTML）和幻灯片（reveal.js）")
    exp.add_argument("notebook", type=Path, metavar="笔记本", help="母版笔记本，例如 notebooks/01_intro.ipynb")
    exp.add_argument("--out", type=Path, default=Path("exports"), metavar="文件夹", help="输出文件夹（默认 exports）")
    exp.add_argument("--timeout", type=whole_number(1), default=120, metavar="秒", help="每个单元格的时间上限（秒，默认120）")
    exp.add_argument("--teacher", action="store_true", help="导出教师版（保留教师提示和参考答案）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0 on success)."""
    safe_console()
    if argv is None and needs_utf8_restart():
        # Python cannot name a Chinese file here (a C locale with UTF-8 mode off, only on Linux and
        # macOS): become the same command in UTF-8 mode (same process, so signals reach it)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, restart_command(sys.argv[1:]))
    parser = build_parser()
    args, extra = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if extra and args.command != "lab":             # only JupyterLab takes options we don't know
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return COMMANDS[args.command](args, *([extra] if args.command == "lab" else []))
    except CommandError as error:
        print(one_line(str(error)), file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except OSError as error:
        print(file_problem(error), file=sys.stderr)
        return 1
    except Exception as error:                      # never a traceback for the teacher
        if os.environ.get("COURSE_DEBUG") == "1":
            raise
        print(one_line(f"出错了：{type(error).__name__}：{error}（设置 COURSE_DEBUG=1 可看到详细信息）"), file=sys.stderr)
        return 1


def one_line(text: str) -> str:
    return " ".join(text.split())


def file_problem(error: OSError) -> str:
    """One Chinese line for a failed file operation.

    >>> file_problem(PermissionError(errno.EACCES, "Permission denied", "/srv/考试数据"))
    '没有权限写入或读取：/srv/考试数据（请换一个文件夹，或检查文件夹的权限）'
    >>> file_problem(OSError(errno.ENOSPC, "No space left on device"))
    '磁盘空间不足，没有写完：（未知文件）'
    """
    if error.filename is None and error.errno is None:
        return str(error)                           # our own message, e.g. FileNotFoundError("缺少…")
    where = Path(os.fsdecode(error.filename)).as_posix() if error.filename is not None else "（未知文件）"
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return f"没有权限写入或读取：{where}（请换一个文件夹，或检查文件夹的权限）"
    if isinstance(error, FileNotFoundError):
        return f"找不到：{where}"
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return f"路径上有一个同名的文件，不能当作文件夹使用：{where}"
    if error.errno == errno.ENOSPC:
        return f"磁盘空间不足，没有写完：{where}"
    return f"文件操作失败（错误号{error.errno}）：{where}"


def existing_notebook(path: Path) -> Path:
    if not path.exists():
        raise CommandError(f"找不到笔记本：{path.as_posix()}（请检查文件名，例如 notebooks/01_intro.ipynb）")
    if not path.is_file() or path.suffix.lower() != ".ipynb":
        raise CommandError(f"不是笔记本文件（.ipynb）：{path.as_posix()}")
    return path


def submissions_folder(path: Path) -> Path:
    """The folder ``grade`` reads: it must exist, be a folder, and hold at least one notebook."""
    if not path.exists():
        raise CommandError(f"找不到作业文件夹：{path.as_posix()}")
    if not path.is_dir():
        raise CommandError(f"「{path.as_posix()}」是一个文件（{path.suffix or '没有扩展名'}），不是文件夹："
                           "请把收上来的作业（.ipynb 或 .zip）放进一个文件夹，再给出这个文件夹。")
    if not any(_holds_notebooks(p) for p in path.rglob("*") if p.is_file()):
        raise CommandError(f"作业文件夹里没有作业：{path.as_posix()}（没有找到 .ipynb 文件，zip 里也没有）")
    return path


def _holds_notebooks(path: Path) -> bool:
    if path.suffix.lower() == ".ipynb":
        return True
    if path.suffix.lower() != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.lower().endswith(".ipynb") for name in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return True                                 # the grader rejects it with a reason


def lab(args, extra: list[str]) -> int:
    """JupyterLab rooted at the course folder, with the course's settings (简体中文, no news popup)
    as JupyterLab's defaults: ``course_lib/lab_settings/overrides.json``, which a teacher's own
    settings (设置→语言) still override."""
    from jupyterlab.labapp import LabApp

    from .settings import repo_dir

    root = repo_dir()
    notebook = existing_notebook(args.notebook or root / "notebooks" / "00_guide.ipynb").resolve()
    if not notebook.is_relative_to(root):
        raise CommandError(f"只能打开课程文件夹里的笔记本：{notebook.as_posix()}")
    # every kernel explains 「check 还没有定义」 in Chinese before the first cell has run (course_lib.kernel_start)
    os.environ.setdefault("PYTHONSTARTUP", str(root / "course_lib" / "lab_settings" / "kernel_startup.py"))
    LabApp.launch_instance([f"--ServerApp.root_dir={root}",
                            f"--LabApp.app_settings_dir={root / 'course_lib' / 'lab_settings'}", *extra, str(notebook)])
    return 0


def validate(args) -> int:
    from .content.validate import content_warnings, validate_all
    from .practice.loading import validate_practice
    from .shop.care_plans import validate_care_plans

    problems = validate_all() + validate_practice() + validate_care_plans()
    for p in problems:
        print(f"✘ {p}")
    for w in content_warnings():
        print(f"⚠ {w}")
    if not problems:
        print("✔ 所有内容文件都通过了检查。")
    return 1 if problems else 0


def run(args) -> int:
    from nbclient.exceptions import CellExecutionError

    from .notebook.runner import execute

    for path in [existing_notebook(p) for p in args.notebooks]:
        print(f"运行 {path.as_posix()} …")
        try:
            execute(path)
        except CellExecutionError as error:
            raise CommandError(f"运行 {path.as_posix()} 时有单元格出错（{error.ename}：{error.evalue}），没有保存输出。"
                               "请在JupyterLab里修好这个单元格再运行。", 1) from None
    return 0


def generate_data(args) -> int:
    from .settings import data_dir
    from .shop.generator import SEED, write

    out = args.out or data_dir() / "shop"
    for path in write(out, SEED if args.seed is None else args.seed):
        print(f"写入 {path.name}（{path.stat().st_size // 1024} KB）")
    return 0


def release(args) -> int:
    if args.git is not None:
        from .grading.edition_git import publish, summary

        print(summary(_own_mistakes(publish, args.git, message=args.message)))
        return 0
    if args.message is not None:
        raise CommandError("--message（提交说明）只能与 --git 一起用。")
    from .grading.release import build

    args.out.mkdir(parents=True, exist_ok=True)
    folder, archive = build(args.out)
    print(f"学生版：{folder.as_posix()}（zip：{archive.name}，{archive.stat().st_size // 1024} KB）")
    return 0


def grade(args) -> int:
    from .grading.courseconfig import deadlines_from
    from .grading.grader import main as grade_main
    from .grading.identity import read_roster

    folder = submissions_folder(args.submissions)
    roster = _own_mistakes(read_roster, args.roster) if args.roster else None
    deadlines = _own_mistakes(deadlines_from, args.config, args.due)
    return grade_main(folder, args.out, args.workers, args.regrade, args.cell_timeout, args.timeout,
                      roster=roster, show_answers=args.show_answers, prefer=tuple(args.prefer), deadlines=deadlines)


def gradebook(args) -> int:
    from .grading.coursebook import make

    print(_own_mistakes(make, args.results, args.out, args.config, args.roster, tuple(args.due)))
    return 0


def feedback(args) -> int:
    from .grading.handback import hand_back

    print(_own_mistakes(hand_back, args.results, args.out, args.roster, args.zip, args.show_answers))
    return 0


def review(args) -> int:
    from .grading.review_server import serve

    _own_mistakes(serve, args.results, args.port, not args.no_browser)
    return 0


def link(args) -> int:
    from .grading.edition_git import pull_link

    print(_own_mistakes(pull_link, args.hub, args.repo, args.branch, args.notebook, args.folder))
    return 0


def _own_mistakes(function, *args, **kwargs):
    """``function(*args, **kwargs)``; a mistake the grading modules explain in Chinese (a settings file,
    a roster, a results folder, a due date, a repository) becomes a :class:`CommandError`."""
    from .grading.collect import CollectError
    from .grading.courseconfig import ConfigError
    from .grading.edition_git import EditionGitError
    from .grading.handback import HandbackError
    from .grading.identity import RosterError
    from .grading.late import LateError
    from .grading.review import ReviewError

    try:
        return function(*args, **kwargs)
    except (CollectError, ConfigError, EditionGitError, HandbackError, RosterError, LateError,
            ReviewError) as error:
        raise CommandError(str(error)) from None


def export(args) -> int:
    from nbclient.exceptions import CellExecutionError

    from .publish.export import export_unit

    notebook = existing_notebook(args.notebook)
    try:
        handout, slides = export_unit(notebook, args.out, timeout=args.timeout,
                                      edition="teacher" if args.teacher else "student")
    except CellExecutionError as error:
        raise CommandError(f"运行笔记本时有单元格出错（{error.ename}：{error.evalue}），没有导出。"
                           "请先在JupyterLab里从头运行一遍并修好出错的单元格。", 1) from None
    except RuntimeError as error:                  # a page would still load something from the internet
        raise CommandError(f"导出失败：{error}", 1) from None
    print(f"讲义：{handout.as_posix()}\n幻灯片：{slides.as_posix()}\n"
          f"两个文件和 assets 文件夹要放在一起（例如整体复制到U盘），断网也能打开。")
    return 0


COMMANDS = {"lab": lab, "validate": validate, "run": run, "generate-data": generate_data, "release": release,
            "grade": grade, "export": export, "link": link, "gradebook": gradebook, "feedback": feedback,
            "review": review}
