"""The SVG timeline builder on its own: plain Python, no database."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from articles.charts import AMOUNT, QUANTITY, Point, tick_number, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def point(when=date(2024, 3, 1), value="1000000000", **extra) -> Point:
    fields = {"kind": AMOUNT, "label": "1 milliard $ US", "link": "/articles/a/#f-1", **extra}
    return Point(when=when, value=Decimal(value), **fields)


def parsed(svg: str) -> ET.Element:
    # Well-formed XML is what an inline SVG must be; parsing also proves nothing leaked unescaped.
    return ET.fromstring(svg)


def cx_values(svg: str) -> list[float]:
    return [float(c.get("cx")) for c in parsed(svg).iter(f"{SVG}circle") if c.get("r") == "5.5"]


def test_no_points_gives_no_chart():
    assert timeline_svg([], title="Montants", unit="$ US") == ""


def test_one_point_is_an_accessible_linked_chart():
    svg = timeline_svg([point()], title="Montants rapportés", unit="$ US")
    root = parsed(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Montants rapportés ($ US) : 1 chiffre, mars 2024, 1\xa0Md $ US"
    links = list(root.iter(f"{SVG}a"))
    assert [link.get("href") for link in links] == ["/articles/a/#f-1"]
    assert links[0].find(f"{SVG}title").text == "1 milliard $ US"
    # A lone date is widened to months around it so the axis still reads as time.
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert "mars 2024" in ticks and len(ticks) >= 3


def test_hostile_text_and_links_are_escaped_or_dropped():
    hostile = point(label='<script>alert("x")</script> & co', link="javascript:alert(1)")
    other = point(when=date(2024, 6, 1), link='/a/"onmouseover="x')
    svg = timeline_svg([hostile, other], title="<b>Société</b>", unit="$ US")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert "javascript:" not in svg
    assert 'href="/a/&quot;onmouseover=&quot;x"' in svg
    root = parsed(svg)
    assert len(list(root.iter(f"{SVG}a"))) == 1  # the javascript: point is drawn, unlinked


def test_points_of_the_same_date_do_not_hide_each_other():
    same_day = [point(value=v, link=f"/a/#f-{v}") for v in ("1000", "1000", "2000")]
    xs = cx_values(timeline_svg(same_day, title="Montants", unit="$ US"))
    assert len(set(xs)) == 3


def test_later_dates_are_further_right_and_larger_values_higher():
    points = [point(when=date(2023, 1, 1), value="100"), point(when=date(2025, 1, 1), value="300")]
    circles = list(parsed(timeline_svg(points, title="T", unit="u")).iter(f"{SVG}circle"))
    (early, late) = sorted(circles, key=lambda c: float(c.get("cx")))
    assert float(late.get("cy")) < float(early.get("cy"))


def test_a_long_span_gets_yearly_ticks():
    points = [point(when=date(2021, 5, 1)), point(when=date(2025, 2, 1))]
    svg = timeline_svg(points, title="T", unit="$ US")
    ticks = [t.text for t in parsed(svg).iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert ticks == ["2022", "2023", "2024", "2025"]


def test_a_range_is_drawn_from_its_low_to_its_high_value():
    svg = timeline_svg([point(value="100000", value_max="130000", kind=QUANTITY)], title="Q", unit="unités")
    line = next(line for line in parsed(svg).iter(f"{SVG}line") if line.get("stroke-width") == "3")
    assert float(line.get("y2")) < float(line.get("y1"))
    assert "de 100 000 à 130 000 unités" in svg.replace("\xa0", " ")


def test_a_huge_spread_switches_to_a_logarithmic_axis():
    points = [
        point(value="4000", kind=QUANTITY),
        point(when=date(2025, 1, 1), value="2000000", kind=QUANTITY),
    ]
    svg = timeline_svg(points, title="Q", unit="unités")
    assert "unités, échelle logarithmique" in svg
    ticks = [t.text for t in parsed(svg).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["1\xa0000", "10\xa0000", "100\xa0000", "1\xa0M", "10\xa0M"]
    # On a linear axis the small point would sit on the zero line (y = 186); here it stays well above it.
    first = next(c for c in parsed(svg).iter(f"{SVG}circle") if c.get("r") == "5.5")
    assert float(first.get("cy")) < 186 - 20


def test_verified_estimated_and_pending_points_look_different():
    points = [
        point(verified=True, link="/a/#f-1"),
        point(when=date(2024, 5, 1), estimate=True, link="/a/#f-2"),
        point(when=date(2024, 7, 1), link="/a/#f-3"),
    ]
    svg = timeline_svg(points, title="T", unit="$ US")
    assert re.search(r'timeline__point--verified" href="/a/#f-1">.*?fill="#0b5d8c"', svg)
    assert re.search(r'timeline__point--estimate" href="/a/#f-2">.*?stroke-dasharray', svg)
    assert re.search(r'timeline__point--pending" href="/a/#f-3">.*?fill="#ffffff"', svg)


def test_zero_values_still_draw():
    svg = timeline_svg([point(value="0")], title="T", unit="$ US")
    assert len(cx_values(svg)) == 1


def test_tick_numbers_are_french():
    assert tick_number(Decimal("2500000000")) == "2,5\xa0Md"
    assert tick_number(Decimal("278600000")) == "278,6\xa0M"
    assert tick_number(12000) == "12\xa0000"
    assert tick_number(0.25) == "0,25"


def test_charts_module_does_not_import_django():
    code = "import sys, articles.charts; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
