"""Changes people make to their own accounts."""

from accounts.models import User


def user_set_notification_frequency(*, user: User, frequency: str) -> User:
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])
    return user
