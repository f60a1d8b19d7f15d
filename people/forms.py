from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.contrib.auth.forms import SetPasswordForm

from accounts.models import ROLE_ORGANISATION_KIND, Organisation
from core.forms import FormHelper, ModelChoiceField
from core.roles import Role

# Above this many organisations within reach, a person is moved by typing the
# organisation's code instead of choosing from a list.
ORGANISATION_LIST_LIMIT = 300


class _GovForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))


def roles_for(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (role.value, role.label)
        for role, kind in ROLE_ORGANISATION_KIND.items()
        if kind == organisation.kind
    ]


class InvitationForm(_GovForm):
    submit_label = "Send invitation"
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def __init__(self, *args, organisation: Organisation, may_appoint_lead: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = roles_for(organisation)
        self.fields["role"].choices = choices
        if len(choices) == 1:
            self.fields["role"].initial = choices[0][0]
        fields = [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role"),
        ]
        if may_appoint_lead:
            self.fields["laa_lead"] = forms.BooleanField(
                label="Make them the department's LAA lead",
                help_text="The LAA lead answers the requests no policy owner takes, and "
                "invites the department's officials.",
                required=False,
            )
            fields.append(Field.checkbox("laa_lead"))
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))


class AcceptInvitationForm(SetPasswordForm):
    """A new password, checked by the portal's password validators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Confirm password"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Set password and sign in"),
        )


class PlacementForm(_GovForm):
    submit_label = "Save the change"
    role = forms.ChoiceField(
        label="Role",
        choices=[(role.value, role.label) for role in Role],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
    expected = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_code = organisations.count() > ORGANISATION_LIST_LIMIT
        if self.by_code:
            self._organisations = organisations
            self.fields["organisation"] = forms.CharField(
                label="Organisation code",
                help_text="The organisation's code, as in its address (go-north-west) or a "
                "department's abbreviation (DCSF).",
                max_length=120,
                error_messages={"required": "Enter the organisation's code"},
            )
        else:
            self.fields["organisation"] = ModelChoiceField(
                queryset=organisations,
                label="Organisation",
                empty_label="Choose an organisation",
                error_messages={
                    "required": "Choose an organisation",
                    "invalid_choice": "Choose an organisation from the list",
                },
            )
        self.order_fields(["organisation", "role", "expected"])
        self.helper.layout = Layout(
            Field.text("organisation", field_width=Fluid.TWO_THIRDS)
            if self.by_code
            else Field.select("organisation"),
            Field.radios("role"),
            "expected",
            Button("submit", self.submit_label),
        )

    def clean_organisation(self):
        value = self.cleaned_data["organisation"]
        if not self.by_code:
            return value
        code = value.strip()
        organisation = (
            self._organisations.filter(slug__iexact=code).first()
            or self._organisations.filter(
                kind=Organisation.Kind.DEPARTMENT, abbreviation__iexact=code
            ).first()
        )
        if organisation is None:
            raise forms.ValidationError("No organisation within your reach has that code")
        return organisation


class ConfirmForm(_GovForm):
    expected = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, submit_label: str, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class PeopleImportForm(_GovForm):
    submit_label = "Check and invite"
    MAX_BYTES = 2 * 1024 * 1024
    file = forms.FileField(
        label="People file (CSV)",
        help_text="Columns name, email, organisation and role, one person a row. "
        "The file can be up to 2 MB.",
        error_messages={"required": "Choose a CSV file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        return upload
