from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey


def can_moderate(user):
    return user.is_authenticated and user.is_active and user.has_perm("forum.moderate_post")


class Thread(models.Model):
    title = models.CharField(max_length=300)
    # Letters of any script: a title in Cyrillic or Chinese keeps its words in its address.
    slug = models.SlugField(max_length=300, unique=True, allow_unicode=True)
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread",
    )
    # Changed inside every write that changes the thread's pages (forum.rendering.cache), so
    # cached fragments are keyed by it and every worker sees a new one at the write's commit.
    version = models.PositiveBigIntegerField(default=0, editable=False)
    # Changed only by the writes that may change which top-level posts show (a new one, a
    # status change, a move) or, for the second, their order by votes: the list of top-level
    # posts is cached under them (forum.rendering.roots), so a reply or a vote deeper in a tree
    # never makes a reader re-read the whole list.
    roots_version = models.PositiveBigIntegerField(default=0, editable=False)
    roots_score_version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # "<source>:<id>" of an imported discussion, so a second import finds it again.
    external_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    # The post that opened a discussion started in the forum: its author is the discussion's
    # starter. None for an article's discussion, an imported one and one split off by a moderator
    # (its first post opened nothing of its own accord).
    opening_post = models.OneToOneField(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    is_locked = models.BooleanField(default=False)
    lock_reason = models.CharField(max_length=300, blank=True)
    # Every new post waits for a moderator while this is on.
    is_premoderated = models.BooleanField(default=False)
    # Kept by count_published() whenever a post is added or changes status, without counting;
    # update_counts() recounts them from the posts (bulk loads, manage.py recount_threads).
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.article_id:
            return self.article.get_absolute_url()
        return reverse("forum:thread", kwargs={"slug": self.slug})

    def get_forum_url(self):
        return reverse("forum:thread", kwargs={"slug": self.slug})

    @cached_property
    def starter_pk(self):
        """The account that started this discussion: its opening post's author, while that post
        is still in it and still names them (deleting it erases its author)."""
        if self.opening_post_id is None:
            return None
        opening = Post.objects.filter(pk=self.opening_post_id, thread_id=self.pk)
        return opening.values_list("author_id", flat=True).first()

    def is_closed_to(self, user):
        """Whether the lock keeps this user from posting, voting and reporting here."""
        return self.is_locked and not can_moderate(user)

    def count_published(self, delta, *, newest=None):
        """Keep post_count and last_activity_at right after a write that published delta posts
        (unpublished them, if negative), inside the write's transaction.

        Nothing is counted: a reply to a discussion of 100,000 posts costs what one to a
        discussion of ten does. newest is the creation time of the newest post published; when
        posts stop being published, the newest one still published is found on an index."""
        if delta > 0:
            last = Case(
                When(post_count=0, then=Value(newest)),
                default=Greatest(F("last_activity_at"), Value(newest)),
            )
        else:
            still_published = self.posts.filter(status=Post.Status.PUBLISHED)
            newest_left = still_published.order_by("-created_at").values("created_at")[:1]
            last = Coalesce(Subquery(newest_left), F("created_at"))
        Thread.objects.filter(pk=self.pk).update(
            post_count=F("post_count") + delta, last_activity_at=last
        )
        self.refresh_from_db(fields=["post_count", "last_activity_at"])

    def counted(self):
        """(published posts, last activity) as the posts themselves say, reading them all."""
        counted = self.posts.filter(status=Post.Status.PUBLISHED).aggregate(
            count=Count("pk"), last=Max("created_at")
        )
        return counted["count"], counted["last"] or self.created_at

    def update_counts(self):
        """Recount the published posts and the last activity from the posts themselves.

        Reads the whole thread: for bulk loads, which write most of it anyway, and repairs
        (manage.py recount_threads); each single write calls count_published instead."""
        self.post_count, self.last_activity_at = self.counted()
        Thread.objects.filter(pk=self.pk).update(
            post_count=self.post_count, last_activity_at=self.last_activity_at
        )


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    def visible_to(self, user):
        """Posts whose text this user may read."""
        if can_moderate(user):
            return self.exclude(status=Post.Status.DELETED)
        readable = Q(status=Post.Status.PUBLISHED)
        if user.is_authenticated:
            readable |= Q(status=Post.Status.PENDING, author=user)
        return self.filter(readable)

    def awaiting_moderation(self):
        """Pending posts and posts with open flags, newest first, with their open flag count."""
        from .moderation import Flag  # moderation's models refer to Post: import when called

        open_flags = Flag.objects.open().filter(post=OuterRef("pk"))
        return (
            # An author's deletion erased the text: nothing is left to decide on.
            self.filter(Q(status=Post.Status.PENDING) | Exists(open_flags))
            .exclude(status=Post.Status.DELETED)
            .annotate(open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
            .order_by("-created_at", "-pk")
        )


class Post(MPTTModel):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        PENDING = "pending", _("pending")
        REMOVED = "removed", _("removed")
        SPAM = "spam", _("spam")
        DELETED = "deleted", _("deleted")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # Seeded and imported authors are names only; never matched to accounts by name.
    author_name = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown source.")
    body_html = models.TextField(help_text="Rendered and sanitised from body when written.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # An imported comment whose archive gave no readable date: created_at is the importer's guess.
    dated_by_importer = models.BooleanField("dated by the importer", default=False, editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PUBLISHED)
    # "<source>:<id>" of an imported post, so a second import adds only what is new.
    external_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    # Kept by forum.votes in step with the Vote rows, so sorting a page needs no counting.
    upvotes = models.PositiveIntegerField(default=0, editable=False)
    downvotes = models.PositiveIntegerField(default=0, editable=False)
    # The one-time token of the form that made the post: the same form sent again, by a
    # double click or a reload, finds this post instead of making a second one.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class MPTTMeta:
        parent_attr = "parent"

    class Meta:
        indexes = [
            models.Index(fields=["thread", "created_at"], name="post_thread_created"),
            # The newest published post gives a thread's last activity, read after a removal.
            models.Index(fields=["thread", "status", "created_at"], name="post_thread_status"),
            # A discussion page reads its top-level posts first, in time order, then only its
            # own trees; the page of a new reply counts the published top-level posts before its
            # own, on the index alone.
            models.Index(fields=["thread", "level", "created_at"], name="post_thread_level"),
            models.Index(
                fields=["thread", "level", "status", "created_at"], name="post_thread_roots"
            ),
            models.Index(fields=["author", "created_at"], name="post_author_created"),
            # Every logged-in page asks whether its reader has posts held in the thread: without
            # statistics SQLite would read all of the thread's held posts to answer it.
            models.Index(fields=["author", "thread", "status"], name="post_author_thread"),
            models.Index(fields=["status", "created_at"], name="post_status_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="one_post_per_submission"
            ),
        ]
        permissions = [("moderate_post", "Can moderate posts")]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self):
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def score(self):
        return self.upvotes - self.downvotes

    @property
    def anchor(self):
        return f"post-{self.pk}"

    @property
    def is_by_registered_user(self):
        return self.author_id is not None

    @property
    def accepts_replies(self):
        return self.status == self.Status.PUBLISHED

    def text_visible_to(self, user, *, moderator=None):
        """Whether this user may read the post's text (see the status table in the README)."""
        if moderator is None:
            moderator = can_moderate(user)
        if self.status == self.Status.PUBLISHED:
            return True
        if self.status == self.Status.DELETED:
            return False
        if moderator:
            return True
        return (
            self.status == self.Status.PENDING
            and user.is_authenticated
            and self.author_id == user.pk
        )

    @property
    def placeholder(self):
        """What others see in place of a hidden post that still has visible replies."""
        if self.status in (self.Status.REMOVED, self.Status.SPAM):
            return _("[removed]")
        if self.status == self.Status.DELETED:
            return _("[deleted]")
        return None
