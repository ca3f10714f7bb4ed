# The seed's typography (curly apostrophes, en dashes) is what these tests check.
# ruff: noqa: RUF001
import json
import tomllib
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from forum import trees
from forum.archives.records import DiscussionRecord, PostRecord
from forum.archives.seed import (
    ReplyDecision,
    SeedFormatError,
    parse_seed,
    read_seed,
    split_page,
)
from forum.models import Post, Thread
from tests.factories import make_article, make_post, make_thread

FIXTURES = settings.BASE_DIR / "fixtures"
TITLE = "China Ready to Cooperate with Russia on Orbital Space Station"
SLUG = "china-ready-to-cooperate-with-russia-on-orbital-space-station"

ARTICLE_PARAGRAPHS = [
    "Tass quotes China National Space Administration Secretary General Li Guoping as saying his "
    "nation is ready to cooperate with Russia, Germany and France on a future space station.",
    "“Russia is one of China’s main partners in space cooperation,” he said adding that the two "
    "countries held annual meetings devoted to cooperation in space exploration. Both countries, "
    "he said, were pushing ahead with joint aerospace projects in accordance with China’s program "
    "for 2018-2022.",
    "“Lunar studies are one of the guidelines in our cooperation,” Li said. “As far as China’s "
    "orbital station is concerned, it is in the construction phase and will be completed by 2022. "
    "We intend to cooperate with many countries, including Russia, Germany and France on this "
    "project.”",
    "It’s not clear exactly what such cooperation would entail. European Space Agency (ESA) "
    "astronauts are training with China for future flights aboard Shenzhou spacecraft.",
    "Shenzhou spacecraft will serve the\u00a0multi-module\u00a0Tianhe-1 space station, whose core "
    "module is to be launched in 2020.\u00a0 The orbiting facility will be roughly the size of "
    "Russia’s decommissioned Mir station and have about one-fifth the volume of the "
    "International Space Station.",
    "China is also pursuing an aggressive program to explore the moon with international "
    "cooperation. The ambitious Chang’e-4 mission — which includes a lander, rover, orbiter and "
    "two CubeSats\u00a0 — includes instruments and experiments from Germany, Sweden, The "
    "Netherlands and Saudi Arabia.",
    "Roscosmos Director General Dmitry Rogozin said Russia could turn to cooperation with China "
    "if it is not given an appropriate role in NASA-led plans for a crewed Lunar Gateway that "
    "would orbit the moon in the 2020’s.",
    "NASA Administrator Jim Bridenstine recently rescinded an invitation to Rogozin to visit the "
    "United States for consultation with agency leaders. The decision came after an uproar over "
    "the Trump Administration’s decision to grant an exemption to Rogozin, who cannot travel to "
    "the United States due to sanctions imposed after Russia invaded Ukraine and annexed Crimea.",
    "An angry Roscosmos has demanded an explanation from NASA, noting pointedly that "
    "negotiations on the Lunar Gateway and extending operations of the International Space "
    "Station beyond 2024 have “not yet been suspended.”",
]

AUTHORS = [
    "Robert G. Oler",
    "Saturn1300",
    "therealdmt",
    "ThomasLMatula",
    "Kirk",
    "Smokey_the_Bear",
    "therealdmt",
    "therealdmt",
    "Jeff2Space",
    "duheagle",
    "duheagle",
    "duheagle",
    "publiusr",
    "Kirk",
]

