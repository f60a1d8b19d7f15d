"""The sign-in backend: Django's own, reading the signed-in user with their organisation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithOrganisationBackend(ModelBackend):
    """Nearly every page asks for the user's organisation (navigation, permissions, scope):
    reading it with the user on each request saves a query on every one of them."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
