"""Banning a user and lifting a ban, from the moderation pages."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ... import moderation
from ...next_page import next_page
from .. import queue as moderation_queue
from ..forms import BanForm
from .actions import Action, confirm_and_act, form_status, moderator_required


@moderator_required
def user_ban(request, pk):
    member = get_object_or_404(get_user_model(), pk=pk)
    form = BanForm(request.POST if request.method == "POST" else None)
    back = next_page(request, reverse("moderation:queue"))
    if form.is_valid():
        try:
            moderation.ban_user(
                user=member,
                moderator=request.user,
                reason=form.cleaned_data["reason"],
                until=form.ban_until(),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, _("%(name)s is banned.") % {"name": member.get_username()})
            return HttpResponseRedirect(back)
    context = {
        "member": member,
        "ban": moderation_queue.bans_in_force([member.pk]).get(member.pk),
        "form": form,
        "back": back,
    }
    return render(request, "moderation/ban.html", context, status=form_status(form))


@moderator_required
def user_unban(request, pk):
    member = get_object_or_404(get_user_model(), pk=pk)
    action = Action(
        _("Lift the ban"),
        moderation.unban_user,
        _("%(name)s may post again.") % {"name": member.get_username()},
    )
    back = reverse("moderation:user-ban", kwargs={"pk": member.pk})
    return confirm_and_act(
        request, action, subject={"user": member}, context={"member": member}, back=back
    )
