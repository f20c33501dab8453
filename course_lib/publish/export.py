"""Offline exports of a unit: an HTML handout and reveal.js slides.

``python -m course_lib export notebooks/01_intro.ipynb --out exports`` runs a copy of
the master notebook (widget state kept), then writes::

    exports/01_intro.html          the handout (the student edition: no teacher notes or answers;
                                   ``--teacher`` keeps everything)
    exports/01_intro.slides.html   the slides (cells' ``slideshow.slide_type``)
    exports/assets/                reveal.js, the widget renderer and their fonts

Every script and stylesheet is loaded from ``assets/``, which is copied from
``course_lib/static/export/`` (fetched once from npm by ``tools/fetch_export_assets.sh``
and committed), so the pages open from a USB stick with the network cable pulled:
the quizzes and the role-play show as they were when the notebook ran, Chinese uses
the system fonts. Not supported offline: MathJax (the course writes formulas as
text) and Mermaid diagrams.

>>> remote_references('<script src="https://cdn.example.org/x.js"></script><a href="https://baike.baidu.com">百科</a>')
['https://cdn.example.org/x.js']
>>> remote_references('<link rel="stylesheet" href="assets/reveal.js/dist/reveal.css">')
[]
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..notebook.cells import drop_solution_cells, student_notebook
from ..notebook.runner import run_notebook

ASSETS = Path(__file__).resolve().parent / "static" / "export"
WIDGET_RENDERER = "assets/widgets/embed.js"
REVEAL_PREFIX = "assets/reveal.js"

# System fonts only, Chinese ones named so that Windows picks 微软雅黑 rather than 宋体
# and Linux/macOS the simplified-Chinese cut of Noto/Source Han or 苹方.
FONT_STACK = ('system-ui, -apple-system, "Segoe UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", '
              '"Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif')
# Also: keep "ThinkPad" as written in slide headings (reveal's theme uppercases them), and
# let a long quiz option wrap onto a second line, indented after its radio button, instead
# of overlapping the next option (ipywidgets gives each option one line of fixed height).
PAGE_CSS = f"""<style type="text/css">
html:root {{
  --jp-ui-font-family: {FONT_STACK};
  --jp-content-font-family: {FONT_STACK};
  --r-main-font: {FONT_STACK};
  --r-heading-font: {FONT_STACK};
  --r-heading-text-transform: none;
}}
body .widget-radio-box label {{
  display: flex;
  flex-direction: row-reverse;
  justify-content: flex-end;
  align-items: flex-start;
  height: auto;
  min-height: var(--jp-widgets-radio-item-height);
  line-height: 1.4;
}}
body .widget-radio-box label input {{
  float: none;
  flex: none;
  font-size: inherit;
  height: 1.4em;          /* one line tall: the circle sits in the middle of the first line */
  margin-top: 0;
  margin-bottom: 0;
}}
</style>"""

# nbconvert's own templates with the CDN parts taken out: no MathJax, no Mermaid, no
# require.js or jQuery (the widget renderer is the standalone embed.js; reveal.js is a
# plain script), and a slide footer that neither calls MathJax nor needs jQuery.
HANDOUT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}""" + PAGE_CSS + """{%- endblock html_head_css -%}
"""

