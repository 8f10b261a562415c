"""Authors → users with author profiles (no usable password), or existing users by --author-map."""

import re
import zlib

from django.contrib.auth import get_user_model

from blog.models import AuthorProfile
from wordpress import wxr
from wordpress.models import ImportedItem
from wordpress.services.report import ImportFailed
from wordpress.services.state import ImportState
from wordpress.services.values import Kind, fingerprint, plain_text


class AuthorsStep(ImportState):
    """Authors first: every post and comment step asks `user_for`."""

    def import_authors(self) -> None:
        User = get_user_model()
        for login, username in self.author_map.items():
            if not User.objects.filter(username=username).exists():
                raise ImportFailed(
                    f"--author-map sends {login!r} to {username!r}, and there is no such user "
                    "here; nothing was imported."
                )
            if login not in self.authors:
                self.report.note(f"--author-map names {login!r}, who is not in the export")
        self.users: dict[str, object] = {}
        known = self.mapped(Kind.AUTHOR)
        for login, author in self.authors.items():
            self.users[login] = self._author_user(author, known)

    def _author_user(self, author: wxr.Author, known: dict[int, ImportedItem]):
        User = get_user_model()
        if author.login in self.author_map:
            self.report.count("authors", "mapped")
            return User.objects.get(username=self.author_map[author.login])
        key = author.wp_id or zlib.crc32(author.login.encode())
        display = plain_text(author.display_name) or author.login
        print_fp = fingerprint(author.login, author.email, display, author.first_name,
                               author.last_name)  # fmt: skip
        earlier = known.get(key)
        user = User.objects.filter(pk=earlier.object_id).first() if earlier else None
        if user is not None:
            if earlier.fingerprint == print_fp:
                self.report.count("authors", "unchanged")
                return user
            outcome = "updated"
        else:
            username = re.sub(r"[^\w.@+-]", "", author.login)[:150] or f"wordpress-{key}"
            same = User.objects.filter(username=username).first()
            if same is not None and author.email and same.email.lower() == author.email.lower():
                self.report.note(f"author {author.login!r} is the user {username!r} already here")
                self.report.count("authors", "matched")
                self.remember(Kind.AUTHOR, key, same, fp=print_fp)
                return same
            if same is not None:
                base, n = username[:140], 2
                while User.objects.filter(username=f"{base}-{n}").exists():
                    n += 1
                self.report.note(
                    f"author {author.login!r}: the username is taken here by someone else; "
                    f"imported as {base}-{n}"
                )
                username = f"{base}-{n}"
            user = User(username=username)
            user.set_unusable_password()  # they choose one through a password reset
            outcome = "created"
        user.email = author.email if "@" in author.email else ""
        user.first_name = plain_text(author.first_name)[:150]
        user.last_name = plain_text(author.last_name)[:150]
        user.save()
        AuthorProfile.objects.update_or_create(user=user, defaults={"display_name": display[:120]})
        self.remember(Kind.AUTHOR, key, user, fp=print_fp)
        self.report.count("authors", outcome)
        return user

    def user_for(self, login: str, item: wxr.Item):
        if login in self.users:
            return self.users[login]
        if not login:
            login = next(iter(self.authors), "") or "wordpress"
            self.report.note(f"{item.label}: no author in the export; given to {login!r}")
            if login in self.users:
                return self.users[login]
        else:
            self.report.note(
                f"{item.label}: author {login!r} is not in the export's author list; "
                "created from the login alone"
            )
        author = wxr.Author(None, login, "", login, "", "")
        self.users[login] = self._author_user(author, self.mapped(Kind.AUTHOR))
        return self.users[login]
