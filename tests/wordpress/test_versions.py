"""Exports from older WordPress: WXR 1.0 (WordPress 3.0: no author list, tags called "tag",
a bare <category> beside each named one) and WXR 1.1 (WordPress 3.1 to 3.4)."""

import pytest
from django.contrib.auth import get_user_model

from blog.models import Article, Category
from comments.models import Comment

pytestmark = pytest.mark.django_db

WXR_1_0 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.0/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.0/">
<channel>
	<title>Old Probation Blog</title>
	<link>http://old10.example</link>
	<wp:wxr_version>1.0</wp:wxr_version>
	<wp:base_site_url>http://old10.example</wp:base_site_url>
	<wp:base_blog_url>http://old10.example</wp:base_blog_url>
	<wp:category><wp:category_nicename>reports</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Reports]]></wp:cat_name></wp:category>
	<wp:tag><wp:tag_slug>prisons</wp:tag_slug><wp:tag_name><![CDATA[Prisons]]></wp:tag_name></wp:tag>
	<item>
		<title>An old report</title>
		<link>http://old10.example/2010/03/an-old-report/</link>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<category><![CDATA[Reports]]></category>
		<category domain="category" nicename="reports"><![CDATA[Reports]]></category>
		<category domain="tag"><![CDATA[Prisons]]></category>
		<category domain="tag" nicename="prisons"><![CDATA[Prisons]]></category>
		<guid isPermaLink="false">http://old10.example/?p=7</guid>
		<content:encoded><![CDATA[First paragraph.

Second paragraph.]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>7</wp:post_id>
		<wp:post_date>2010-03-02 10:00:00</wp:post_date>
		<wp:post_date_gmt>2010-03-02 10:00:00</wp:post_date_gmt>
		<wp:comment_status>open</wp:comment_status>
		<wp:post_name>an-old-report</wp:post_name>
		<wp:status>publish</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>post</wp:post_type>
		<wp:post_password></wp:post_password>
		<wp:comment>
			<wp:comment_id>3</wp:comment_id>
			<wp:comment_author><![CDATA[Reader]]></wp:comment_author>
			<wp:comment_author_email>reader@example.org</wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP>192.0.2.9</wp:comment_author_IP>
			<wp:comment_date>2010-03-02 12:00:00</wp:comment_date>
			<wp:comment_date_gmt>2010-03-02 12:00:00</wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Thanks.]]></wp:comment_content>
			<wp:comment_approved>1</wp:comment_approved>
			<wp:comment_type></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
	</item>
</channel>
</rss>
"""

WXR_1_1 = (
    WXR_1_0.replace("export/1.0/", "export/1.1/")
    .replace("<wp:wxr_version>1.0<", "<wp:wxr_version>1.1<")
    .replace(
        "\t<wp:category>",
        "\t<wp:author><wp:author_login>admin</wp:author_login><wp:author_email>"
        "admin@old10.example</wp:author_email><wp:author_display_name><![CDATA[Ada Admin]]>"
        "</wp:author_display_name><wp:author_first_name><![CDATA[Ada]]></wp:author_first_name>"
        "<wp:author_last_name><![CDATA[Admin]]></wp:author_last_name></wp:author>\n"
        "\t<wp:category>",
        1,
    )
    .replace('domain="tag"', 'domain="post_tag"')
)


@pytest.mark.parametrize("text", [WXR_1_0, WXR_1_1], ids=["wxr-1.0", "wxr-1.1"])
def test_older_exports_bring_posts_terms_authors_and_comments_over(
    run_import, export_file, client, text
):
    output = run_import(export_file(text))

    article = Article.objects.get(slug="an-old-report")
    assert article.status == Article.Status.PUBLISHED
    assert article.body.count("<p>") == 2
    assert article.category == Category.objects.get(slug="reports")
    assert [tag.slug for tag in article.tags.all()] == ["prisons"]
    assert article.author == get_user_model().objects.get(username="admin")
    comment = Comment.objects.get()
    assert (comment.name, comment.status, comment.target) == ("Reader", "approved", article)
    assert client.get("/?p=7")["Location"] == "/articles/an-old-report/"
    assert client.get("/2010/03/an-old-report/")["Location"] == "/articles/an-old-report/"
    assert "posts: 1 created" in output
    assert "Traceback" not in output


def test_a_wxr_1_0_author_known_only_by_login_is_reported(run_import, export_file):
    output = run_import(export_file(WXR_1_0))

    assert "author 'admin' is not in the export's author list" in output


def test_a_wxr_1_1_author_keeps_their_display_name(run_import, export_file):
    run_import(export_file(WXR_1_1))

    admin = get_user_model().objects.get(username="admin")
    assert admin.profile.display_name == "Ada Admin"
    assert not admin.has_usable_password()
