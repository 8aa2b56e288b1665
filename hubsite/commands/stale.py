"""`python build.py stale`: the hubs whose details nobody has confirmed for `stale_after_days`
(site.yaml), by host, and with `--out` one message per host asking them to confirm or correct.

A hub is due when its `last_verified` is missing or older than `stale_after_days` (the same rule
that puts a notice on its page: directory.catalog.is_stale); a closed hub is never due, there is
nothing left to confirm. A host is reached at the e-mail addresses its due hubs give
(`contact.email`): partner records hold no address of their own.

A message is written in every language of the site, the host's first. A host's language is the
one its hubs name first in `languages` (the language spoken at the hub, which the host wrote
itself), counted over its due hubs, the site's order breaking a tie; one the site does not have
(or none at all) gives way to the site's default. The words are the site's own gettext catalogues,
so a message reads as the host's pages do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hubsite import urls
from hubsite.content.records import Hub, Partner, Session
from hubsite.content.validate import ValidContent
from hubsite.directory.catalog import is_stale
from hubsite.languages import Language, text_in
from hubsite.problems import HubsiteError, printable
from hubsite.render.catalogues import Words, load_words
from hubsite.render.formats import Formats


@dataclass(frozen=True)
class HostDue:
    """One host and its hubs due for confirmation."""

    host: Partner
    hubs: tuple[Hub, ...]
    contacts: tuple[str, ...]  # the e-mail addresses its due hubs give, sorted, each once
    language: Language  # the host's first language (the module's docstring says how it is known)


def is_due(hub: Hub, today: date, max_age_days: int) -> bool:
    verified = hub.record.last_verified
    return hub.record.status != "closed" and (verified is None or is_stale(verified, today, max_age_days))


def hosts_due(content: ValidContent, today: date) -> list[HostDue]:
    """Every host with a hub due, by host id, its hubs by slug."""
    partners = {partner.id: partner for partner in content.partners}
    due: dict[str, list[Hub]] = {}
    for hub in sorted(content.hubs, key=lambda hub: hub.slug):
        if is_due(hub, today, content.site.stale_after_days):
            due.setdefault(hub.record.host, []).append(hub)
    languages = content.site.site_languages
    return [HostDue(partners[host], tuple(hubs), contacts_of(hubs), host_language(hubs, languages)) for host, hubs in sorted(due.items())]


def contacts_of(hubs: list[Hub]) -> tuple[str, ...]:
    return tuple(sorted({hub.record.contact.email for hub in hubs if hub.record.contact and hub.record.contact.email}))


def host_language(hubs: list[Hub], languages: tuple[Language, ...]) -> Language:
    """The language the host's hubs name first most often, among the site's; else the site's default."""
    by_tag = {language.tag.lower(): language for language in languages}
    firsts = Counter(by_tag[hub.record.languages[0].lower()] for hub in hubs if hub.record.languages and hub.record.languages[0].lower() in by_tag)
    if not firsts:
        return languages[0]
    return min(firsts, key=lambda language: (-firsts[language], languages.index(language)))


def ordered_languages(first: Language, languages: tuple[Language, ...]) -> tuple[Language, ...]:
    return (first, *(language for language in languages if language != first))


def days_since(hub: Hub, today: date) -> str:
    verified = hub.record.last_verified
    return "never confirmed" if verified is None else f"last confirmed {verified}, {(today - verified).days} days ago"


def report_lines(hosts: list[HostDue], today: date, max_age_days: int) -> list[str]:
    """What the command prints: a count, then each host with its contacts and hubs, one per line;
    every value from content escaped (problems.printable), so none starts a line of its own."""
    count = sum(len(host.hubs) for host in hosts)
    if not count:
        return [f"no hub is due: every hub was confirmed in the {max_age_days} days before {today}"]
    lines = [f"{count} {'hub' if count == 1 else 'hubs'} of {len(hosts)} {'host' if len(hosts) == 1 else 'hosts'} not confirmed in the {max_age_days} days before {today}:"]
    for host in hosts:
        contact = ", ".join(host.contacts) if host.contacts else "no contact e-mail in its hubs"
        lines.append(printable(f"{host.host.id} ({host.host.record.name}): {contact}"))
        lines += [printable(f"  {hub.slug} ({hub.record.name}): {days_since(hub, today)}") for hub in host.hubs]
    return lines


# --- the messages -----------------------------------------------------------------------------


def message_file_name(host: HostDue) -> str:
    """The host's id, a slug (content/slugs.py), is the whole name: nothing else from content."""
    return f"{host.host.id}.txt"