# Every comment's Markdown source, in page order, written from reading the page.
BODIES = [
    "LOL hope they have a great time together",
    "Unlike the no uproar the last time he visited. My poor memory. I think he did. I have not "
    "checked. I think that odd looking plane flying by during my walk looked like it had Russia "
    "Airline markings. From KSC to JSC. Just flying by to look at Tampa Bay. No. Yes. Maybe I "
    "have been too hard on Russia. Naw.",
    "Bridenstine hasn’t been the anti-science guy I feared he’d be, but he really screwed the "
    "pooch with his Rogozin invite. I can’t blame him for trying to smooth relations with our big "
    "space partner, but there are real reasons that those relations are frayed, reasons bigger "
    "than the space programs.\n\n"
    "Meanwhile, he investigates SpaceX for safety culture while sending his astronauts right back "
    "up on a rocket type that just failed and a culture that has not only had a number of other "
    "recent (non-manned) launch failures, but decaying infrastructure, poor morale at least two "
    "instances of holes in their manned spacecraft.\n\n"
    "Anyway, I don’t hate Bridenstine — he surely felt pressured from the OldSpace-Alabama "
    "contingent to do something to take SpaceX down a notch. It may have been the least he could "
    "do and still be able to claim that he “took strong action”…\n\n"
    "Main thing — I hope we can get Russia to agree to extend the ISS to 2028-ish. After that, we "
    "don’t really need them and they no longer seem worth the added aggravation. But they know "
    "that, too. If China presents a real alternative, they may well say bye-bye to us first, and "
    "sooner rather than later",
    "Maybe we could sell the Chinese our share in the ISS. It would free NASA to start leasing "
    "from commercial space starions.\n\n"
    "As bonus we could also offer them the SLS with its cutting edge 70’s technology to sweeten "
    "the deal \U0001f604",
    "> “… at least two instances of holes in their manned spacecraft.”\n\n"
    "Two? I know of the one in the orbital module of Soyuz MS-09. Which one did I miss?",
    "That’s a good partnership, Russia has a lot of expertise, but has real problems that "
    "“therealdmt” already highlighted. China is trying to spread it’s “space wings”, and wants a "
    "solid partner who can help them out. Like Thomas said, I would also like to ditch the ISS, "
    "but not until we have a replacement already in space. Should be able to launch some "
    "impressive Bigelow stations in a couple years on the Starship or New Glenn.",
    "I’ll have to try to look it up. It was found on the ground, iirc, not in flight, so it "
    "wasn’t such a big story. Plus it happened a while ago now. Anyway, I’ll try to find a "
    "reference. Who knows, I could be full of crap, lol \U0001f600\n\n"
    "However, Russia’s program be a-illlin’, and that’s no doubt",
    "Here ya go (sorry for the link to a different site, Doug, but he asked):\n\n"
    "The linked to article is on the most recent leak discovered on orbit, but the relevant "
    "portion (referencing a Russian news article that was translated for Ars) reads:\n\n"
    "“A former employee of the company who is now a professor at Moscow State University told "
    "another Russian publication that these kinds of incidents have occurred before at "
    "Energia.\n\n"
    "“I have conducted investigations of all kinds of spacecraft, and after landing, we "
    "discovered a hole drilled completely through the hull of a re-entry module,” the former "
    "Energia employee, Viktor Minenko, said in Gazeta.RU. “But the technician didn’t report the "
    "defect to anyone but sealed up the hole with epoxy. We found the person, and after a "
    "commotion he was terminated,” said Minenko.”",
    "Russia is cash strapped, but they have experience. China lacks experience, but has provided "
    "steady funding for its space program. I wouldn’t underestimate them. After all, most of what "
    "China has done with their crewed space program is based on technology they acquired from "
    "Russia.",
    "The Rogozin invite was certainly an unforced error on Bridenstine’s part, but not one that "
    "is likely to matter much in the larger scheme of things. If it actually plays any role in "
    "detaching Russia from us and making them China’s problem in future this Rogozin kerfuffle "
    "could even wind up being a big plus.\n\n"
    "No one in the Trump administration is “anti-science.” What they are is anti-fraud.\n\n"
    "The anti-SpaceX machinations pretty obviously emanate from MSFC and a certain senior "
    "senator from Alabama. Bridenstine does not enjoy the luxury of rule by decree so the degree "
    "to which he can affect these internal NASA political tides is limited.\n\n"
    "You are entirely correct to point out the arrant hypocrisy of NASA’s “safety” bureaucrats "
    "having repeated attacks of the vapors over ever more recondite theoretical “issues” with D2 "
    "when U.S. astronauts are being hung out to dry riding increasingly rickety Russian craft "
    "that have had a number of concrete and scary actual failures and misadventures.\n\n"
    "I was once in favor of extending ISS for as long as possible too. But I now think that it "
    "would be better to fold that particular tent in 2024 rather than stretch it to 2028 or 2030 "
    "as some are now urging. It’s time for the U.S. to insist that the private sector either "
    "make good on all the brave talk of human-tended commerce in LEO or admit that there is no "
    "closable business case for same. I like what Nanoracks and Made In Space have done on ISS, "
    "but it’s time for both to wean themselves from the NASA teat.\n\n"
    "There is equally, to be frank, no advantage at all to the U.S. in continuing to be saddled "
    "with the perpetually cranky and ungrateful Russian welfare clients with whom we currently "
    "share occupancy of ISS for another dozen years, or even 10. Let them try their arrogant "
    "brand of mendicancy on the Chinese and see how they fare. If it was me calling the shots, "
    "I’d already have the headstone on order – “Soviet/Russian Manned Space Program b. 4-12-1961 "
    "d. XX-XX-2024 RIP.",
    "Yes. Confusion to the enemy – both of them.",
    "But the Russians no longer have anything of consequence to offer that the Chinese haven’t "
    "long since bought. The market value of Russian arrogance and presumption is less than zero, "
    "especially in China. No non-Chinese entity is ever going to be allowed to do more anent the "
    "Chinese space program than sit prettily in the back of the convertible, smile and wave to "
    "the crowd. The Europeans will be okay with this, but the Russians won’t. So this "
    "“threatened” combine will either never actually happen in any consequential way, or will "
    "blow itself to flinders in fairly short order should the Chinese be so foolish as to take "
    "the Russians on as “partners.”",
    "I want ISS to have chinese modules myself. Be–oh Idon’t know–and International space "
    "station?",
    "Thanks Cookie Monster!",
]

