"""Writes to users, teams, invites and password resets, in small named functions.

Each function is one transaction. One-time links are claimed with a
conditional update, so a link used twice at once still works only once.
Tokens are kept only as SHA-256 hashes: a copy of the database holds no
working link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import (
    ROLES,
    Assignment,
    Attempt,
    Invite,
    LessonRead,
    Membership,
    PasswordReset,
    Team,
    TeamAssignment,
    User,
    utcnow,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_NAME_LENGTH = 100


class DuplicateEmail(Exception):
    """Another account already uses this email address."""


class LinkUnusable(Exception):
    """A one-time link that does not exist, has expired or was already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" | "expired" | "used"


def normal_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A hash to check against when the email is unknown, so both answers take as long.
_NO_USER_HASH = generate_password_hash(secrets.token_urlsafe(16))


def find_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normal_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None, in the same time either way."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_NO_USER_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def create_user(email: str, name: str, password: str, role: str = "learner", language: str = "en"):
    """A new account. Raises :class:`DuplicateEmail` if the address is taken."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(
        email=normal_email(email),
        name=name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        language=language,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DuplicateEmail from None
    return user


def register(email: str, name: str, password: str, language: str) -> User:
    user = create_user(email, name, password, "learner", language)
    db.session.commit()
    return user


def signed_in(user: User, visitor_key: str | None) -> None:
    """Record a sign-in and hand the visitor's anonymous attempts to the user.

    Where both have an attempt in progress at the same quiz, the user's own
    stays and the visitor's is left (abandoned), since only one may be open.
    """
    user.last_sign_in_at = utcnow()
    if visitor_key:
        open_ = Attempt.submitted_at.is_(None) & Attempt.abandoned_at.is_(None)
        users_open = select(Attempt.quiz_id).where(Attempt.owner_key == user.owner_key, open_)
        db.session.execute(
            update(Attempt)
            .where(Attempt.owner_key == visitor_key, open_, Attempt.quiz_id.in_(users_open))
            .values(abandoned_at=utcnow())
        )
        db.session.execute(
            update(Attempt).where(Attempt.owner_key == visitor_key).values(owner_key=user.owner_key)
        )
    db.session.commit()


def update_profile(user: User, name: str, language: str) -> None:
    user.name = name.strip()
    user.language = language
    db.session.commit()


def save_language(user: User, language: str) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(language=language))
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and sign out every other session of the user."""
    user.password_hash = generate_password_hash(new_password)
    user.session_version = (user.session_version or 0) + 1
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    """Disable or enable an account; a disabled one is signed out on its next request."""
    user.active = active
    if not active:
        user.session_version = (user.session_version or 0) + 1
    db.session.commit()


def set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user.role = role
    db.session.commit()


class OwnsTeams(Exception):
    """A manager who still owns teams cannot be deleted: hand them over first."""


def delete_account(user: User) -> None:
    """Delete the user and everything that is theirs: attempts, answers, progress."""
    if db.session.scalar(select(func.count()).select_from(Team).where(Team.manager_id == user.id)):
        raise OwnsTeams
    db.session.execute(delete(Attempt).where(Attempt.owner_key == user.owner_key))
    db.session.execute(delete(LessonRead).where(LessonRead.user_id == user.id))
    db.session.delete(user)
    db.session.commit()


# --- Teams -----------------------------------------------------------------


def create_team(name: str, manager: User) -> Team:
    team = Team(name=name.strip(), manager_id=manager.id)
    db.session.add(team)
    db.session.commit()
    return team


def hand_over(team: Team, manager: User) -> None:
    """Give the team to another manager (an admin's decision)."""
    if manager.role not in ("manager", "admin"):
        raise ValueError("only a manager or an admin can manage a team")
    team.manager_id = manager.id
    db.session.commit()


def managers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(("manager", "admin")), User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def teams_visible_to(user: User) -> list[Team]:
    """An admin sees every team; a manager the teams they own."""
    query = select(Team).order_by(Team.name, Team.id)
    if user.role != "admin":
        query = query.where(Team.manager_id == user.id)
    return list(db.session.scalars(query))


