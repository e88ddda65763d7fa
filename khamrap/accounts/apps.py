from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "khamrap.accounts"
    label = "accounts"
