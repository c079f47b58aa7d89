"""Mail, when the installation has an SMTP server (``MAIL_SERVER`` and friends).

Without one, nothing is sent and managers copy links by hand; every page
that makes a link shows it either way.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, language: str, subject_template: str, body_template: str, **context) -> bool:
    """Send a plain-text mail in the reader's language; False when mail is off or fails.

    A failed send is logged, never shown as an error page: the link is on
    the page anyway.
    """
    if not mail_enabled():
        return False
    config = current_app.config
    with force_locale(language):
        subject = render_template(subject_template, **context).strip()
        body = render_template(body_template, **context)
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send mail to %s", to)
        return False
    return True


def absolute_url(endpoint: str, **values) -> str:
    """A full link to a page, for mail and for copying: SITE_URL when set, else this host."""
    from flask import url_for

    site = current_app.config.get("SITE_URL")
    if site:
        return site.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