# The first and last sentence of each comment, as a reader would quote them.
FIRST_AND_LAST = {
    1: ("LOL hope they have a great time together", "LOL hope they have a great time together"),
    2: ("Unlike the no uproar the last time he visited.", "Naw."),
    3: ("Bridenstine hasn’t been the anti-science guy", "and sooner rather than later"),
    4: ("Maybe we could sell the Chinese our share in the ISS.", "to sweeten the deal 😄"),
    5: ("> “… at least two instances", "Which one did I miss?"),
    6: ("That’s a good partnership,", "on the Starship or New Glenn."),
    7: ("I’ll have to try to look it up.", "and that’s no doubt"),
    8: ("Here ya go (sorry for the link to a different site,", "terminated,” said Minenko.”"),
    9: ("Russia is cash strapped, but they have experience.", "they acquired from Russia."),
    10: ("The Rogozin invite was certainly an unforced error", "d. XX-XX-2024 RIP."),
    11: ("Yes.", "Confusion to the enemy – both of them."),
    12: ("But the Russians no longer have anything", "to take the Russians on as “partners.”"),
    13: ("I want ISS to have chinese modules myself.", "International space station?"),
    14: ("Thanks Cookie Monster!", "Thanks Cookie Monster!"),
}

# Who answers whom, by page number (None: top level), from reading the page.
EXPECTED_PARENTS = {
    1: None,
    2: None,
    3: None,
    4: None,
    5: 3,
    6: None,
    7: 5,
    8: 5,
    9: None,
    10: 3,
    11: 1,
    12: 9,
    13: None,
    14: 8,
}


@pytest.fixture(scope="module")
def records():
    return list(read_seed())


def seed_posts(records):
    return [record for record in records if isinstance(record, PostRecord)]


def number(external_id):
    return None if external_id is None else int(external_id.removeprefix("seed:"))


def page(*comments):
    """A small page in the seed's format: (author, paragraphs...) per comment."""
    lines = ["A title", "", "An article paragraph.", ""]
    for author, *paragraphs in comments:
        lines += [f"  • {author}", ""]
        for paragraph in paragraphs:
            lines += [f"    {paragraph}", ""]
    return "\n".join(lines)


