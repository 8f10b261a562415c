import pytest

from blog.sanitise import sanitise_html
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script"),
        ("<p>Hi<script src='https://evil.example/x.js'></script></p>", "evil.example"),
        ('<p onclick="alert(1)">Hi</p>', "onclick"),
        ('<img src="/a.png" alt="" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
        ("<style>body{display:none}</style><p>x</p>", "display:none"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe"),
        ('<form action="/x"><input name="a"></form>', "<input"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
        ("<p>x</p><!-- a comment -->", "comment"),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript"),
    ],
)
def test_dangerous_markup_is_removed(dirty, forbidden):
    assert forbidden.lower() not in sanitise_html(dirty).lower()


@pytest.mark.parametrize(
    "markup",
    [
        "<h2>Heading</h2>",
        "<h3>Smaller</h3>",
        "<p><strong>bold</strong> <em>italic</em> <s>gone</s></p>",
        "<ul><li>One</li><li>Two</li></ul>",
        '<ol start="3"><li>Three</li></ol>',
        '<blockquote cite="https://example.org/">Quoted</blockquote>',
        '<img src="/media/a.webp" alt="A chart" width="800" height="600">',
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        "<p>line<br>break</p>",
        "<hr>",
    ],
)
def test_allowed_markup_is_kept(markup):
    assert sanitise_html(markup) == markup


def test_links_keep_their_address_and_gain_a_safe_rel():
    cleaned = sanitise_html('<a href="https://www.gov.uk/" target="_blank">GOV.UK</a>')

    assert 'href="https://www.gov.uk/"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


@pytest.mark.django_db
def test_the_body_is_sanitised_on_save_whatever_the_editor_sends():
    article = ArticleFactory(
        body='<h2 onmouseover="x()">Findings</h2><script>steal()</script>'
        '<p style="color:red"><a href="javascript:steal()">link</a></p>'
    )

    article.refresh_from_db()
    assert article.body == '<h2>Findings</h2><p><a rel="noopener noreferrer">link</a></p>'
