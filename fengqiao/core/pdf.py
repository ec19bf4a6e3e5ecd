"""PDF documents rendered from HTML templates (weasyprint), with a Chinese font embedded.

``render_pdf(template_name, context)`` renders a Django template and lays it out as PDF. The
template names its fonts by family; :data:`CJK_FAMILIES` lists the ones fontconfig is asked
for, and the stylesheet this module adds makes them the default. When no CJK font is
installed the PDF still renders (in the fallback font, Chinese as boxes) and a warning is
logged once, so that a missing ``fonts-noto-cjk`` is noticed rather than breaking the page.

weasyprint is imported on first use: it loads Pango and fontconfig, which every process
need not pay for.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from typing import Any

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Families asked for, in order (Debian's fonts-noto-cjk, then other common CJK fonts).
CJK_FAMILIES = (
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
)


@functools.cache
def cjk_family() -> str | None:
    """The first installed CJK font family, or None (asked of fontconfig once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        logger.warning("fc-list not found: cannot tell whether a CJK font is installed")
        return None
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        logger.warning("fc-list failed: cannot tell whether a CJK font is installed")
        return None
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    for family in CJK_FAMILIES:
        if family in families:
            return family
    logger.warning(
        "No CJK font found (install fonts-noto-cjk): Chinese text in PDFs will not render"
    )
    return None


def base_css() -> str:
    family = cjk_family()
    families = ", ".join(f'"{f}"' for f in ((family,) if family else ()) + ("serif",))
    return f"@page {{ size: A4; }} html {{ font-family: {families}; }}"


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF's bytes. Images and
    stylesheets must be inline (data: URIs, <style>): nothing is fetched over the network."""
    import weasyprint  # noqa: PLC0415 - heavy (Pango, fontconfig): loaded with the first PDF

    html = render_to_string(template_name, context or {})
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=base_css())])
