import pytest

from comments.text import clean_text, count_links, render_plain_text, safe_href


def test_paragraphs_and_line_breaks_are_kept():
    html = render_plain_text("First line\nsecond line\n\nNew paragraph")
    assert html == "<p>First line<br>second line</p><p>New paragraph</p>"


def test_markup_is_escaped():
    html = render_plain_text('<b>bold</b> & "quoted" <script>alert(1)</script>')
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in html


def test_web_addresses_become_nofollow_ugc_links():
    html = render_plain_text("See https://www.gov.uk/report?a=1&b=2. And www.example.org!")
    assert (
        '<a href="https://www.gov.uk/report?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "https://www.gov.uk/report?a=1&amp;b=2</a>." in html
    )
    assert '<a href="https://www.example.org" rel="nofollow ugc noopener">www.example.org</a>!' in (
        html
    )


def test_link_keeps_balanced_brackets_and_drops_a_closing_one():
    html = render_plain_text("(see https://en.wikipedia.org/wiki/Probation_(UK))")
    assert 'href="https://en.wikipedia.org/wiki/Probation_(UK)"' in html
    assert html.endswith("</a>)</p>")


def test_link_stops_at_quotes_and_angle_brackets():
    html = render_plain_text('http://x.example/"onmouseover="alert(1) <http://y.example/>')
    assert 'href="http://x.example/"' in html
    assert 'href="http://y.example/"' in html
    assert "&quot;onmouseover=&quot;alert(1)" in html


def test_only_http_addresses_are_linked():
    html = render_plain_text("javascript:alert(1) data:text/html,hi ftp://example.org")
    assert "<a " not in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/", "https://example.org/"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("javascript:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("data:text/html;base64,PHNjcmlwdD4=", ""),
        ('https://example.org/" onmouseover="x', ""),
        ("", ""),
    ],
)
def test_safe_href_allows_only_http_addresses(url, expected):
    assert safe_href(url) == expected


def test_clean_text_removes_control_and_bidi_characters():
    assert clean_text("Ada\u202e nimda\x07  Reader") == "Ada nimda Reader"
    assert clean_text("a\r\nb\r\rc\n\n\n\nd \t", multiline=True) == "a\nb\n\nc\n\nd"


def test_count_links_counts_addresses_and_pasted_markup():
    assert count_links("one https://a.example two www.b.example") == 2
    assert count_links('<a href="x">x</a> [url=y]y[/url]') == 2
    assert count_links("no links at all") == 0
