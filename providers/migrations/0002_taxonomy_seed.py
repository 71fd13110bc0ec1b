"""Seed the shared vocabularies: service categories from what budgets were spent on in the pilots,
needs and disabilities, and the skills families look for in a personal assistant. Councils add
their own terms in the product; these are shared by every council."""

import uuid

from django.db import migrations

CATEGORIES = [
    (
        "short-breaks",
        "Short breaks",
        "Time away from caring for the family and fun for the child: clubs, activities and stays.",
        None,
    ),
    (
        "respite-at-home",
        "Respite at home",
        "A carer comes to the family home so that parents can rest or go out.",
        "short-breaks",
    ),
    (
        "residential-short-breaks",
        "Residential short breaks",
        "Overnight stays away from home in a registered setting.",
        "short-breaks",
    ),
    (
        "pa-support",
        "Personal assistant support",
        "A personal assistant who supports the child or young person at home or out and about.",
        None,
    ),
    ("tuition", "Tuition", "One-to-one or small-group teaching, including music and sports lessons.", None),
    ("counselling-and-therapies", "Counselling and therapies", "Talking therapies and specialist therapies.", None),
    (
        "counselling",
        "Counselling",
        "Sessions with a trained counsellor for a child, young person or parent.",
        "counselling-and-therapies",
    ),
    (
        "speech-and-language-therapy",
        "Speech and language therapy",
        "Help with speaking, understanding, eating and swallowing.",
        "counselling-and-therapies",
    ),
    ("physiotherapy", "Physiotherapy", "Help with movement, strength and posture.", "counselling-and-therapies"),
    (
        "occupational-therapy",
        "Occupational therapy",
        "Help with everyday activities, equipment and sensory needs.",
        "counselling-and-therapies",
    ),
    (
        "family-support",
        "Family support",
        "Practical and emotional support for parents, such as home visiting volunteers.",
        None,
    ),
    (
        "family-group-conferencing",
        "Family group conferencing",
        "A meeting where the wider family makes a plan for a child, with an independent coordinator.",
        "family-support",
    ),
    (
        "transport",
        "Transport",
        "Taxis, travel training and help with fares to get to support, school or activities.",
        None,
    ),
    (
        "equipment-and-adaptations",
        "Equipment and adaptations",
        "Things that make daily life easier, from a car seat or a mattress to changes to the home.",
        None,
    ),
    ("leisure-and-activities", "Leisure and activities", "Clubs, sports, gym membership, arts and days out.", None),
    (
        "childcare-and-play-schemes",
        "Childcare and play schemes",
        "Nursery places, breakfast and after-school clubs, holiday play schemes.",
        None,
    ),
    (
        "holidays-with-support",
        "Holidays with support",
        "Help to go on holiday, such as a personal assistant's wages while away.",
        None,
    ),
]

NEEDS = [
    ("autism", "Autism", "Autistic children and young people, with or without a diagnosis."),
    ("adhd", "ADHD", "Attention deficit hyperactivity disorder."),
    (
        "learning-disability",
        "Learning disability",
        "Mild, moderate, severe or profound and multiple learning disabilities.",
    ),
    ("physical-disability", "Physical disability", "Conditions that affect movement, including wheelchair users."),
    (
        "sensory-impairment",
        "Sensory impairment",
        "Deaf, hard of hearing, blind, partially sighted or multi-sensory impaired.",
    ),
    (
        "speech-language-communication",
        "Speech, language and communication needs",
        "Difficulty talking, understanding or being understood.",
    ),
    (
        "complex-health-needs",
        "Complex health needs",
        "Needs such as tube feeding, epilepsy, oxygen or tracheostomy care.",
    ),
    (
        "life-limiting-conditions",
        "Life-limiting conditions",
        "Conditions for which there is no reasonable hope of cure.",
    ),
    ("mental-health", "Mental health", "Anxiety, low mood and other emotional or mental health needs."),
    (
        "behaviour-that-challenges",
        "Behaviour that challenges",
        "Behaviour that puts the child or others at risk or stops them taking part.",
    ),
]

SKILLS = [
    ("moving-and-handling", "Moving and handling", "Trained to move people safely, including with a hoist."),
    ("personal-care", "Personal care", "Washing, dressing, toileting and continence care."),
    ("autism-experience", "Autism experience", "Experience supporting autistic children and young people."),
    ("peg-feeding", "PEG feeding", "Trained in gastrostomy (PEG) tube feeding."),
    ("epilepsy-rescue-medication", "Epilepsy and rescue medication", "Trained to give rescue medication for seizures."),
    ("medication", "Giving medication", "Trained to give prescribed medicines."),
    ("makaton", "Makaton", "Uses Makaton signs and symbols."),
    ("bsl", "British Sign Language", "Communicates in BSL."),
    ("behaviour-support", "Positive behaviour support", "Trained in positive behaviour support."),
    ("first-aid", "Paediatric first aid", "Holds a current paediatric first aid certificate."),
]

TAXONOMIES = [
    (
        "service_category",
        "Support Exchange service categories",
        "Kinds of support families can buy with a personal budget.",
    ),
    ("need", "Needs and disabilities", "The needs and disabilities an offer supports."),
    ("skill", "Personal assistant skills", "Skills and experience of personal assistants."),
]


def seed(apps, schema_editor):
    Taxonomy = apps.get_model("providers", "Taxonomy")
    TaxonomyTerm = apps.get_model("providers", "TaxonomyTerm")
    taxonomies = {}
    for kind, name, description in TAXONOMIES:
        taxonomies[kind], _ = Taxonomy.objects.get_or_create(
            kind=kind, defaults={"name": name, "description": description, "public_id": uuid.uuid4()}
        )
    by_code = {}
    for code, name, description, parent in CATEGORIES:
        by_code[code], _ = TaxonomyTerm.objects.get_or_create(
            taxonomy=taxonomies["service_category"],
            code=code,
            defaults={
                "name": name,
                "description": description,
                "parent": by_code.get(parent),
                "public_id": uuid.uuid4(),
            },
        )
    for kind, terms in (("need", NEEDS), ("skill", SKILLS)):
        for code, name, description in terms:
            TaxonomyTerm.objects.get_or_create(
                taxonomy=taxonomies[kind],
                code=code,
                defaults={"name": name, "description": description, "public_id": uuid.uuid4()},
            )


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
