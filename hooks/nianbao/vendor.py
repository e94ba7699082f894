"""Where the plotly.js bundle comes from.

Set-up fetches the smallest official bundle that draws our chart kinds (plotly.js-basic-dist-min, pinned in
``package.json``) with npm into ``node_modules/``; it is not committed. Without npm, the full bundle shipped inside the
plotly Python package is used instead and a warning says so (it is ~4× larger).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BASIC_BUNDLE = Path("node_modules/plotly.js-basic-dist-min/plotly-basic.min.js")
SITE_PATH = "assets/javascripts/plotly.min.js"
# Material's offline plugin loads this shim from a CDN unless a polyfill naming "iframe-worker" is configured
# (mkdocs.yml extra.polyfills); we serve it from the site instead.
IFRAME_WORKER = Path("node_modules/iframe-worker/shim/index.js")
IFRAME_WORKER_SITE_PATH = "assets/javascripts/iframe-worker-shim.js"


def _checkouts(root: Path) -> tuple[Path, ...]:
    # The project's own set-up first, then the nianbao checkout the engine runs from (fixture projects use that one).
    return (Path(root), Path(__file__).resolve().parents[2])


def iframe_worker_shim(root: Path) -> Path | None:
    return next((base / IFRAME_WORKER for base in _checkouts(root) if (base / IFRAME_WORKER).is_file()), None)


def plotly_bundle(root: Path) -> tuple[Path, str | None]:
    """(path of the bundle to serve, warning or None)."""
    for base in _checkouts(root):
        if (base / BASIC_BUNDLE).is_file():
            return base / BASIC_BUNDLE, None
    full = Path(str(resources.files("plotly").joinpath("package_data/plotly.min.js")))
    return full, (
        "没有找到 plotly.js 精简包(node_modules/plotly.js-basic-dist-min),改用 plotly 自带的完整包(约 4.8 MB)。"
        "安装 Node.js 后运行 make setup 可减小页面体积。"
    )
