from functools import wraps

from django.http import Http404


def permission_or_404(perm: str):
    """Answer 404, as for a missing page, when the user lacks `perm`: a forbidden page
    and a missing one look the same, so nothing is learnt by probing."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
