from django.test import override_settings

from fengqiao.cases.qr import qr_png, qr_svg, tracking_url


@override_settings(PUBLIC_BASE_URL="https://fq.example.cn")
def test_tracking_url_points_at_the_portal_page():
    assert tracking_url("42092320261123000017") == (
        "https://fq.example.cn/p/track/42092320261123000017/"
    )


def test_svg_and_png_are_images():
    svg = qr_svg("https://fq.example.cn/p/track/42092320261123000017/")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    png = qr_png("hello")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
