"""How the table says what each role gets: ``E(kwargs, "anon=signin fm=200/404 ...", method="GET")``.

Each token is ``code=answer`` or ``code=ours/theirs``, for the columns in ``CODES``. An answer is:

- ``200``: the page (or file) is served; ``204`` for an empty success;
- ``403``: the role may not use this page (its own objects or not);
- ``404``: the object is not the user's (its existence is not revealed), or the id is unknown;
- ``405``: the method is not allowed (a GET on a POST-only view, say);
- ``400``: a POST with an empty body is refused as malformed (webhooks);
- ``signin``: a redirect to the sign-in page (anonymous visitors, and only them);
- ``302``: any other redirect (a view that sends the user on, e.g. to the page of their own record).

Anonymous visitors and platform staff have one answer; every role has one for "ours" (the demo login
connected to the object) and one for "theirs" (the same role in another council, provider, family or
broker). ``fm=404`` is short for ``fm=404/404``.

``shared="qa"`` names the columns that may work on another side's object by design, with the reason in
``note``: providers and their offers are shared by every council, so any council's QA officer checks them
(docs/access-matrix.md). Every other column must still be refused another side's object.
"""

from dataclasses import dataclass, field

from accounts.roles import Role
from tests.access_matrix.world import ANONYMOUS, STAFF

CODES: dict[str, str] = {
    "anon": ANONYMOUS,
    "fm": Role.FAMILY_MEMBER.value,
    "yp": Role.YOUNG_PERSON.value,
    "lp": Role.LEAD_PROFESSIONAL.value,
    "bhm": Role.BUDGET_HOLDING_MANAGER.value,
    "br": Role.BROKER.value,
    "ps": Role.PROVIDER_STAFF.value,
    "pa": Role.PERSONAL_ASSISTANT.value,
    "com": Role.COMMISSIONER.value,
    "qa": Role.QA_OFFICER.value,
    "fin": Role.FINANCE_OFFICER.value,
    "adm": Role.COUNCIL_ADMIN.value,
    "staff": STAFF,
}
CODE_FOR_ROLE = {role: code for code, role in CODES.items()}
ANSWERS = {"200", "204", "302", "400", "403", "404", "405", "signin"}
ONE_SIDED = {ANONYMOUS, STAFF}


@dataclass(frozen=True)
class Entry:
    kwargs: dict[str, str]
    expect: dict[tuple[str, str], str]  # (role, side) -> answer; one-sided roles use side "ours"
    method: str = "GET"
    public: bool = False  # another's object is public by design (the directory, the open API)
    # Columns (codes, e.g. "qa") that work on another side's object by design: shared providers' QA pages.
    shared: frozenset[str] = frozenset()
    note: str = ""
    raw: tuple[str, ...] = field(default=(), compare=False)

    def answer(self, role: str, side: str) -> str:
        return self.expect[(role, "ours" if role in ONE_SIDED else side)]


def parse(text: str) -> dict[tuple[str, str], str]:
    expect: dict[tuple[str, str], str] = {}
    for token in text.split():
        code, _, answers = token.partition("=")
        if code not in CODES:
            raise ValueError(f"unknown column {code!r} in {text!r}")
        role = CODES[code]
        ours, _, theirs = answers.partition("/")
        theirs = theirs or ours
        for answer in (ours, theirs):
            if answer not in ANSWERS:
                raise ValueError(f"unknown answer {answer!r} for {code} in {text!r}")
        if role in ONE_SIDED and ours != theirs:
            raise ValueError(f"{code} has one answer, not two, in {text!r}")
        expect[(role, "ours")] = ours
        if role not in ONE_SIDED:
            expect[(role, "theirs")] = theirs
    missing = set(CODES) - {CODE_FOR_ROLE[role] for role, _ in expect}
    if missing:
        raise ValueError(f"no answer for {sorted(missing)} in {text!r}")
    return expect


def E(
    kwargs: dict[str, str],
    *expect: str,
    method: str = "GET",
    public: bool = False,
    shared: str = "",
    note: str = "",
) -> Entry:
    columns = frozenset(shared.split())
    if unknown := columns - set(CODES):
        raise ValueError(f"unknown shared columns {sorted(unknown)}")
    if columns and not note:
        raise ValueError("an entry shared with another side's role says why, in its note")
    return Entry(
        kwargs=kwargs,
        expect=parse(" ".join(expect)),
        method=method,
        public=public,
        shared=columns,
        note=note,
        raw=expect,
    )


def format_expect(expect: dict[tuple[str, str], str]) -> str:
    tokens = []
    for code, role in CODES.items():
        ours = expect[(role, "ours")]
        theirs = expect.get((role, "theirs"), ours)
        tokens.append(f"{code}={ours}" if ours == theirs else f"{code}={ours}/{theirs}")
    return " ".join(tokens)
