"""Who may do what: every action against every kind of visitor.

Each cell either does the action (and its effect is stored) or is refused, with a redirect to
log in for anonymous visitors and a 403 for everyone else, and then nothing at all is stored.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from forum import moderation, trees
from forum.models import Ban, Flag, ModerationRecord, Post, Thread, Vote
from tests.factories import make_moderator, make_post, make_thread, make_user, set_status
from tests.markup import Page

pytestmark = pytest.mark.django_db

Status = Post.Status
ROLES = ["anonymous", "user", "author", "other user", "moderator", "superuser", "banned", "staff"]
MODERATORS = frozenset({"moderator", "superuser"})
# Logged in and not banned; "staff" may use the admin but holds no moderation permission.
MEMBERS = frozenset({"user", "author", "other user", "moderator", "superuser", "staff"})


@pytest.fixture
def scene():
    """A thread: other's root post, author's reply to it, other's reply to that; a second
    root to move under; and one account for each role."""
    people = {
        "user": make_user("member"),
        "author": make_user("author"),
        "other user": make_user("other"),
        "moderator": make_moderator("moderator"),
        "superuser": get_user_model().objects.create_superuser("root", password="x"),
        "banned": make_user("banned"),
        "staff": make_user("staffer"),
    }
    people["staff"].is_staff = True
    people["staff"].save(update_fields=["is_staff"])
    moderation.ban_user(user=people["banned"], moderator=people["moderator"], reason="Trolling.")
    thread = make_thread("Orbital stations")
    root = make_post(thread, author=people["other user"], body="The root.")
    target = make_post(thread, parent=root, author=people["author"], body="The target.")
    reply = make_post(thread, parent=target, author=people["other user"], body="A reply.")
    destination = make_post(thread, author=people["other user"], body="Another root.")
    return SimpleNamespace(
        people=people, thread=thread, target=target, reply=reply, destination=destination
    )


def fresh(post):
    return Post.objects.get(pk=post.pk)


def stored_state():
    """Everything an action could write, to compare before and after."""
    return {
        "posts": list(
            Post.objects.order_by("pk").values_list(
                "pk", "status", "parent_id", "thread_id", "body", "tree_id", "lft", "rght"
            )
        ),
        "threads": list(
            Thread.objects.order_by("pk").values_list(
                "pk", "title", "is_locked", "lock_reason", "is_premoderated", "post_count"
            )
        ),
        "records": list(ModerationRecord.objects.values_list("pk", flat=True)),
        "flags": list(Flag.objects.order_by("pk").values_list("pk", "resolved_at")),
        "bans": list(Ban.objects.order_by("pk").values_list("pk", "until", "lifted_at")),
        "votes": list(Vote.objects.order_by("pk").values_list("pk", "value")),
    }


def post_form(body):
    return {"body": body, "token": str(uuid.uuid4())}


@dataclass(frozen=True)
class Act:
    url: Callable
    allowed: frozenset
    done: Callable  # whether the action's effect is stored
    data: Callable = lambda scene: {}
    prepare: Callable = lambda scene: None
    method: str = "post"


def moderation_url(name, subject):
    """The address of a moderation action on the scene's post or thread (subject names it)."""
    return lambda scene: reverse(f"moderation:{name}", args=[getattr(scene, subject).pk])


