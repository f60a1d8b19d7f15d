from portal.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"navigation": []}
    items = navigation_for(user)
    path = request.path
    # The longest matching prefix is the current section ("/" only matches the home page).
    best = max(
        (
            item
            for item in items
            if path == item.url or (item.url != "/" and path.startswith(item.url))
        ),
        key=lambda item: len(item.url),
        default=None,
    )
    return {"navigation": [(item, item is best) for item in items]}