def write_messages(hosts: list[HostDue], content: ValidContent, templates_dir: Path, out: Path) -> list[Path]:
    """One message per host in `out`, a folder that must be new or empty (so that no message of an
    earlier run is taken for one of this run)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise HubsiteError(f"'{out}' is not an empty folder: give a new one to --out, so that no earlier message is sent by mistake")
    words = load_words(templates_dir, content.site.site_languages)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for host in hosts:
        path = out / message_file_name(host)
        path.write_text(message(host, content, words), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def message(host: HostDue, content: ValidContent, words: dict[str, Words]) -> str:
    """The message: a header (To, Subject: one line each, content escaped), then the text in every
    language of the site, the host's first."""
    first = words[host.language.tag]
    subject = subject_line(host, content, first)
    header = [printable(f"To: {', '.join(host.contacts)}"), printable(f"Subject: {subject}"), "Content-Type: text/plain; charset=utf-8"]
    parts = [body(host, content, words[language.tag], subject) for language in ordered_languages(host.language, content.site.site_languages)]
    return "\n".join(header) + "\n\n" + "\n\n----------------------------------------\n\n".join(parts) + "\n"


def subject_line(host: HostDue, content: ValidContent, words: Words) -> str:
    default = content.site.default_language.tag
    site_title, _ = text_in(content.site.title, words.language.tag, default)
    # Translators: the subject of the e-mail asking a host to confirm its hubs; site is the directory's title.
    return words._("%(site)s: are your learning hubs' details still right?", site=site_title)


def body(host: HostDue, content: ValidContent, words: Words, subject: str) -> str:
    """The message in one language: a greeting, each hub's details, how to confirm or correct."""
    tag, default = words.language.tag, content.site.default_language.tag
    formats = Formats(words.language, words)
    site_title, _ = text_in(content.site.title, tag, default)
    host_name, _ = text_in(host.host.record.name, tag, default)
    lines = [words._("Hello %(host)s,", host=host_name), ""]
    lines.append(words.ngettext("%(site)s lists %(num)d learning hub that you host. Please check its details below.",
                                "%(site)s lists %(num)d learning hubs that you host. Please check their details below.", len(host.hubs), site=site_title))
    for number, hub in enumerate(host.hubs, 1):
        lines += ["", *hub_details(number, hub, content, words, formats)]
    reply = urls.mailto(content.site.contact_email, subject)
    # Translators: link is a mailto: link to the maintainers, which must stay as it is.
    lines += ["", words._("If everything is still right, please say so: write to %(link)s (or reply to this message).", link=reply),
              words._("If something has changed, reply with what is different, and we will correct it."), "", words._("Thank you, the %(site)s team", site=site_title)]
    return "\n".join(printable(line) for line in lines)


def hub_details(number: int, hub: Hub, content: ValidContent, words: Words, formats: Formats) -> list[str]:
    """One hub as the message lists it: what its page shows, one line per field."""
    record, tag, default = hub.record, words.language.tag, content.site.default_language.tag
    language_prefix = urls.language_root(words.language.key) if len(content.site.site_languages) > 1 else ""
    name, _ = text_in(record.name, tag, default)
    page = urls.absolute(content.site.base_url, urls.in_language(language_prefix, urls.hub(hub.slug)))
    address = ", ".join(part for part in (record.address.line1, record.address.line2, record.address.area, record.address.city,
                                          record.address.region, record.address.postal_code, formats.country(record.address.country)) if part)
    lines = [f"{number}. {name}", "   " + words._("Page: %(url)s", url=page), "   " + words._("Address: %(address)s", address=address)]
    contact = record.contact
    if contact and contact.email:
        lines.append("   " + words._("E-mail: %(email)s", email=contact.email))
    if contact and contact.phone:
        lines.append("   " + words._("Phone: %(phone)s", phone=contact.phone))
    if record.signup_url:
        lines.append("   " + words._("Sign-up: %(url)s", url=record.signup_url))
    verified = record.last_verified
    lines.append("   " + (words._("Last confirmed: %(date)s", date=formats.date(verified)) if verified else words._("Last confirmed: never")))
    if record.sessions:
        lines.append("   " + words._("Groups:"))
        lines += ["   - " + session_line(session, tag, default, words, formats) for session in record.sessions]
    return lines


def session_line(session: Session, tag: str, default: str, words: Words, formats: Formats) -> str:
    course, _ = text_in(session.course, tag, default)
    return words._("%(course)s: %(days)s, %(time)s, %(dates)s", course=course, days=formats.every(session.weekdays, session.frequency == "biweekly"),
                   time=formats.time_range(session.time), dates=formats.date_range(session.starts, session.ends))
