import pytest

from blog.models import Article
from tests.wordpress.conftest import site_xml

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol3;</title></channel></rss>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title></item></channel></rss>
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (site_xml()[:9000], "is not well-formed XML at line"),
        (site_xml()[:9000], "the file ends too soon (truncated?)"),
        (site_xml().replace("</wp:post_name>", "</wp:post_nam>", 1), "mismatched tag"),
        (site_xml().replace(">1.2</wp:wxr_version>", ">9.0</wp:wxr_version>"),
         "unknown WXR version '9.0'"),
        (BILLION_LAUGHS, "declares a DTD or entities"),
        (XXE, "declares a DTD or entities"),
        ("<html><body>Hi</body></html>", "not an RSS file"),
        ("<rss><channel><title>Feed</title><item><title>x</title></item></channel></rss>",
         "has no <wp:wxr_version>"),
        ("", "the file ends too soon"),
    ],
    ids=["truncated", "truncated-reason", "malformed", "version", "entity-expansion", "xxe",
         "not-rss", "not-wxr", "empty"],
)  # fmt: skip
def test_a_file_that_cannot_be_imported_stops_with_one_line_before_writing(
    run_import, export_file, text, expected
):
    message = run_import(export_file(text), fails=True)

    assert expected in message
    assert "Traceback" not in message
    assert not Article.objects.exists()


def test_a_missing_file_is_one_line(run_import, tmp_path):
    assert "cannot read" in run_import(tmp_path / "nope.xml", fails=True)


def test_scripts_and_event_handlers_are_sanitised_and_reported(run_import):
    output = run_import()

    body = Article.objects.get(slug="summer-inspections").body
    assert "<script" not in body and "onclick" not in body and "javascript:" not in body
    assert "alert(" not in body
    assert "scripts, frames or event handlers removed (sanitised)" in output


def test_a_failure_while_writing_rolls_everything_back(run_import, monkeypatch):
    from wordpress.services import ImportFailed
    from wordpress.services.run import Importer

    def explode(self):
        raise ImportFailed("the disk is on fire")

    monkeypatch.setattr(Importer, "import_redirects", explode)

    message = run_import(fails=True)

    assert "the disk is on fire" in message
    assert not Article.objects.exists()


def test_an_unknown_time_zone_is_one_line(run_import):
    assert "unknown time zone" in run_import("site.xml", "--time-zone", "Mars/Olympus", fails=True)


def _with_post_copied(text: str, new_id: str) -> str:
    """The export with the "guest" post (ID 18) given again under `new_id`, same slug."""
    start = text.rindex("<item>", 0, text.index("<wp:post_name><![CDATA[guest]]>"))
    end = text.index("</item>", start) + len("</item>")
    copy = text[start:end].replace("<wp:post_id>18<", f"<wp:post_id>{new_id}<")
    return text[:end] + "\n" + copy + text[end:]


def test_two_posts_with_one_slug_in_the_export_both_come_over(run_import, export_file):
    output = run_import(export_file(_with_post_copied(site_xml(), "918")))

    slugs = Article.objects.filter(slug__startswith="guest").values_list("slug", flat=True)
    assert set(slugs) == {"guest", "guest-2"}
    assert "the slug 'guest' is taken; imported as 'guest-2'" in output


def test_a_wordpress_id_given_twice_imports_it_once_and_says_so(run_import, export_file):
    output = run_import(export_file(_with_post_copied(site_xml(), "18")))

    assert Article.objects.filter(slug__startswith="guest").count() == 1
    assert "the same WordPress ID twice in the export" in output
