"""Short ways to write StreamField content in the demo guides, one function per block."""

from decimal import Decimal

Block = tuple[str, object]

_BLOCK_TAGS = ("<p>", "<ul>", "<ol>", "<h3>", "<h4>")


def html(*paragraphs: str) -> str:
    """Paragraphs of text (which may hold links) as HTML; lists and paragraphs already in tags stay as they are."""
    return "".join(p if p.startswith(_BLOCK_TAGS) else f"<p>{p}</p>" for p in paragraphs)


def text(*paragraphs: str) -> Block:
    return ("text", html(*paragraphs))


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def link(href: str, words: str) -> str:
    return f'<a href="{href}">{words}</a>'


def heading(words: str) -> Block:
    return ("heading", words)


def inset(words: str) -> Block:
    return ("callout", {"style": "inset", "text": f"<p>{words}</p>"})


def warning(words: str) -> Block:
    return ("callout", {"style": "warning", "text": f"<p>{words}</p>"})


def accordion(*sections: tuple[str, str, str]) -> Block:
    """Sections of (heading, one-line summary, HTML or plain text)."""
    return (
        "accordion",
        {
            "sections": [
                {"heading": title, "summary": summary, "content": html(body)} for title, summary, body in sections
            ]
        },
    )


def steps(title: str, *items: tuple[str, str]) -> Block:
    return (
        "step_by_step",
        {
            "heading": title,
            "steps": [{"heading": step, "content": html(body)} for step, body in items],
        },
    )


def story(title: str, person: str, *paragraphs: str) -> Block:
    return ("story", {"heading": title, "person": person, "quote": "", "story": html(*paragraphs), "image": None})


def example(item: str, price: str, unit: str, description: str, paid_by: str = "") -> Block:
    """A 'what a budget can pay for' card; prices are the ones reported in the pilots (DOMAIN.md)."""
    return (
        "budget_example",
        {"item": item, "price": Decimal(price), "price_unit": unit, "description": description, "paid_by": paid_by},
    )


def directory(label: str, *, q: str = "", category: str = "") -> Block:
    return ("directory_search", {"label": label, "q": q, "category": category, "postcode": ""})


def question(asked: str, *paragraphs: str) -> Block:
    return ("question", {"question": asked, "answer": html(*paragraphs)})