def parents_of(text, decisions=()):
    return {
        number(record.external_id): number(record.parent_external_id)
        for record in parse_seed(text, decisions=decisions)
        if isinstance(record, PostRecord)
    }


def test_the_page_gives_one_discussion_then_fourteen_posts(records):
    assert isinstance(records[0], DiscussionRecord)
    assert [record.external_id for record in records[1:]] == [f"seed:{n}" for n in range(1, 15)]


def test_the_article_has_its_title_slug_caption_and_credit(records):
    discussion = records[0]
    article = discussion.article
    assert (discussion.title, discussion.slug) == (TITLE, SLUG)
    assert (article.title, article.slug) == (TITLE, SLUG)
    assert article.lead_image_caption == "Artist’s conception of China’s Tianhe-1 space station."
    assert article.lead_image_credit == "China Manned Space Engineering"


def test_every_article_paragraph_is_kept_with_its_non_breaking_spaces(records):
    body = records[0].article.body
    assert body.split("\n\n") == ARTICLE_PARAGRAPHS
    assert "the\u00a0multi-module\u00a0Tianhe-1" in body
    assert "2020.\u00a0 The" in body
    assert "CubeSats\u00a0 —" in body


def test_each_comment_has_its_author_in_page_order(records):
    assert [post.author_name for post in seed_posts(records)] == AUTHORS


def test_each_comment_keeps_every_character_of_its_text(records):
    assert [post.body for post in seed_posts(records)] == BODIES


def test_each_comment_starts_and_ends_with_its_first_and_last_sentence(records):
    for post in seed_posts(records):
        first, last = FIRST_AND_LAST[number(post.external_id)]
        assert post.body.startswith(first), post.external_id
        assert post.body.endswith(last), post.external_id


def test_comment_paragraphs_lose_their_indentation(records):
    for post in seed_posts(records):
        assert all(not line.startswith(" ") for line in post.body.split("\n")), post.external_id


def test_each_comment_answers_the_comment_a_reader_found_it_answers(records):
    found = {number(p.external_id): number(p.parent_external_id) for p in seed_posts(records)}
    assert found == EXPECTED_PARENTS


def test_kirks_opening_quotation_is_found_in_code_not_in_the_decisions_file():
    with open(FIXTURES / "seed" / "replies.toml", "rb") as file:
        decisions = {entry["comment"]: entry for entry in tomllib.load(file)["reply"]}
    text = (FIXTURES / "seed" / "000_fa6759881eb177e9.txt").read_text(encoding="utf-8")
    assert 5 not in decisions
    assert parents_of(text)[5] == 3


def test_top_level_comments_with_misleading_cues_are_decided_with_a_reason():
    with open(FIXTURES / "seed" / "replies.toml", "rb") as file:
        decisions = {entry["comment"]: entry for entry in tomllib.load(file)["reply"]}
    for comment in (4, 6, 9, 13):
        assert decisions[comment]["parent"] == "top level"
        assert decisions[comment]["reason"]
    assert "mentioning people is not answering" in decisions[6]["reason"]


def test_the_comments_are_given_increasing_times_after_the_article(records):
    published = datetime(2019, 3, 5, 12, 0, tzinfo=UTC)
    times = [post.created_at for post in seed_posts(records)]
    assert records[0].article.published_at == published
    assert times[0] == published + timedelta(hours=1)
    assert times == [times[0] + n * timedelta(minutes=17) for n in range(14)]


def test_an_opening_quotation_answers_the_latest_earlier_comment_containing_it():
    text = page(
        ("Ann", "Rockets are loud."),
        ("Bob", "Rockets are loud. And fast."),
        ("Cy", "“Rockets are loud.”", "Indeed."),
    )
    assert parents_of(text) == {1: None, 2: None, 3: 2}


