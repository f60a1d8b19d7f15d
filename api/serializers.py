"""What the read API returns. Targets are the pages' own presentation
(`agreements.presentation.TargetPresentation`): a value reads as typed, with its units,
places, caveat and status, exactly as every page, version, PDF and export shows it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from agreements.stages import COURT, Stage


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs, request=request)


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class RoundSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable key of the round, e.g. '2008-11'.")
    name = serializers.CharField()
    structure = serializers.CharField()
    first_year = serializers.IntegerField()
    year_count = serializers.IntegerField()
    years = serializers.ListField(child=serializers.CharField())
    designated_target_cap = serializers.IntegerField(allow_null=True)
    statutory_targets_apply = serializers.BooleanField()
    statutory_note = serializers.CharField()
    is_current = serializers.BooleanField()
    url = serializers.SerializerMethodField()
    agreed_targets_url = serializers.SerializerMethodField()

    def get_url(self, round_) -> str:
        return _url(self.context.get("request"), "round-detail", slug=round_.slug)

    def get_agreed_targets_url(self, round_) -> str:
        return _url(self.context.get("request"), "agreed-targets", slug=round_.slug)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable key, e.g. 'NI 120'.")
    number = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    theme = serializers.CharField()
    lead_department = OrganisationRefSerializer()
    units = serializers.CharField()
    polarity = serializers.CharField()
    polarity_label = serializers.CharField(source="get_polarity_display")
    source = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, indicator) -> str:
        return _url(self.context.get("request"), "indicator-detail", slug=indicator.slug)


class AreaSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    ons_code = serializers.CharField(help_text="The area's current ONS code: a stable key.")
    tier = serializers.CharField()
    tier_label = serializers.CharField(source="get_tier_display")
    government_office = OrganisationRefSerializer()
    url = serializers.SerializerMethodField()

    def get_url(self, area) -> str:
        return _url(self.context.get("request"), "area-detail", slug=area.slug)


class WhoseTurnSerializer(serializers.Serializer):
    party = serializers.CharField(help_text="locality, go, departments, signatories or nobody")
    text = serializers.CharField(help_text="As the portal's pages say it.")


class VersionRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    url = serializers.URLField()


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.CharField(source="round.slug")
    area = serializers.CharField(source="area.slug")
    area_name = serializers.CharField(source="area.name")
    area_ons_code = serializers.CharField(source="area.ons_code")
    government_office = serializers.CharField(source="area.government_office.slug")
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField(source="get_stage_display")
    whose_turn = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()
    signed_version = serializers.SerializerMethodField()
    signed_at = serializers.DateTimeField(allow_null=True)
    changed_at = serializers.DateTimeField(
        help_text="When the agreement or its versions last changed (for the change feed)."
    )
    url = serializers.SerializerMethodField()

    def _version(self, agreement, number) -> dict | None:
        if number is None:
            return None
        return {
            "number": number,
            "url": _url(
                self.context.get("request"),
                "version-detail",
                round=agreement.round.slug,
                area=agreement.area.slug,
                number=number,
            ),
        }

    @extend_schema_field(WhoseTurnSerializer)
    def get_whose_turn(self, agreement) -> dict:
        turns = self.context.get("turns", {})
        return {
            "party": COURT[Stage(agreement.stage)].value,
            "text": turns.get(agreement.pk, ""),
        }

    @extend_schema_field(VersionRefSerializer(allow_null=True))
    def get_latest_version(self, agreement) -> dict | None:
        return self._version(agreement, agreement.latest_version_number)

    @extend_schema_field(VersionRefSerializer(allow_null=True))
    def get_signed_version(self, agreement) -> dict | None:
        return self._version(agreement, agreement.signed_version_number)

    def get_url(self, agreement) -> str:
        return _url(
            self.context.get("request"),
            "agreement-detail",
            round=agreement.round.slug,
            area=agreement.area.slug,
        )


class YearValueSerializer(serializers.Serializer):
    year = serializers.CharField()
    value = serializers.CharField(help_text="As typed, without units; '' when not given.")
    places = serializers.IntegerField(allow_null=True, help_text="Decimal places typed.")
    text = serializers.CharField(help_text="As the pages show it, with units.")


class DistrictPartSerializer(serializers.Serializer):
    district = serializers.CharField()
    value = serializers.CharField()
    text = serializers.CharField()


class BaselineSerializer(serializers.Serializer):
    value = serializers.CharField(source="baseline_value")
    places = serializers.IntegerField(source="baseline_places", allow_null=True)
    year = serializers.CharField(source="baseline_year")
    due_by = serializers.CharField(source="baseline_by", help_text="'March 2009' and the like.")
    due_by_iso = serializers.CharField(source="baseline_by_iso")
    text = serializers.CharField(source="baseline_text")


class TargetSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="Stable within the agreement: the indicator's code, or 'local:<id>'."
    )
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    indicator_code = serializers.SerializerMethodField()
    title = serializers.CharField()
    label = serializers.CharField()
    definition = serializers.CharField()
    units = serializers.CharField()
    lead_department = serializers.CharField()
    outcome = serializers.CharField()
    polarity_label = serializers.CharField()
    baseline = BaselineSerializer(source="*")
    years = YearValueSerializer(many=True)
    is_qualitative = serializers.BooleanField()
    statement = serializers.CharField()
    is_stretch = serializers.BooleanField()
    is_deferred = serializers.BooleanField()
    caveats = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    statutory_state = serializers.CharField()
    statutory_state_label = serializers.CharField()
    lead_partner = serializers.CharField()
    contributing_partners = serializers.ListField(child=serializers.CharField())
    district_parts = DistrictPartSerializer(many=True)

    def get_indicator_code(self, target) -> str:
        return target.code if target.is_national_indicator else ""


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    is_signed = serializers.BooleanField()
    url = serializers.URLField()


class FrozenRequestSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField()
    state = serializers.CharField()
    outcome = serializers.CharField(help_text="Given once the GO has relayed the answer.")
    reason = serializers.CharField()
    alternative = serializers.CharField()


class ThemeSerializer(serializers.Serializer):
    name = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    is_signed = serializers.BooleanField()
    round = serializers.CharField()
    area = serializers.CharField()
    years = serializers.ListField(child=serializers.CharField())
    statutory_note = serializers.CharField()
    story_of_place = serializers.CharField()
    governance = serializers.CharField()
    themes = ThemeSerializer(many=True)
    targets = TargetSerializer(many=True)
    funding = serializers.ListField(child=serializers.DictField())
    requests = FrozenRequestSerializer(many=True)
    differences_url = serializers.URLField()


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    reason = serializers.CharField()
    alternative = serializers.CharField()
    decided_as = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    relayed = serializers.BooleanField()
    relay_comment = serializers.CharField()


class FreedomRequestSerializer(serializers.Serializer):
    reference = serializers.CharField()
    number = serializers.IntegerField()
    round = serializers.CharField(source="agreement.round.slug")
    area = serializers.CharField(source="agreement.area.slug")
    area_ons_code = serializers.CharField(source="agreement.area.ons_code")
    government_office = serializers.CharField(source="agreement.area.government_office.slug")
    title = serializers.CharField()
    topic = serializers.CharField()
    obstacle_kind = serializers.CharField()
    obstacle = serializers.CharField()
    ask = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    department = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    is_late = serializers.BooleanField()
    answer = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_department(self, request) -> str:
        return request.department.abbreviation if request.department_id else ""

    @extend_schema_field(AnswerSerializer(allow_null=True))
    def get_answer(self, request) -> dict | None:
        """The answer as the person reading may hear it: the locality and its partners
        once the GO has relayed it (`freedoms.see_outcome`)."""
        user = self.context["request"].user
        if not request.outcome or not user.has_perm("freedoms.see_outcome", request):
            return None
        relayed = request.state == "relayed"
        return {
            "outcome": request.outcome,
            "outcome_label": request.get_outcome_display(),
            "reason": request.reason,
            "alternative": request.alternative,
            "decided_as": request.decided_as,
            "decided_at": request.decided_at,
            "relayed": relayed,
            "relay_comment": request.relay_comment if relayed else "",
        }

    def get_url(self, request) -> str:
        return _url(
            self.context.get("request"),
            "request-detail",
            round=request.agreement.round.slug,
            area=request.agreement.area.slug,
            number=request.number,
        )


class BriefSerializer(serializers.Serializer):
    department = serializers.SerializerMethodField()
    topics = serializers.CharField()
    positions = serializers.CharField()
    no_go = serializers.CharField()
    updated_at = serializers.DateTimeField()

    def get_department(self, brief) -> str:
        return brief.department.abbreviation if brief.department_id else ""


class AgreedTargetRowSerializer(serializers.Serializer):
    round = serializers.CharField()
    area_ons_code = serializers.CharField()
    indicator_code = serializers.CharField(help_text="'' for a local target of its own.")
    target_key = serializers.CharField()
    area = serializers.CharField()
    area_name = serializers.CharField()
    government_office = serializers.CharField()
    signed_version = serializers.IntegerField()
    signed_at = serializers.DateTimeField(allow_null=True)
    kind = serializers.CharField()
    title = serializers.CharField()
    units = serializers.CharField()
    baseline = serializers.CharField()
    baseline_places = serializers.IntegerField(allow_null=True)
    baseline_year = serializers.CharField()
    baseline_due_by = serializers.CharField()
    baseline_text = serializers.CharField()
    years = YearValueSerializer(many=True)
    is_qualitative = serializers.BooleanField()
    statement = serializers.CharField()
    is_stretch = serializers.BooleanField()
    is_deferred = serializers.BooleanField()
    caveats = serializers.CharField()
    lead_partner = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    statutory_state_label = serializers.CharField()


class AgreedTargetsSerializer(serializers.Serializer):
    round = serializers.CharField()
    years = serializers.ListField(child=serializers.CharField())
    agreements = serializers.IntegerField()
    count = serializers.IntegerField()
    rows = AgreedTargetRowSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["agreement", "version"])
    changed_at = serializers.DateTimeField()
    round = serializers.CharField()
    area = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    url = serializers.URLField()


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    next_since = serializers.DateTimeField(
        help_text="Pass as `since` on the next poll: nothing at or before it is repeated."
    )
    has_more = serializers.BooleanField()
    changes = ChangeSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errors = serializers.DictField(required=False)
