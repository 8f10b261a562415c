from wordpress.content import Attachment, Converter, autop

ATTACHMENTS = {
    20: Attachment("https://old.example/wp-content/uploads/a.jpg", "A", "First", "Alt A", 5),
    21: Attachment("https://old.example/wp-content/uploads/b.jpg", "B", "", "", 5),
}


def convert(content: str, **kwargs) -> str:
    return Converter(attachments=ATTACHMENTS, **kwargs).convert(content, post_id=5)[0]


def test_autop_makes_paragraphs_and_line_breaks():
    assert autop("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"


def test_autop_leaves_blocks_and_preformatted_text_alone():
    text = "<h2>Title</h2>\nText\n<pre>a\n\nb</pre>"
    assert autop(text) == "<h2>Title</h2>\n<p>Text</p>\n<pre>a\n\nb</pre>"


def test_gutenberg_block_comments_go_and_their_html_stays_without_autop():
    html = convert("<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->")
    assert html == "<p>One\ntwo</p>"


def test_gutenberg_embed_block_becomes_a_plain_link():
    html = convert(
        '<!-- wp:embed {"url":"https://youtu.be/x"} --><figure><div>\nhttps://youtu.be/x\n'
        "</div></figure><!-- /wp:embed -->"
    )
    assert html == '<p><a href="https://youtu.be/x">https://youtu.be/x</a></p>'


def test_caption_becomes_a_figure():
    html = convert(
        '[caption id="attachment_20" width="300"]<img src="/x.jpg" alt="X" /> Words[/caption]'
    )
    assert html == '<figure><img src="/x.jpg" alt="X" /><figcaption>Words</figcaption></figure>'


def test_gallery_lists_the_attachments_that_exist():
    converter = Converter(attachments=ATTACHMENTS)
    html, notes = converter.convert('[gallery ids="20,99,21"]', post_id=5)
    assert html.count("<li><figure>") == 2
    assert '<img src="https://old.example/wp-content/uploads/a.jpg" alt="Alt A">' in html
    assert "<figcaption>First</figcaption>" in html
    assert notes.missing_attachments == 1


def test_gallery_without_ids_shows_the_posts_own_attachments():
    assert convert("[gallery]").count("<figure>") == 2


def test_oembed_url_alone_on_its_line_and_embed_shortcode_become_links():
    html = convert("Look:\n\nhttps://vimeo.com/1\n\n[embed]https://vimeo.com/2[/embed]")
    assert '<p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p>' in html
    assert '<p><a href="https://vimeo.com/2">https://vimeo.com/2</a></p>' in html
    assert "iframe" not in html


def test_other_shortcodes_are_removed_or_reduced_to_their_text_and_reported():
    converter = Converter(attachments={})
    html, notes = converter.convert('[contact-form id="1"]\n\n[box]Inside[/box]', post_id=1)
    assert html == "<p>Inside</p>"
    assert notes.removed_shortcodes == {"contact-form": 1, "box": 1}


def test_bracketed_words_and_escaped_shortcodes_stay_text():
    assert convert("As reported [sic] and [1], write [[gallery]].") == (
        "<p>As reported [sic] and [1], write [gallery].</p>"
    )


def test_more_and_nextpage_markers():
    assert convert("Teaser\n<!--more-->\nRest\n<!--nextpage-->\nPage two") == (
        "<p>Teaser</p>\n<p>Rest</p>\n<hr>\n<p>Page two</p>"
    )


def test_links_are_rewritten_through_the_given_function():
    html = convert(
        '<a href="https://old.example/?p=1&amp;x=1">x</a> <img src="/y.jpg">',
        rewrite_url=lambda url: "/new/" if "old.example" in url else url,
    )
    assert '<a href="/new/">x</a>' in html and '<img src="/y.jpg">' in html