def test_straight_quotes_and_three_dot_ellipses_mark_a_quotation_too():
    text = page(("Ann", "The pad was damaged."), ("Bob", '"... pad was damaged ..."', "How?"))
    assert parents_of(text) == {1: None, 2: 1}


def test_a_quotation_of_text_from_no_earlier_comment_is_not_a_reply():
    text = page(("Ann", "Hello."), ("Bob", "“A line from a press release.”", "Thoughts?"))
    assert parents_of(text) == {1: None, 2: None}


def test_a_quotation_that_does_not_open_the_comment_is_not_a_reply():
    text = page(("Ann", "Launch slipped."), ("Bob", "So “Launch slipped.” said Ann."))
    assert parents_of(text) == {1: None, 2: None}


def test_a_comment_that_does_not_open_by_quoting_keeps_its_first_paragraph_as_text():
    text = page(("Ann", "Launch slipped."), ("Bob", "Sad.", "“Launch slipped.”"))
    bodies = [r.body for r in parse_seed(text) if isinstance(r, PostRecord)]
    assert bodies[1] == "Sad.\n\n“Launch slipped.”"


def test_a_decision_places_a_comment_under_an_earlier_one():
    text = page(("Ann", "Hi."), ("Bob", "Hi yourself."))
    decision = ReplyDecision(comment=2, author="Bob", parent=1, reason="greets Ann back")
    assert parents_of(text, [decision]) == {1: None, 2: 1}


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (ReplyDecision(2, "Zed", 1, "wrong author"), "names Zed, but it is by Bob"),
        (ReplyDecision(2, "Bob", 3, "a later comment"), "can only answer an earlier comment"),
        (ReplyDecision(9, "Bob", 1, "no such comment"), "the page has 3"),
        (ReplyDecision(3, "Cy", 1, "already quoted"), "opens by quoting the comment it answers"),
    ],
)
def test_a_decision_that_does_not_fit_the_page_is_refused(decision, message):
    text = page(("Ann", "Liftoff!"), ("Bob", "Wow."), ("Cy", "“Liftoff!”", "Yes."))
    with pytest.raises(SeedFormatError, match=message):
        parents_of(text, [decision])


def test_two_decisions_for_one_comment_are_refused():
    text = page(("Ann", "Hi."), ("Bob", "Hey."))
    decisions = [ReplyDecision(2, "Bob", 1, "one"), ReplyDecision(2, "Bob", None, "two")]
    with pytest.raises(SeedFormatError, match="comment 2 has two decisions"):
        parents_of(text, decisions)


def test_comment_text_without_its_indentation_is_refused_with_its_line_number():
    text = "A title\n\nA paragraph.\n\n  • Ann\n\n    Fine.\n\nNot indented.\n"
    with pytest.raises(SeedFormatError, match="line 9: comment text must be indented"):
        split_page(text)


def test_a_caption_without_a_credit_stays_an_article_paragraph():
    parsed = split_page("A title\n\nJust a paragraph.\n\nAnother.")
    assert (parsed.caption, parsed.credit) == ("", "")
    assert parsed.paragraphs == ("Just a paragraph.", "Another.")


# The fixture, loaded as `make run` loads it.


def load_fixture():
    call_command("loaddata", "seed", verbosity=0)


@pytest.mark.django_db
def test_loaddata_seed_into_an_empty_database_gives_the_article_and_its_discussion():
    load_fixture()
    thread = Thread.objects.get()
    assert Article.objects.get().title == TITLE
    assert thread.article == Article.objects.get()
    assert Post.objects.count() == 14
    assert Post.objects.filter(parent=None).count() == 7
    assert thread.post_count == 14
    assert trees.tree_faults() == []


@pytest.mark.django_db
def test_the_loaded_seed_has_the_tree_a_reader_found():
    load_fixture()
    stored = {
        number(post.external_id): number(post.parent.external_id if post.parent else None)
        for post in Post.objects.select_related("parent")
    }
    assert stored == EXPECTED_PARENTS
    assert [post.author_name for post in Post.objects.order_by("created_at")] == AUTHORS