def can_manage_team(user: User, team: Team) -> bool:
    return user.role == "admin" or (user.role == "manager" and team.manager_id == user.id)


def can_manage_learner(user: User, learner: User) -> bool:
    """An admin manages everyone; a manager the members of their teams."""
    if user.role == "admin":
        return True
    if user.role != "manager":
        return False
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Team, Team.id == Membership.team_id)
            .where(Membership.user_id == learner.id, Team.manager_id == user.id)
        )
    )


def members_of(team: Team) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team.id)
            .order_by(User.name, User.id)
        )
    )


def teams_of(user: User) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user.id)
            .order_by(Team.name)
        )
    )


NEWCOMER_DAYS = 7


def _due_for_newcomer(due_at):
    """The team's due date, or a week from now for someone joining after it has passed."""
    now = utcnow()
    return due_at if due_at > now else now + timedelta(days=NEWCOMER_DAYS)


def join_team(user: User, team: Team) -> bool:
    """Add the user to the team and give them the team's paths. False if already in it."""
    db.session.add(Membership(team_id=team.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    # Paths assigned to the whole team reach whoever joins later, with the same
    # rules; a due date already past gives the newcomer a week.
    for team_path in db.session.scalars(
        select(TeamAssignment).where(TeamAssignment.team_id == team.id)
    ):
        try:
            with db.session.begin_nested():
                db.session.add(
                    Assignment(
                        path_id=team_path.path_id,
                        learner_id=user.id,
                        team_id=team.id,
                        assigned_by=team_path.assigned_by,
                        due_at=_due_for_newcomer(team_path.due_at),
                        attempt_limit=team_path.attempt_limit,
                        counts=team_path.counts,
                        mode=team_path.mode,
                    )
                )
        except IntegrityError:  # already assigned this path through another team
            pass
    return True


# --- One-time links ----------------------------------------------------------


def create_invite(
    team: Team, created_by: User, language: str, days: int, email: str | None = None
) -> str:
    """A new invite to the team; returns the token (only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    db.session.add(
        Invite(
            token_hash=token_hash(token),
            team_id=team.id,
            email=normal_email(email) if email else None,
            language=language,
            created_by=created_by.id,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    db.session.commit()
    return token


def _usable(link, now) -> None:
    if link is None:
        raise LinkUnusable("unknown")
    if link.used_at is not None:
        raise LinkUnusable("used")
    if link.expires_at <= now:
        raise LinkUnusable("expired")


def find_invite(token: str) -> Invite:
    """The invite behind a token, if it can still be used; else :class:`LinkUnusable`."""
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    _usable(invite, utcnow())
    return invite


def accept_invite(invite: Invite, user: User) -> None:
    """Claim the invite for this user and add them to its team, in one transaction.

    The user may have just been created in the same transaction (flushed, not
    committed): if the invite was claimed meanwhile, nothing is kept.
    """
    claimed = db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.expires_at > utcnow())
        .values(used_at=utcnow(), used_by=user.id)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise LinkUnusable("used")
    join_team(user, invite.team)
    db.session.commit()


def pending_invites(team: Team) -> list[Invite]:
    return list(
        db.session.scalars(
            select(Invite)
            .where(
                Invite.team_id == team.id, Invite.used_at.is_(None), Invite.expires_at > utcnow()
            )
            .order_by(Invite.created_at.desc())
        )
    )


def revoke_invite(invite: Invite) -> None:
    db.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(expires_at=utcnow())
    )
    db.session.commit()


def create_reset(user: User, created_by: User | None, hours: int) -> str:
    """A new one-time password reset link for the user; returns the token."""
    token = secrets.token_urlsafe(24)
    db.session.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by=created_by.id if created_by else None,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.commit()
    return token


def find_reset(token: str) -> PasswordReset:
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    _usable(reset, utcnow())
    return reset


def use_reset(reset: PasswordReset, new_password: str) -> User:
    """Claim the reset link and set the new password, in one transaction."""
    claimed = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.id == reset.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > utcnow(),
        )
        .values(used_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise LinkUnusable("used")
    user = reset.user
    user.password_hash = generate_password_hash(new_password)
    user.session_version = (user.session_version or 0) + 1
    db.session.commit()
    return user
