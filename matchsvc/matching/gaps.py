"""还缺: on each recommended post, the skills and certificates it asks for (read from its title and
description by the skills lexicon) that the graduate has not stated, and the open training offers
that teach them (an offer's skills, certificate and name, read the same way), with seats left,
in a province the graduate wishes to work in, comes from or studied in."""

from __future__ import annotations

from dataclasses import dataclass

from .engine.index import PositionIndex
from .engine.lexicon import lexicon
from .engine.profiles import GraduateProfile, TrainingProfile
from .engine.results import Recommendation


@dataclass(frozen=True)
class Teaching:
    """A training offer that teaches something a post asks for."""

    id: int
    name: str
    org_name: str
    teaches: tuple[str, ...]


def add_gaps(
    index: PositionIndex,
    graduate: GraduateProfile,
    found: list[Recommendation],
    offers: list[TrainingProfile],
) -> None:
    """Set `extra["missing"]` (the terms in lexicon order) and `extra["teach"]` (offers with
    seats left, those teaching most first) on each recommended post the graduate lacks
    something for."""
    words = lexicon()
    has = set(words.terms_in(f"{graduate.skills or ''} {graduate.wish_work or ''}"))
    near = {
        code[:2]
        for code in (*graduate.wish_regions, graduate.origin_region, graduate.school_region)
        if code
    }
    taught = [
        (o, set(words.terms_in(f"{o.name} {o.skills} {o.certificate or ''}")))
        for o in offers
        if o.seats_left > 0 and (not near or o.region[:2] in near)
    ]
    for item in found:
        row = index.position_of.get(item.id)
        if row is None:
            continue
        post = index.posts.profiles[row]
        missing = [
            t for t in words.terms_in(f"{post.title} {post.description or ''}") if t not in has
        ]
        if not missing:
            continue
        item.extra["missing"] = [words.terms[t] for t in missing]
        teach = []
        for offer, terms in taught:
            covered = tuple(words.terms[t] for t in missing if t in terms)
            if covered:
                teach.append(Teaching(offer.id, offer.name, offer.org_name, covered))
        teach.sort(key=lambda t: (-len(t.teaches), t.id))
        item.extra["teach"] = teach[:3]