@pytest.mark.django_db
def test_the_loaded_seed_keeps_page_order_among_siblings():
    load_fixture()
    roots = Post.objects.filter(parent=None).order_by("tree_id")
    assert [number(post.external_id) for post in roots] == [1, 2, 3, 4, 6, 9, 13]
    replies_to = {
        parent: [
            number(post.external_id)
            for post in Post.objects.filter(parent__external_id=f"seed:{parent}").order_by("lft")
        ]
        for parent in (3, 5)
    }
    assert replies_to == {3: [5, 10], 5: [7, 8]}


@pytest.mark.django_db
def test_kirks_reply_shows_its_opening_quote_as_a_block_quote():
    load_fixture()
    kirk = Post.objects.get(external_id="seed:5")
    assert kirk.body_html == (
        "<blockquote>\n<p>“… at least two instances of holes in their manned spacecraft.”</p>\n"
        "</blockquote>\n<p>Two? I know of the one in the orbital module of Soyuz MS-09. Which one "
        "did I miss?</p>\n"
    )


@pytest.mark.django_db
def test_no_other_comment_renders_a_block_quote_or_code_block():
    load_fixture()
    for post in Post.objects.exclude(external_id="seed:5"):
        assert "<blockquote>" not in post.body_html
        assert "<pre>" not in post.body_html
        assert "<code>" not in post.body_html


@pytest.mark.django_db
def test_the_article_keeps_its_non_breaking_spaces_when_loaded():
    load_fixture()
    assert Article.objects.get().paragraphs == ARTICLE_PARAGRAPHS


def test_the_fixture_has_keys_from_one_and_no_users():
    objects = json.loads((FIXTURES / "seed.json").read_text(encoding="utf-8"))
    models = [entry["model"] for entry in objects]
    assert models == ["articles.article", "forum.thread"] + ["forum.post"] * 14
    assert [entry["pk"] for entry in objects] == [1, 1, *range(1, 15)]
    posts = [entry["fields"] for entry in objects[2:]]
    assert sorted({post["tree_id"] for post in posts}) == list(range(1, 8))
    assert all(post["author"] is None for post in posts)
    assert "password" not in (FIXTURES / "seed.json").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_committed_fixture_is_what_build_seed_fixtures_writes_now(tmp_path):
    output = tmp_path / "seed.json"
    call_command("build_seed_fixtures", output=output, stdout=StringIO())
    assert output.read_bytes() == (FIXTURES / "seed.json").read_bytes()


@pytest.mark.django_db
def test_building_the_fixture_twice_gives_the_same_bytes_and_leaves_the_database_alone(
    tmp_path,
):
    make_post(make_thread())
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("build_seed_fixtures", output=first, stdout=StringIO())
    call_command("build_seed_fixtures", output=second, stdout=StringIO())
    assert first.read_bytes() == second.read_bytes()
    assert Post.objects.count() == 1
    assert not Post.objects.filter(external_id__startswith="seed:").exists()


@pytest.mark.django_db
def test_load_seed_loads_the_seed_into_an_empty_database():
    output = StringIO()
    call_command("load_seed", stdout=output)
    assert "Loaded the seed (articles: 1, threads: 1, posts: 14)." in output.getvalue()
    assert Post.objects.count() == 14
    assert trees.tree_faults() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "existing",
    [
        lambda: make_article(),
        lambda: make_thread(),
        lambda: make_post(make_thread()),
    ],
    ids=["an article", "a thread", "a post"],
)
def test_load_seed_skips_a_database_that_already_has_content(existing):
    existing()
    before = (Article.objects.count(), Thread.objects.count(), Post.objects.count())
    output = StringIO()
    call_command("load_seed", stdout=output)
    assert "Skipped loading the seed" in output.getvalue()
    assert "could corrupt" in output.getvalue()
    assert (Article.objects.count(), Thread.objects.count(), Post.objects.count()) == before
    assert not Post.objects.filter(external_id__startswith="seed:").exists()
