"""The admin's upload page for comment archives: the same import as manage.py import_comments."""

from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ..models import Post, can_moderate
from . import ImportFailed
from .placement import ORPHAN_POLICIES
from .runner import FRONT_ENDS, run_import

MB = 1024 * 1024
# About fifteen seconds of importing, within a web request's time limit; larger archives are
# imported on the server with manage.py import_comments, which has no limit. Memory is not what
# limits it: Django spools an upload past FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and
# the import reads that 16 KB at a time (forum/archives/xmlsafety.py).
MAX_UPLOAD_SIZE = 32 * MB
FORM_OVERHEAD = 64 * 1024  # the other fields and the multipart boundaries around the file
FORMAT_NAMES = {
    "disqus": _("Disqus XML export (.xml or .xml.gz)"),
    "wxr": _("WordPress export (WXR 1.0 to 1.2)"),
    "json": _("Parley JSON"),
}
ORPHAN_NAMES = {
    "skip": _("Skip them, with their replies, and list them in the report"),
    "attach": _("Make them top-level posts"),
}


def can_import(user):
    return user.is_active and user.is_staff and user.has_perm("forum.add_post")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archive"),
        help_text=_(
            "At most %(size)d MB. Import larger archives on the server with "
            "“manage.py import_comments FILE --format FORMAT”."
        )
        % {"size": MAX_UPLOAD_SIZE // MB},
    )
    format = forms.ChoiceField(choices=[(name, FORMAT_NAMES[name]) for name in FRONT_ENDS])
    orphans = forms.ChoiceField(
        label=_("Posts whose parent is missing"),
        choices=[(policy, ORPHAN_NAMES[policy]) for policy in ORPHAN_POLICIES],
        initial="skip",
        widget=forms.RadioSelect,
    )
    strict = forms.BooleanField(
        label=_("Refuse a damaged file"),
        required=False,
        help_text=_(
            "Otherwise an XML file that is not well-formed is read as far as it can be, and "
            "the report lists what was repaired or left out."
        ),
    )
    update = forms.BooleanField(
        label=_("Let the file win"),
        required=False,
        help_text=_(
            "Where the file and this site disagree on a post already here, take the file's "
            "status and text; each change goes into the moderation log in your name. Without "
            "it, this site's are kept and the report lists each conflict."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Read and check everything, report what would change, and save nothing."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_update(self):
        # Letting the file win overrules moderators' decisions: a moderator's call to make.
        if self.cleaned_data["update"] and not can_moderate(self.user):
            raise ValidationError(
                _("Only moderators may let a file overrule this site's decisions."),
                code="not_a_moderator",
            )
        return self.cleaned_data["update"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_SIZE:
            raise ValidationError(too_large_message(), code="too_large")
        return file


def too_large_message():
    return _(
        "The archive is larger than %(size)d MB: import it on the server with "
        "“manage.py import_comments”."
    ) % {"size": MAX_UPLOAD_SIZE // MB}


def import_view(request, *, admin_site=admin.site):
    """Import an uploaded archive and show the report, or why nothing was imported."""
    if not can_import(request.user):
        raise PermissionDenied
    report = failure = None
    status = 200
    if request.method == "POST" and _declared_size(request) > MAX_UPLOAD_SIZE + FORM_OVERHEAD:
        # Refused before Django reads the body: nothing of it reaches the disk.
        form, failure, status = ImportForm(user=request.user), too_large_message(), 413
    else:
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if form.is_valid():
            try:
                report = run_import(
                    form.cleaned_data["file"],
                    format=form.cleaned_data["format"],
                    dry_run=form.cleaned_data["dry_run"],
                    orphans=form.cleaned_data["orphans"],
                    strict=form.cleaned_data["strict"],
                    update=form.cleaned_data["update"],
                    moderator=request.user,
                )
            except ImportFailed as error:
                failure = _("Nothing was imported: %(reason)s") % {"reason": error}
                status = 400
        elif form.is_bound:
            status = 400
    context = {
        **admin_site.each_context(request),
        "title": _("Import comments"),
        "opts": Post._meta,
        "form": form,
        "report": report,
        "failure": failure,
    }
    return TemplateResponse(request, "admin/forum/import_comments.html", context, status=status)


def _declared_size(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ImportCommentsMixin:
    """For the Post admin: the upload page at import/, linked from the change list."""

    change_list_template = "admin/forum/post/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(partial(import_view, admin_site=self.admin_site))
        return [path("import/", view, name="forum_post_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": can_import(request.user)}
        return super().changelist_view(request, extra_context)
