"""The words for the values records hold (a facility, a hub's status, a kind of partner), as
messages of the catalogue: `N_` marks them for `python build.py catalogues`, and each page
gets them in its language (`Labels`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hubsite.content.fields import FACILITIES, N_, PARTNER_KINDS, STATUSES
from hubsite.content.records import MODES
from hubsite.render.catalogues import Words


def NC_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - N_ with a context (pgettext's)
    return context, message


FACILITIES_SAID = {
    "wifi": N_("Wi-Fi"),
    "computers": N_("Computers available"),
    "wheelchair-access": N_("Wheelchair access"),
    "quiet-room": N_("Quiet room"),
    "childcare": N_("Childcare"),
    "printing": N_("Printing"),
}
# With a context: "Active" and "Closed" are said of a hub, "Library" of an organisation.
STATUSES_SAID = {"active": NC_("hub status", "Active"), "upcoming": NC_("hub status", "Opening soon"), "paused": NC_("hub status", "Paused"),
                 "closed": NC_("hub status", "Closed")}
KINDS_SAID = {
    "library": NC_("kind of organisation", "Library"),
    "embassy": NC_("kind of organisation", "Embassy"),
    "government": NC_("kind of organisation", "Government"),
    "university": NC_("kind of organisation", "University"),
    "school": NC_("kind of organisation", "School"),
    "nonprofit": NC_("kind of organisation", "Non-profit"),
    "company": NC_("kind of organisation", "Company"),
}
# How a group meets, and whether a student can sign up (directory/schedule.py SignUp), as a card or a finder's result says it in a word or two.
MODES_SAID = {"in-person": NC_("how a group meets", "In person"), "online": NC_("how a group meets", "Online"), "hybrid": NC_("how a group meets", "In person and online")}
SIGNUPS_SAID = {"opens": NC_("sign-up state", "Sign-up opens soon"), "open": NC_("sign-up state", "Open for sign-up"), "waitlist": NC_("sign-up state", "Waiting list"),
                "full": NC_("sign-up state", "Full"), "closed": NC_("sign-up state", "Sign-up closed")}
assert set(MODES_SAID) == set(MODES)
assert set(FACILITIES_SAID) == set(FACILITIES) and set(STATUSES_SAID) == set(STATUSES) and set(KINDS_SAID) == set(PARTNER_KINDS)


@dataclass(frozen=True)
class Labels:
    facilities: dict[str, str]
    statuses: dict[str, str]
    kinds: dict[str, str]
    modes: dict[str, str]
    signups: dict[str, str]


def labels_in(words: Words) -> Labels:
    return Labels(
        facilities={key: words._(said) for key, said in FACILITIES_SAID.items()},
        statuses={key: words.pgettext(*said) for key, said in STATUSES_SAID.items()},
        kinds={key: words.pgettext(*said) for key, said in KINDS_SAID.items()},
        modes={key: words.pgettext(*said) for key, said in MODES_SAID.items()},
        signups={key: words.pgettext(*said) for key, said in SIGNUPS_SAID.items()},
    )
