"""Who may see a job and download its file: the person who asked for it (while they may
still see its agreement); for the national team's exports, any admin."""

import rules

from accounts.permissions import is_admin


@rules.predicate
def is_requester(user, job) -> bool:
    return job is not None and job.requested_by_id == user.pk


@rules.predicate
def is_export(user, job) -> bool:
    return job is not None and job.is_export


@rules.predicate
def may_see_its_agreement(user, job) -> bool:
    return job is not None and (
        job.agreement_id is None or user.has_perm("agreements.see_agreement", job.agreement)
    )


rules.add_perm(
    "jobs.see_job",
    (is_requester & ~is_export & may_see_its_agreement) | (is_admin & is_export),
)
# The round exports (every signed agreement, every target, every request and answer).
rules.add_perm("jobs.run_exports", is_admin)
