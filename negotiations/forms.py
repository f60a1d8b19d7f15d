from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms

from agreements.models import NegotiationStatus
from core.forms import FormHelper
from core.text import lower_first
from negotiations.models import Comment, ReviewRating, TargetView
from negotiations.services import ViewAnswer, review_rule_errors, view_answer_error


class _Form(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.fields, Button("submit", self.submit_label))


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_stage = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class SubmitForm(forms.Form):
    """The check-your-answers page's form: the stage the page was drawn at, so a draft that
    moved meanwhile is not submitted twice, and an optional comment for the GO."""

    expected_stage = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="Comment for the Government Office (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # for the error summary; the page draws the fields


class CommentForm(_Form):
    submit_label = "Add comment"
    body = forms.CharField(
        label="Comment",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mention someone by their email address, for example @jo@example.org.",
        error_messages={"required": "Write the comment"},
    )

    def __init__(self, *args, agreement, visibilities, may_challenge, **kwargs):
        fields = {}
        anchors = [(f"section:{value}", label) for value, label in Comment.Section.choices]
        anchors += [
            (
                f"target:{t.pk}",
                (
                    f"Target {t.indicator.code}: {t.indicator.title}"
                    if t.indicator_id
                    else f"Local target: {t.local_title}"
                )[:120],
            )
            for t in agreement.targets.select_related("indicator").order_by(
                "kind", "indicator__number"
            )
        ]
        anchors += [
            (f"funding:{f.pk}", f"Funding stream {f.stream.name}")
            for f in agreement.funding.select_related("stream")
        ]
        fields["anchor"] = forms.ChoiceField(label="About", choices=anchors)
        if may_challenge:
            fields["kind"] = forms.ChoiceField(
                label="Kind",
                choices=Comment.Kind.choices,
                widget=forms.RadioSelect,
                initial=Comment.Kind.COMMENT,
            )
        if len(visibilities) > 1:
            fields["visibility"] = forms.ChoiceField(
                label="Who can see it",
                choices=[(v, Comment.Visibility(v).label) for v in visibilities],
                widget=forms.RadioSelect,
                initial=visibilities[0],
            )
        self.base_fields = {**fields, **dict(CommentForm.base_fields)}
        self.visibilities = visibilities
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("anchor"),
            *([Field.radios("kind", legend_size=Size.SMALL, inline=True)] if may_challenge else []),
            *(
                [Field.radios("visibility", legend_size=Size.SMALL)]
                if len(visibilities) > 1
                else []
            ),
            Field.textarea("body"),
            Button("submit", self.submit_label),
        )

    def anchor(self, agreement) -> dict:
        kind, _, value = self.cleaned_data["anchor"].partition(":")
        if kind == "target":
            return {"target": agreement.targets.get(pk=int(value))}
        if kind == "funding":
            return {"funding": agreement.funding.get(pk=int(value))}
        return {"section": value}


class ReplyForm(_Form):
    submit_label = "Reply"
    body = forms.CharField(
        label="Reply",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the reply"},
    )


AMBITION_FIGURES = (
    "{% load ambition %}{% if agreement %}{% ambition_bottom_quartile agreement %}{% endif %}"
)


class ReviewForm(_Form):
    submit_label = "Save the checklist"

    def __init__(self, *args, ratings, seen, **kwargs):
        fields = {"seen": forms.CharField(widget=forms.HiddenInput, required=False, initial=seen)}
        for criterion, label in ReviewRating.Criterion.choices:
            current = ratings.get(criterion)
            fields[f"{criterion}_rating"] = forms.ChoiceField(
                label=label,
                choices=ReviewRating.Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.rating if current else None,
            )
            fields[f"{criterion}_note"] = forms.CharField(
                label=f"Note on {lower_first(label)}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.note if current else "",
            )
        self.base_fields = fields
        super().__init__(*args, **kwargs)
        parts = []
        for criterion, _ in ReviewRating.Criterion.choices:
            parts += [
                Field.radios(f"{criterion}_rating", legend_size=Size.SMALL, inline=True),
                Field.textarea(f"{criterion}_note"),
            ]
            if criterion == ReviewRating.Criterion.AMBITION:
                # Beside the ambition criterion: the targets in the bottom quarter of all
                # areas (the ambition app's tag, read by the template, not imported here).
                parts.append(HTML(AMBITION_FIGURES))
        self.helper.layout = Layout(*parts, Field("seen"), Button("submit", self.submit_label))

    def clean(self):
        cleaned = super().clean()
        entries = {
            criterion: (
                cleaned.get(f"{criterion}_rating") or "",
                cleaned.get(f"{criterion}_note") or "",
            )
            for criterion, _ in ReviewRating.Criterion.choices
        }
        # The checklist's rules are the service's; the form shows each beside its field.
        for error in review_rule_errors(entries, require_one=not self.errors):
            error.add_to(self)
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=NegotiationStatus.choices,
        error_messages={"required": "Choose a status", "invalid_choice": "Choose a status"},
    )
    # The caveat an item is agreed with; kept if the item already states one.
    caveat = forms.CharField(
        required=False,
        max_length=5000,
        error_messages={"max_length": "The caveat must be 5000 characters or fewer"},
    )
    # The item's version when the page was drawn: its content may have changed since.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was out of date. Check the item and set its status again",
            "invalid": "The page was out of date. Check the item and set its status again",
        },
    )


