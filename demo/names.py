"""Realistic British names, chosen deterministically from a key.

Each person is named from a key such as ``"coventry/family/7"``, not from a running sequence, so the
seventh family in Coventry has the same name at every scale and on every machine: running with a larger
``--scale`` adds people after the existing ones instead of renaming them.
"""

import random
import re
from dataclasses import dataclass

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Chloe", "Jessica", "Hannah",
    "Lucy", "Charlotte", "Megan", "Ellie", "Zara", "Aisha", "Priya", "Amira", "Fatima", "Maryam",
    "Niamh", "Siobhan", "Rhiannon", "Ffion", "Eilidh", "Kirsty", "Gemma", "Claire", "Joanne", "Lisa",
    "Karen", "Nicola", "Rebecca", "Sarah", "Helen", "Rachel", "Natalie", "Leanne", "Samantha", "Zuzanna",
    "Chidinma", "Adaeze", "Simran", "Harpreet", "Yasmin", "Tanisha", "Oliver", "George", "Harry", "Jack",
    "Noah", "Leo", "Charlie", "Alfie", "Thomas", "James", "Daniel", "Ryan", "Liam", "Callum",
    "Connor", "Jamie", "Lewis", "Kieran", "Aaron", "Mohammed", "Ibrahim", "Yusuf", "Arjun", "Rohan",
    "Hamza", "Bilal", "Kwame", "Tunde", "Jakub", "Piotr", "Rhys", "Dylan", "Owen", "Euan",
    "Fraser", "Declan", "Ciaran", "Mark", "Paul", "Stephen", "Andrew", "David", "Neil", "Gareth",
    "Craig", "Darren", "Marcus", "Imran",
)  # fmt: skip

SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
    "Patel", "Khan", "Ahmed", "Hussain", "Begum", "Ali", "Shah", "Singh", "Kaur", "Sharma",
    "Chowdhury", "Okafor", "Adeyemi", "Mensah", "Osei", "Campbell", "Murphy", "O'Brien", "Kelly", "McDonald",
    "Reid", "Hughes", "Lewis", "Morgan", "Price", "Edwards", "Thomas", "Kowalski", "Nowak", "Nguyen",
    "Chen", "Hartley", "Fletcher", "Bennett", "Marsh", "Dawson", "Pearson", "Harrison", "Holmes", "Atkinson",
    "Armstrong", "Charlton", "Robson", "Milburn", "Pascoe", "Yeo", "Heathcote", "Bainbridge", "Varley", "Rahman",
)  # fmt: skip


@dataclass(frozen=True)
class PersonName:
    first_name: str
    last_name: str

    @property
    def email_local_part(self) -> str:
        """``claire.obrien`` for Claire O'Brien: letters, digits and hyphens only."""
        return re.sub(r"[^a-z0-9.-]", "", f"{self.first_name}.{self.last_name}".lower())


def british_name(key: str) -> PersonName:
    # A string seed is hashed with SHA-512 by random.Random, so the result does not depend on
    # PYTHONHASHSEED, the platform or the order in which names are asked for.
    chooser = random.Random(key)
    return PersonName(first_name=chooser.choice(FIRST_NAMES), last_name=chooser.choice(SURNAMES))
