from django.apps import AppConfig


class FreedomsConfig(AppConfig):
    name = "freedoms"
    verbose_name = "Freedoms and flexibilities"