class AgreeRemainingForm(_Form):
    submit_label = "Agree these items"
    # A stamp of exactly what the page listed: a stale confirmation agrees nothing.
    seen = forms.CharField(widget=forms.HiddenInput)


class ReferralWithdrawForm(_Form):
    submit_label = "Withdraw the referral"
    reason = forms.CharField(
        label="Why the referral is withdrawn",
        help_text="The department sees this reason.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for withdrawing the referral"},
    )


class ReferralViewsForm(forms.Form):
    """A department's views on every target of a referral in its field, in one form: a
    fieldset per target (its opinion, a comment, and the stamp of the view read), and a
    summary for the GO. Fields are named `t<target id>-opinion` and so on."""

    summary = forms.CharField(required=False, max_length=5000)

    def __init__(self, data=None, *, targets, initial_answers=None, initial_summary=""):
        initial: dict[str, str] = {"summary": initial_summary}
        for pk, answer in (initial_answers or {}).items():
            for key in ("opinion", "comment", "seen"):
                initial[f"t{pk}-{key}"] = answer.get(key) or ""
        super().__init__(data, initial=initial)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"t{target.pk}-opinion"] = forms.ChoiceField(
                choices=TargetView.Opinion.choices, required=False
            )
            self.fields[f"t{target.pk}-comment"] = forms.CharField(
                required=False,
                max_length=5000,
                error_messages={"max_length": f"Keep the comment on {target.code} shorter"},
            )
            self.fields[f"t{target.pk}-seen"] = forms.CharField(required=False, max_length=64)

    def value(self, target, key: str) -> str:
        """What the field holds now: the posted value, else the initial one."""
        name = f"t{target.pk}-{key}"
        if self.is_bound:
            return self.data.get(name, "")
        return self.initial.get(name, "")

    def raw_answers(self) -> dict[str, dict[str, str]]:
        """What was posted, target by target, unchecked but for the opinion's choices: what a
        draft keeps."""
        answers = {}
        for target in self.targets:
            opinion = self.value(target, "opinion")
            answers[str(target.pk)] = {
                "opinion": opinion if opinion in TargetView.Opinion.values else "",
                "comment": self.value(target, "comment")[:5000],
                "seen": self.value(target, "seen")[:64],
            }
        return answers

    def clean(self):
        data = super().clean()
        for target in self.targets:
            opinion = data.get(f"t{target.pk}-opinion")
            if opinion:
                error = view_answer_error(
                    ViewAnswer(target, opinion, data.get(f"t{target.pk}-comment") or "")
                )
                if error and f"t{target.pk}-comment" not in self.errors:
                    self.add_error(f"t{target.pk}-comment", error)
        return data

    def answers(self):
        """The views given, as the service takes them (targets left blank are left out)."""
        return [
            ViewAnswer(
                target,
                self.cleaned_data[f"t{target.pk}-opinion"],
                self.cleaned_data.get(f"t{target.pk}-comment") or "",
                self.cleaned_data.get(f"t{target.pk}-seen") or "",
            )
            for target in self.targets
            if self.cleaned_data.get(f"t{target.pk}-opinion")
        ]

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary: each message with the field it links to."""
        links = []
        for name, errors in self.errors.items():
            anchor = f"{name}-support" if name.endswith("-opinion") else name
            if name == "__all__":
                first = self.targets[0] if self.targets else None
                anchor = f"t{first.pk}-opinion-support" if first else "summary"
            links += [(anchor, str(error)) for error in errors]
        return links
