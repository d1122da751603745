"""Create an editor's account: staff (can open /admin/), in the "Éditeurs" group, never a superuser.

python manage.py create_editor USERNAME [--email ADDRESS]

The password is read from DJANGO_EDITOR_PASSWORD when set (scripts, CI), else asked twice on the terminal.
It must pass the project's password validators (AUTH_PASSWORD_VALIDATORS); on any problem nothing is created
and the command exits with status 1 and a message saying why.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS_GROUP = "Éditeurs"
PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"


def editor_create(*, username: str, password: str, email: str = ""):
    """Create a staff account in the editors' group after checking the username and the password."""
    User = get_user_model()
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        raise CommandError(
            f"Le groupe « {EDITORS_GROUP} » n’existe pas : lancez d’abord `python manage.py migrate`."
        )
    if User.objects.filter(username=username).exists():
        raise CommandError(f"Le compte « {username} » existe déjà : rien n’a été créé.")
    user = User(username=username, email=email, is_staff=True, is_superuser=False)
    try:
        # Username characters and length, e-mail syntax: the same checks as the admin's user form.
        user.clean_fields(exclude=["password"])
    except ValidationError as error:
        raise CommandError(_problems("Identifiant ou adresse refusés", error)) from error
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise CommandError(_problems("Mot de passe refusé", error)) from error
    user.set_password(password)
    with transaction.atomic():
        user.save()
        user.groups.add(group)
    return user


def _problems(title: str, error: ValidationError) -> str:
    return f"{title}, rien n’a été créé :\n" + "\n".join(f"  - {message}" for message in error.messages)


class Command(BaseCommand):
    help = (
        "Crée un compte d’éditeur (accès au bureau des éditeurs, groupe « Éditeurs », pas superutilisateur). "
        f"Mot de passe lu dans {PASSWORD_VARIABLE}, sinon demandé deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de connexion")
        parser.add_argument("--email", default="", help="adresse électronique (facultative)")

    def handle(self, *args, username: str, email: str, **options):
        user = editor_create(username=username, password=self.read_password(), email=email)
        self.stdout.write(
            self.style.SUCCESS(
                f"Éditeur « {user.username} » créé : il peut se connecter sur /admin/ "
                f"(groupe « {EDITORS_GROUP} »)."
            )
        )

    def read_password(self) -> str:
        """The password from the environment, else typed twice on a terminal (never echoed)."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                f"Aucun terminal pour saisir le mot de passe : définissez {PASSWORD_VARIABLE} "
                "ou lancez la commande dans un terminal."
            )
        password = getpass.getpass("Mot de passe : ")
        if not password:
            raise CommandError("Mot de passe vide : rien n’a été créé.")
        if getpass.getpass("Mot de passe (encore) : ") != password:
            raise CommandError("Les deux mots de passe diffèrent : rien n’a été créé.")
        return password