ACTS = {
    "flag": Act(
        url=lambda s: reverse("forum:post-flag", args=[s.target.pk]),
        data=lambda s: {"reason": "spam"},
        allowed=MEMBERS - {"author"},
        done=lambda s: Flag.objects.filter(post=s.target).exists(),
    ),
    "approve": Act(
        url=moderation_url("post-approve", "target"),
        prepare=lambda s: set_status(s.target, Status.PENDING),
        allowed=MODERATORS,
        done=lambda s: fresh(s.target).status == Status.PUBLISHED,
    ),
    "remove": Act(
        url=moderation_url("post-remove", "target"),
        allowed=MODERATORS,
        done=lambda s: (
            [fresh(s.target).status, fresh(s.reply).status] == [Status.REMOVED, Status.PUBLISHED]
        ),
    ),
    "remove subtree": Act(
        url=moderation_url("post-remove-subtree", "target"),
        allowed=MODERATORS,
        done=lambda s: [fresh(s.target).status, fresh(s.reply).status] == [Status.REMOVED] * 2,
    ),
    "spam": Act(
        url=moderation_url("post-spam", "target"),
        allowed=MODERATORS,
        done=lambda s: fresh(s.target).status == Status.SPAM,
    ),
    "move": Act(
        url=moderation_url("post-move", "target"),
        data=lambda s: {"target": str(s.destination.pk)},
        allowed=MODERATORS,
        done=lambda s: fresh(s.target).parent_id == s.destination.pk,
    ),
    "split": Act(
        url=moderation_url("post-split", "target"),
        data=lambda s: {"title": "A new discussion"},
        allowed=MODERATORS,
        done=lambda s: fresh(s.target).thread.title == "A new discussion",
    ),
    "lock": Act(
        url=moderation_url("thread-lock", "thread"),
        data=lambda s: {"reason": "Flame war."},
        allowed=MODERATORS,
        done=lambda s: Thread.objects.get(pk=s.thread.pk).is_locked,
    ),
    "unlock": Act(
        url=moderation_url("thread-unlock", "thread"),
        prepare=lambda s: Thread.objects.filter(pk=s.thread.pk).update(is_locked=True),
        allowed=MODERATORS,
        done=lambda s: not Thread.objects.get(pk=s.thread.pk).is_locked,
    ),
    "premoderation on": Act(
        url=moderation_url("thread-premoderation-on", "thread"),
        allowed=MODERATORS,
        done=lambda s: Thread.objects.get(pk=s.thread.pk).is_premoderated,
    ),
    "premoderation off": Act(
        url=moderation_url("thread-premoderation-off", "thread"),
        prepare=lambda s: Thread.objects.filter(pk=s.thread.pk).update(is_premoderated=True),
        allowed=MODERATORS,
        done=lambda s: not Thread.objects.get(pk=s.thread.pk).is_premoderated,
    ),
    "ban": Act(
        url=lambda s: reverse("moderation:user-ban", args=[s.people["author"].pk]),
        data=lambda s: {"reason": "Insults.", "duration": "7"},
        allowed=MODERATORS,
        done=lambda s: Ban.objects.active().filter(user=s.people["author"]).exists(),
    ),
    "unban": Act(
        url=lambda s: reverse("moderation:user-unban", args=[s.people["banned"].pk]),
        allowed=MODERATORS,
        done=lambda s: not Ban.objects.active().filter(user=s.people["banned"]).exists(),
    ),
    "bulk remove": Act(
        url=lambda s: reverse("moderation:queue"),
        data=lambda s: {"action": "remove", "posts": [s.target.pk]},
        allowed=MODERATORS,
        done=lambda s: fresh(s.target).status == Status.REMOVED,
    ),
    "queue page": Act(
        url=lambda s: reverse("moderation:queue"),
        method="get",
        allowed=MODERATORS,
        done=lambda s: True,
    ),
    "audit log page": Act(
        url=lambda s: reverse("moderation:log"),
        method="get",
        allowed=MODERATORS,
        done=lambda s: True,
    ),
    "new thread": Act(
        url=lambda s: reverse("forum:thread-new"),
        data=lambda s: {"title": "Fresh start", **post_form("A new thread.")},
        allowed=MEMBERS,
        done=lambda s: Thread.objects.filter(title="Fresh start").exists(),
    ),
    "comment": Act(
        url=lambda s: reverse("forum:thread-reply", args=[s.thread.slug]),
        data=lambda s: {"thread": s.thread.pk, **post_form("A new comment.")},
        allowed=MEMBERS,
        done=lambda s: Post.objects.filter(body="A new comment.").exists(),
    ),
    "reply": Act(
        url=lambda s: reverse("forum:post-reply", args=[s.target.pk]),
        data=lambda s: {"thread": s.thread.pk, **post_form("A new reply.")},
        allowed=MEMBERS,
        done=lambda s: Post.objects.filter(body="A new reply.", parent=s.target).exists(),
    ),
    "vote": Act(
        url=lambda s: reverse("forum:post-vote", args=[s.target.pk]),
        data=lambda s: {"value": "up"},
        allowed=MEMBERS - {"author"},
        done=lambda s: Vote.objects.filter(post=s.target).exists(),
    ),
    "edit": Act(
        url=lambda s: reverse("forum:post-edit", args=[s.target.pk]),
        data=lambda s: {"body": "Edited."},
        allowed=frozenset({"author"}),
        done=lambda s: fresh(s.target).body == "Edited.",
    ),
    "delete": Act(
        url=lambda s: reverse("forum:post-delete", args=[s.target.pk]),
        allowed=frozenset({"author"}),
        done=lambda s: fresh(s.target).status == Status.DELETED,
    ),
}


