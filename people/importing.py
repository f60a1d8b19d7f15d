"""A round's people from a CSV file: name, email, organisation, role.

The whole file is checked before anyone is invited; every problem is reported with its row
and column, and a file with any problem invites nobody (as the targets import does).
Reading is bounded: a file larger than MAX_BYTES or with more than MAX_ROWS people is
refused without reading further.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import Organisation, User
from agreements.importing import ImportProblem, ImportRejected
from core.roles import Role
from people.permissions import Placement
from people.services import PersonToInvite

COLUMNS = ["name", "email", "organisation", "role"]
MAX_ROWS = 5000  # a round has about 2,000 people
MAX_BYTES = 2 * 1024 * 1024
ECHO_LENGTH = 40


def _refuse(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(None, "file", message)])


def _echo(text: str) -> str:
    return text if len(text) <= ECHO_LENGTH else text[:ECHO_LENGTH] + "…"


def template_csv() -> str:
    return ",".join(COLUMNS) + "\r\n"


def _rows(content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise _refuse("The file must be smaller than 2 MB")
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    rows = []
    try:
        for number, row in enumerate(csv.reader(stream), start=1):
            if number > MAX_ROWS + 1:
                if any(cell.strip() for cell in row):
                    raise _refuse(f"The file may list at most {MAX_ROWS:,} people")
                continue
            rows.append(row)
    except UnicodeDecodeError as exc:
        raise _refuse("The file must be saved as UTF-8 text (in Excel, choose CSV UTF-8)") from exc
    except csv.Error as exc:
        raise _refuse("The file cannot be read as CSV. Save it again as CSV UTF-8") from exc
    return rows


def _organisations(codes: set[str]) -> dict[str, Organisation]:
    """Organisations by code, lower-cased: the slug, or a department's abbreviation."""
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(slug__in=codes).select_related("area"):
        found[organisation.slug.lower()] = organisation
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).exclude(
        abbreviation=""
    )
    for organisation in departments:
        if organisation.abbreviation.lower() in codes:
            found.setdefault(organisation.abbreviation.lower(), organisation)
    return found


def parse(content: bytes) -> list[PersonToInvite]:
    """The people in the file, or ImportRejected with every problem found."""
    rows = _rows(content)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise _refuse(
            "The file is empty: its first row must name the columns " + ", ".join(COLUMNS)
        )
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportRejected(
            [
                ImportProblem(1, column, "this column is missing from the first row")
                for column in missing
            ]
        )
    index = {column: header.index(column) for column in COLUMNS}
    records: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            column: (row[position].strip() if position < len(row) else "")
            for column, position in index.items()
        }
        records.append((number, cells))
    if not records:
        raise _refuse("The file lists nobody: add one person a row below the column names")

    codes = {cells["organisation"].lower() for _, cells in records if cells["organisation"]}
    organisations = _organisations(codes)
    emails = [cells["email"].lower() for _, cells in records if cells["email"]]
    taken = set(
        User.objects.filter(email__in=emails)
        .exclude(password__startswith="!", last_login__isnull=True)
        .values_list("email", flat=True)
    )
    # Someone invited before whose invitation is still open is refused too.
    taken |= set(
        User.objects.filter(
            email__in=emails,
            invitations__accepted_at__isnull=True,
            invitations__revoked_at__isnull=True,
        ).values_list("email", flat=True)
    )

    problems: list[ImportProblem] = []
    people: list[PersonToInvite] = []
    seen: dict[str, int] = {}
    for number, cells in records:
        before = len(problems)

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(ImportProblem(number, column, message))

        if not cells["name"]:
            problem("name", "enter the person's name")
        elif len(cells["name"]) > 150:
            problem("name", "the name must be 150 characters or fewer")
        email = cells["email"].lower()
        if not email:
            problem("email", "enter the person's e-mail address")
        else:
            try:
                validate_email(email)
            except ValidationError:
                problem("email", f"“{_echo(cells['email'])}” is not an e-mail address")
            else:
                if email in seen:
                    problem("email", f"this address is also on row {seen[email]}")
                elif email in taken:
                    problem("email", "this address already has an account or an invitation")
                seen.setdefault(email, number)
        organisation = organisations.get(cells["organisation"].lower())
        if not cells["organisation"]:
            problem("organisation", "enter the organisation's code")
        elif organisation is None:
            problem(
                "organisation", f"no organisation has the code “{_echo(cells['organisation'])}”"
            )
        role = cells["role"].lower()
        if role not in Role.values:
            problem(
                "role",
                f"“{_echo(cells['role'])}” is not a role: use one of " + ", ".join(Role.values),
            )
        elif organisation is not None and not Placement(organisation, role).is_consistent:
            problem(
                "role",
                f"a {Role(role).label} cannot belong to {organisation} "
                f"({organisation.get_kind_display()})",
            )
        if len(problems) == before and organisation is not None:
            people.append(PersonToInvite(cells["name"], email, organisation, role))
    if problems:
        raise ImportRejected(problems)
    return people
