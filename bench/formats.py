"""Writers of the benchmark's archives: Disqus XML and WordPress WXR, shaped like real exports."""

from collections import Counter
from xml.sax.saxutils import escape

from .generate import (
    SITE,
    Archive,
    author_name,
    author_username,
    blocks_to_html,
    inline_html,
    wxr_status,
)

DISQUS_THREAD_ID = 5_000_000  # dsq:ids look like Disqus's: large, and threads apart from posts
DISQUS_POST_ID = 100_000_000
PINGBACK_SHARE = 0.003  # extra pingbacks in WXR, which the importer skips and counts
PINGBACK_ID = 900_000_000  # comment ids of pingbacks, apart from the comments'
WXR_STATUSES = {
    "published": "1",
    "pending": "0",
    "spam": "spam",
    "removed": "trash",
}


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _disqus_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _wxr_time(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_disqus(out, archive: Archive) -> Counter:
    """Write a Disqus export: a category, every thread, then every post; return what it holds."""
    counts = Counter()
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '  <category dsq:id="1">\n    <forum>bench</forum>\n    <title>General</title>\n'
        "    <isDefault>true</isDefault>\n  </category>\n"
    )
    for thread in archive.threads:
        out.write(_disqus_thread(thread))
        counts["threads"] += 1
    seen = set()  # post numbers are unique in the archive, and replies stay in their thread
    for post, message in archive.posts_with_messages():
        out.write(_disqus_post(post, blocks_to_html(message)))
        counts["posts"] += 1
        counts[post.status] += 1
        counts["listed before their parent"] += post.parent is not None and (
            post.parent not in seen
        )
        seen.add(post.number)
    out.write("</disqus>\n")
    return counts


def _disqus_thread(thread):
    return (
        f'  <thread dsq:id="{DISQUS_THREAD_ID + thread.number}">\n'
        f"    <id>{thread.slug}</id>\n    <forum>bench</forum>\n"
        f'    <category dsq:id="1"/>\n'
        f"    <link>{thread.link}</link>\n"
        f"    <title>{escape(thread.title)}</title>\n    <message/>\n"
        f"    <createdAt>{_disqus_time(thread.created_at)}</createdAt>\n"
        f"    <author>\n      <name>Newsroom</name>\n      <isAnonymous>false</isAnonymous>\n"
        f"      <username>newsroom</username>\n    </author>\n"
        f"    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n"
    )


def _disqus_post(post, message):
    if post.author < 0:
        author = "      <name>Guest</name>\n      <isAnonymous>true</isAnonymous>\n"
    else:
        author = f"      <name>{escape(author_name(post.author))}</name>\n"
        author += "      <isAnonymous>false</isAnonymous>\n"
        author += f"      <username>{author_username(post.author)}</username>\n"
    parent = f'    <parent dsq:id="{DISQUS_POST_ID + post.parent}"/>\n' if post.parent else ""
    return (
        f'  <post dsq:id="{DISQUS_POST_ID + post.number}">\n    <id/>\n'
        f"    <message>{_cdata(message)}</message>\n"
        f"    <createdAt>{_disqus_time(post.created_at)}</createdAt>\n"
        f"    <isDeleted>{'true' if post.status == 'deleted' else 'false'}</isDeleted>\n"
        f"    <isSpam>{'true' if post.status == 'spam' else 'false'}</isSpam>\n"
        f"    <author>\n{author}    </author>\n"
        f"    <ipAddress>192.0.2.{post.number % 250 + 1}</ipAddress>\n"
        f'    <thread dsq:id="{DISQUS_THREAD_ID + post.thread}"/>\n{parent}  </post>\n'
    )


def write_wxr(out, archive: Archive) -> Counter:
    """Write a WXR 1.2 file: one item per story, each ending with its comments."""
    counts = Counter()
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"\t<title>Bench News</title>\n\t<link>{SITE}</link>\n"
        "\t<description>Generated for the benchmark</description>\n"
        f"\t<wp:wxr_version>1.2</wp:wxr_version>\n\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
    )
    for thread, posts, rng in archive.posts_by_thread():
        out.write(_wxr_item_head(thread))
        counts["threads"] += 1
        seen = set()
        for post in posts:
            content = _wxr_content(archive.message(rng))
            out.write(_wxr_comment(post.number, post, content, "comment"))
            counts["posts"] += 1
            counts[post.status] += 1
            counts["listed before their parent"] += post.parent is not None and (
                post.parent not in seen
            )
            seen.add(post.number)
            if rng.random() < PINGBACK_SHARE:
                counts["pingbacks"] += 1
                pingback = f'<a href="{SITE}/linked/{post.number}/">A post linking here</a>'
                number = PINGBACK_ID + post.number
                out.write(_wxr_comment(number, post, pingback, "pingback"))
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return counts


def _wxr_item_head(thread):
    when = _wxr_time(thread.created_at)
    return (
        f"\t<item>\n\t\t<title>{_cdata(thread.title)}</title>\n"
        f"\t\t<link>{thread.link}</link>\n"
        f"\t\t<dc:creator>{_cdata('newsroom')}</dc:creator>\n"
        f"\t\t<content:encoded>{_cdata('<p>The story itself.</p>')}</content:encoded>\n"
        f"\t\t<wp:post_id>{thread.number}</wp:post_id>\n"
        f"\t\t<wp:post_date>{_cdata(when)}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{_cdata(when)}</wp:post_date_gmt>\n"
        f"\t\t<wp:comment_status>{_cdata('open')}</wp:comment_status>\n"
        f"\t\t<wp:post_name>{_cdata(thread.slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{_cdata('publish')}</wp:status>\n"
        f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n"
    )


def _wxr_content(blocks):
    """WordPress keeps comments as text: blank lines part paragraphs, inline HTML allowed."""
    return "\n\n".join(
        blocks_to_html([(kind, pieces)]) if kind == "quote" else inline_html(pieces)
        for kind, pieces in blocks
    )


def _wxr_comment(number, post, content, kind):
    name = author_name(post.author) or "Guest"
    # Some old comments carry no GMT date; the importer falls back to the local one.
    gmt = "0000-00-00 00:00:00" if post.number % 211 == 0 else _wxr_time(post.created_at)
    parent = post.parent if kind == "comment" and post.parent else 0
    status = WXR_STATUSES[post.status] if kind == "comment" else "1"
    return (
        f"\t\t<wp:comment>\n\t\t\t<wp:comment_id>{number}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{_cdata(name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{_cdata(author_username(post.author) + '@example.com')}"
        f"</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url></wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{_cdata('192.0.2.7')}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{_cdata(_wxr_time(post.created_at))}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{_cdata(gmt)}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{_cdata(content)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{_cdata(status)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{_cdata(kind)}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        f"\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n\t\t</wp:comment>\n"
    )


def wxr_archive(*, posts, threads, seed=2013):
    return Archive(posts=posts, threads=threads, seed=seed, statuses=wxr_status)
