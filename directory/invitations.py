"""Partners in one step: the coordinator names a person, an e-mail address and an organization;
they get a login in the partner group for that organization and a link to choose their password."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import NoSilentCutFormMixin
from .models import Organization, PartnerProfile
from .roles import PARTNER_GROUP


class PartnerInvitationForm(NoSilentCutFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=150, help_text=gettext_lazy("Vor- und Nachname"),
        widget=forms.TextInput(attrs={"class": "vLargeTextField", "autocomplete": "off"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=gettext_lazy("E-Mail-Adresse"), widget=forms.EmailInput(attrs={"class": "vLargeTextField", "autocomplete": "off"})
    )
    organization = forms.ModelChoiceField(
        Organization.objects.all(),
        label=gettext_lazy("Träger"),
        help_text=gettext_lazy("Die Person pflegt nur die Angebote dieses Trägers."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(_("Für diese E-Mail-Adresse gibt es schon einen Zugang."))
        return email


def set_password_url(user):
    """The absolute address where `user` chooses a password (valid PASSWORD_RESET_TIMEOUT seconds)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL + path


@transaction.atomic
def invite_partner(name, email, organization, invited_by=None):
    """Create the partner's login (group and organization set) and e-mail the link to choose a password."""
    first_name, _sep, last_name = name.strip().rpartition(" ")
    if not first_name:
        first_name, last_name = last_name, ""
    user = get_user_model().objects.create_user(
        username=email, email=email, first_name=first_name[:150], last_name=last_name[:150], is_staff=True
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=PARTNER_GROUP))
    PartnerProfile.objects.create(user=user, organization=organization)
    context = {
        "name": name,
        "organization": organization,
        "link": set_password_url(user),
        "username": user.get_username(),
        "login": settings.SITE_URL + reverse("admin:login"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "invited_by": (invited_by.get_full_name() or invited_by.get_username()) if invited_by else "",
        "SITE_NAME": settings.SITE_NAME,
        "COORDINATOR_NAME": settings.COORDINATOR_NAME,
        "COORDINATOR_EMAIL": settings.COORDINATOR_EMAIL,
        "COORDINATOR_PHONE": settings.COORDINATOR_PHONE,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ihr Zugang zum %(site)s") % {"site": settings.SITE_NAME}
        body = render_to_string("admin/directory/invitation_email.txt", context)
    # Sent after the commit: no e-mail for a login that was rolled back.
    message = EmailMessage(subject, body, to=[email], reply_to=[settings.COORDINATOR_EMAIL])
    transaction.on_commit(message.send)
    return user


class StaffPasswordResetForm(PasswordResetForm):
    """"Passwort vergessen" for admin logins only, including invited partners who never chose one."""

    def get_users(self, email):
        User = get_user_model()
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True, is_staff=True)
            if user.email
        )