def expected(role, act):
    if role == "anonymous":
        return "sent to log in"
    return "done" if role in act.allowed else "refused"


def outcome(response):
    login = reverse("login")
    if response.status_code == 302 and response["Location"].startswith(f"{login}?next="):
        return "sent to log in"
    if response.status_code == 403:
        return "refused"
    if response.status_code in (200, 302):
        return "done"
    return f"status {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTS)
def test_permission_matrix(client, scene, name, role):
    act = ACTS[name]
    act.prepare(scene)
    if role != "anonymous":
        client.force_login(scene.people[role])
    before = stored_state()

    send = client.get if act.method == "get" else client.post
    response = send(act.url(scene), act.data(scene))

    assert outcome(response) == expected(role, act)
    if expected(role, act) == "done":
        assert act.done(scene)
    else:
        assert stored_state() == before
    assert trees.tree_faults() == []


MODERATION_PAGES = {
    name: act for name, act in ACTS.items() if act.allowed == MODERATORS and act.method == "post"
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", MODERATION_PAGES)
def test_each_moderation_form_page_opens_to_moderators_only(client, scene, name, role):
    """Opening an action's page (its confirmation or form) never acts by itself."""
    act = MODERATION_PAGES[name]
    act.prepare(scene)
    if role != "anonymous":
        client.force_login(scene.people[role])
    before = stored_state()

    response = client.get(act.url(scene))

    assert outcome(response) == expected(role, act)
    assert stored_state() == before


def test_an_anonymous_visitor_returns_to_the_action_after_logging_in(client, scene):
    url = reverse("moderation:post-remove", args=[scene.target.pk])

    response = client.post(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_refusal_is_a_403_page_of_the_site(client, scene):
    client.force_login(scene.people["user"])

    response = client.get(reverse("moderation:queue"))

    assert response.status_code == 403
    page = Page(response.content.decode())
    (heading,) = page.find_all("h1")
    assert page.text(heading) == "You may not do that"
    assert "Log out" in page.text(page.find_all("header")[0])  # the site's own page


def test_a_moderation_post_without_the_csrf_token_is_refused(scene):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(scene.people["moderator"])
    url = reverse("moderation:post-remove", args=[scene.target.pk])
    before = stored_state()

    assert browser.post(url, {"reason": "Forged."}).status_code == 403
    assert stored_state() == before

    page = Page(browser.get(url).content.decode())
    (form,) = page.find_all("form", "moderation-form")
    (token,) = (
        field.attrs["value"]
        for field in page.find_all("input")
        if form in field.ancestors() and field.attrs["name"] == "csrfmiddlewaretoken"
    )
    browser.post(url, {"reason": "Real.", "csrfmiddlewaretoken": token})
    assert fresh(scene.target).status == Status.REMOVED


def test_the_admins_moderation_actions_do_nothing_for_staff_without_the_permission(scene):
    browser = Client()
    staff = scene.people["staff"]
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "view_thread"])
    )
    browser.force_login(staff)
    before = stored_state()

    for model, action, pk in [
        ("post", "remove", scene.target.pk),
        ("thread", "lock", scene.thread.pk),
    ]:
        browser.post(
            reverse(f"admin:forum_{model}_changelist"),
            {"action": action, "_selected_action": [pk]},
        )

    assert stored_state() == before