SLIDES_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}""" + PAGE_CSS + """{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
(function () {
  var scroll = {{ resources.reveal.scroll | default(false, true) | json_dumps }};
  // A slide taller than the screen scrolls instead of being cut off (as nbconvert does with jQuery).
  function setScrollingSlide() {
    if (!scroll) { return; }
    var h = document.querySelector('.reveal').offsetHeight * 0.95;
    document.querySelectorAll('section.present section').forEach(function (s) {
      if (s.offsetHeight > h) {
        s.style.height = 'calc(95vh)';
        s.style.overflowY = 'scroll';
        s.style.marginTop = '20px';
      }
    });
  }
  Reveal.initialize({
    controls: true,
    progress: true,
    history: true,
    transition: "{{ resources.reveal.transition | default('slide', true) }}",
    slideNumber: "{{ resources.reveal.number | default('', true) }}",
    plugins: [RevealNotes],
    width: {{ resources.reveal.width | default('960', true) }},
    height: {{ resources.reveal.height | default('700', true) }}
  });
  Reveal.on('ready', setScrollingSlide);
  Reveal.on('slidechanged', setScrollingSlide);
}());
</script>
{% endblock footer_js %}
"""

_LOADING_TAG = re.compile(r"<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*>", re.I)
_URL_ATTR = re.compile(r"""\b(?:src|href|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.I)
_CSS_URL = re.compile(r"""(?:@import\s+|url\(\s*)["']?((?:https?:)?//[^"')\s]+)""", re.I)
_JS_IMPORT = re.compile(r"""\bimport\s*\(?\s*["']((?:https?:)?//[^"']+)""")


def remote_references(html: str) -> list[str]:
    """URLs outside the machine that a browser would load on opening ``html``.

    Looks at script, link, img, iframe… tags, CSS ``url()``/``@import`` and JS ``import``.
    Ordinary links (``<a href>``) are not loaded and are not reported.
    """
    found = [m.group(1) for tag in _LOADING_TAG.findall(html) for m in _URL_ATTR.finditer(tag)]
    found += _CSS_URL.findall(html) + _JS_IMPORT.findall(html)
    return list(dict.fromkeys(found))


def local_references(html: str) -> list[str]:
    """Relative paths that the page's script/link/img tags load (e.g. ``assets/...``).

    >>> local_references('<script src="assets/widgets/embed.js"></script><img src="data:image/png;base64,AA">')
    ['assets/widgets/embed.js']
    """
    attr = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"'\s>]+)""", re.I)
    found = [m.group(1) for tag in _LOADING_TAG.findall(html) for m in attr.finditer(tag)]
    return list(dict.fromkeys(u for u in found if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", u, re.I)))


def unit_title(nb) -> str | None:
    """The text of the notebook's first ``# `` heading, used as the page title.

    >>> import nbformat
    >>> unit_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 第01单元　初识电商客服\\n正文")]))
    '第01单元　初识电商客服'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def prepare(nb, edition: str = "student"):
    """The notebook to export: the student edition (default) or the teacher version (no solution cells)."""
    import nbformat

    nb = drop_solution_cells(nb)
    return nbformat.from_dict(nb if edition == "teacher" else student_notebook(nb))


def execute(notebook: Path, timeout: int = 120, edition: str = "student"):
    """Run a copy of ``notebook`` in its folder, keeping the widget state; return the notebook.

    The file on disk is not changed; the kernel runs in student mode, as in class.
    """
    import nbformat

    nb = prepare(nbformat.read(notebook, as_version=4), edition)
    return run_notebook(nb, notebook.resolve().parent, timeout=timeout, store_widget_state=True)


def _exporters():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter, SlidesExporter

    common = dict(language_code="zh", embed_images=True, widget_renderer_url=WIDGET_RENDERER,
                  jupyter_widgets_base_url="assets/", require_js_url="", jquery_url="", mathjax_url="",
                  mermaid_js_url="", mermaid_layout_elk_js_url="")
    handout = HTMLExporter(template_name="lab", template_file="course_handout.html.j2",
                           extra_loaders=[DictLoader({"course_handout.html.j2": HANDOUT_TEMPLATE})], **common)
    slides = SlidesExporter(template_name="reveal", template_file="course_slides.html.j2",
                            extra_loaders=[DictLoader({"course_slides.html.j2": SLIDES_TEMPLATE})],
                            reveal_url_prefix=REVEAL_PREFIX, reveal_theme="white", reveal_scroll=True,
                            font_awesome_url="", **common)
    return handout, slides


def export_unit(notebook: Path, out: Path, timeout: int = 120, edition: str = "student") -> list[Path]:
    """Write ``out/<stem>.html``, ``out/<stem>.slides.html`` and ``out/assets/``; return the two pages.

    Raises ``RuntimeError`` if a page would still load something from the internet.
    """
    notebook, out = Path(notebook), Path(out)
    if not (ASSETS / "widgets" / "embed.js").is_file():
        raise FileNotFoundError(f"缺少离线导出所需的文件：{ASSETS}（请运行 tools/fetch_export_assets.sh）")
    nb = execute(notebook, timeout=timeout, edition=edition)
    nb.metadata.setdefault("title", unit_title(nb) or notebook.stem)
    resources = {"metadata": {"name": notebook.stem, "path": str(notebook.resolve().parent)}}
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, out / "assets", dirs_exist_ok=True)
    written = []
    for exporter, suffix in zip(_exporters(), (".html", ".slides.html")):
        body, _ = exporter.from_notebook_node(nb, resources=dict(resources))
        remote = remote_references(body)
        if remote:
            raise RuntimeError("导出的页面仍会从网络加载：" + "、".join(remote))
        target = out / f"{notebook.stem}{suffix}"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written
