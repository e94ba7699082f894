"""Finding a Chromium to print with: the system browser first (Debian's ``chromium``), else Playwright's own."""

from __future__ import annotations

import os
import shutil
import subprocess

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip

INSTALL_ADVICE = (
    "安装浏览器(任选其一)后重新运行 make site 或 nianbao pdf:\n"
    "  Debian/Ubuntu:sudo apt-get install chromium fonts-wqy-microhei\n"
    "  其他系统:.venv/bin/playwright install chromium(需要联网),并安装一种中文字体,如文泉驿微米黑(WenQuanYi Micro Hei)\n"
    "  或用环境变量 NIANBAO_BROWSER 指定 Chromium/Chrome 程序的路径。"
)


class BrowserMissing(RuntimeError):
    """No browser (or no Chinese font) to print with; the message says how to install one, in Chinese."""


def system_browser() -> str | None:
    explicit = os.environ.get("NIANBAO_BROWSER")
    if explicit:
        return explicit
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch(playwright):
    """A headless Chromium: the system one if installed, else Playwright's download; BrowserMissing if neither."""
    path = system_browser()
    try:
        if path:
            return playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        return playwright.chromium.launch(args=LAUNCH_ARGS)
    except Exception as exc:  # Playwright raises its own Error type for a missing or broken executable
        where = f"浏览器 {path} 无法启动" if path else "没有找到可用的 Chromium 浏览器"
        raise BrowserMissing(f"{where},没有生成 PDF。\n{INSTALL_ADVICE}\n(详细原因:{str(exc).splitlines()[0]})") from exc


def check_cjk_font() -> None:
    """Without a Chinese font Chromium prints boxes (tofu): refuse rather than write such a PDF."""
    if shutil.which("fc-list") is None:  # not a fontconfig system: the browser finds its fonts its own way
        return
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip()
    if not found:
        raise BrowserMissing("没有找到中文字体,PDF 中的汉字会显示为方框,没有生成 PDF。\n"
                             "Debian/Ubuntu:sudo apt-get install fonts-wqy-microhei")  # fmt: skip


def playwright_entry():
    """The sync Playwright entry point, or BrowserMissing when the Python package is not installed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserMissing("没有安装 Python 包 playwright,没有生成 PDF。请运行 make setup 安装锁定的依赖。\n"
                             + INSTALL_ADVICE) from exc  # fmt: skip
    return sync_playwright
