"""Guides for families and young people, in plain English (a reading age of about 9 to 11).

Facts and prices come from the personal budget pilots (DOMAIN.md); pay rates are current ones.
"""

from cms.models import FaqPage, GuidePage
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.streams import (
    accordion,
    bullets,
    directory,
    example,
    heading,
    inset,
    link,
    question,
    steps,
    story,
    text,
    warning,
)

NATIONAL_LIVING_WAGE = "£12.71 an hour"  # from April 2026, for workers aged 21 and over

FAMILIES = "/for-families"


def _guide(slug: str, title: str, summary: str, *body: tuple[str, object], **fields: object) -> PlannedPage:
    return PlannedPage(GuidePage, slug, title, {"summary": summary, "body": list(body), **fields})


PERSONAL_BUDGETS = _guide(
    "personal-budgets",
    "Personal budgets: how they work",
    "A personal budget is money set aside for your child's support. Find out how it is worked out and "
    "the ways you can use it.",
    text(
        "A personal budget is an amount of money for the support your child needs. It comes from your "
        "council. Sometimes part of it comes from health or education services too.",
        "You decide how to spend it, with help from the people who work with your family. The money is "
        "spent on the things in your child's support plan.",
    ),
    heading("Who can have a personal budget"),
    text(
        "Your child may be able to have a personal budget if they are disabled or have additional needs, "
        "and an assessment shows they need support. Ask your social worker, your lead professional or "
        "your council's family information service."
    ),
    heading("How the council works out an amount"),
    text(
        "The council asks you some questions about your child and your family. Each answer scores "
        "points. The points are turned into an amount of money. This is called an indicative budget. It "
        "is a starting point for your plan, not the final amount.",
        "You and your worker can both answer the questions. If your answers give very different "
        "amounts, the council looks again.",
    ),
    inset(
        "The final budget is the cost of the support in your plan. Your plan is agreed with you. The "
        "council may also ask a manager to agree the cost."
    ),
    heading("Four ways to hold the money"),
    accordion(
        (
            "Direct payment",
            "The money is paid to you",
            f"<p>The council pays the money into a bank account that you use only for it. You pay for "
            f"support yourself. {link(f'{FAMILIES}/direct-payments/', 'Read about direct payments')}.</p>",
        ),
        (
            "Individual service fund",
            "A provider you choose holds the money",
            f"<p>A provider keeps the money for you and arranges your support. They send you a statement "
            f"every month. {link(f'{FAMILIES}/individual-service-funds/', 'Read about individual service funds')}."
            "</p>",
        ),
        (
            "Managed account",
            "The council or a broker holds the money",
            f"<p>You choose the support. The council or a broker pays for it when you ask them to. "
            f"{link(f'{FAMILIES}/managed-accounts/', 'Read about managed accounts')}.</p>",
        ),
        (
            "A mix",
            "Some of each",
            "You can mix these ways. For example, a direct payment for bus fares and a managed account for "
            "a short breaks service.",
        ),
    ),
    heading("What a budget can pay for"),
    text(
        "A budget can pay for almost anything that helps your child, if it is in your plan. "
        f"{link(f'{FAMILIES}/what-a-budget-can-pay-for/', 'See what other families have bought')}."
    ),
    directory("Find support near you"),
    heading("Checking how it is going"),
    text("Your plan is looked at again, usually every 6 months. You can say what is working and what needs to change."),
)

PERSONAL_BUDGETS_EASY_READ = _guide(
    "personal-budgets-easy-read",
    "Personal budgets: easy read",
    "An easy read guide to personal budgets.",
    text(
        "A personal budget is money for your support.",
        "The money comes from the council.",
        "You choose how to spend it.",
        "People can help you choose.",
    ),
    steps(
        "How to get a personal budget",
        ("Ask for help", "Tell your social worker or the council that you need help."),
        ("Answer some questions", "The council asks about you and your family."),
        ("Make a plan", "Say what you want to do. Say what help you need."),
        ("Get your support", "You can start the things in your plan."),
        ("Check how it is going", "Every 6 months, you talk about what is working."),
    ),
    heading("Ways to have the money"),
    text(
        bullets(
            "You can have the money yourself. This is called a direct payment.",
            "A service can keep the money for you.",
            "The council can keep the money and pay for things for you.",
        )
    ),
    inset("If you need help, ask someone you trust."),
    is_easy_read=True,
)

DIRECT_PAYMENTS = _guide(
    "direct-payments",
    "Direct payments",
    "A direct payment is your budget paid to you as money, so that you can buy support yourself.",
    text(
        "With a direct payment, the council pays your budget into a bank account that you use only for "
        "this money. It is usually paid every 3 months.",
        "You then pay for the support in your plan. You can pay a provider, a club, a taxi firm, or a "
        "personal assistant (PA) that you employ.",
    ),
    heading("What you need to do"),
    text(
        bullets(
            "keep the money in its own bank account",
            "keep receipts and bank statements",
            "pay a PA you employ through a payroll service",
            "tell the council if your child's needs change",
        )
    ),
    warning(
        "A direct payment cannot pay for a place in a residential home. Money from health services has "
        "legal limits on what a direct payment can buy."
    ),
    heading("Money left over"),
    text(
        "Try to keep a little money spare for emergencies. This is called a contingency.",
        "The council checks your account from time to time. If a lot of money builds up, for example more "
        "than about 10 weeks of spending, the council may ask for some of it back.",
    ),
    example(
        "Bus fares to counselling",
        "5.20",
        "a trip",
        "A mum takes her son to counselling by bus.",
        "Direct payment to the family",
    ),
    heading("Help with direct payments"),
    text(
        "Your council or a broker (support planner) can help you set up the account, find support and "
        f"employ a PA. {link(f'{FAMILIES}/employing-a-personal-assistant/', 'Read about employing a PA')}."
    ),
    directory("Find support you can pay for with a direct payment"),
)

INDIVIDUAL_SERVICE_FUNDS = _guide(
    "individual-service-funds",
    "Individual service funds",
    "An individual service fund (ISF) is your budget held by a provider you choose. They arrange your "
    "support and show you how the money is spent.",
    text(
        "You choose a provider you trust. The council pays your budget to that provider. The provider "
        "keeps it for you and arranges the support in your plan.",
        "Every month the provider sends you a statement. It shows the hours of support and the cost of each hour.",
    ),
    heading("Why families choose an individual service fund"),
    text(
        bullets(
            "you do not have to look after a bank account or employ anyone",
            "you still decide what support you get, and when",
            "you can change provider if it is not working",
        )
    ),
    heading("Questions to ask a provider"),
    text(
        bullets(
            "How much do you charge to look after the money?",
            "Will you buy support from other people if I ask you to?",
            "How do I change or end the arrangement?",
        )
    ),
    directory("Find providers who offer individual service funds", q="individual service fund"),
)

MANAGED_ACCOUNTS = _guide(
    "managed-accounts",
    "Managed accounts: when the council or a broker holds the money",
    "The council or a broker keeps your budget and pays for your support when you ask them to.",
    text(
        "With a managed account, you do not handle the money. The council, or a broker (support planner), "
        "holds it. You choose the support and they pay the provider for you.",
        "Some budgets stay with the council and are never paid out. This is sometimes called a notional "
        "budget. Others are real money that moves when support is paid for.",
    ),
    steps(
        "How paying works",
        ("Choose your support", "Choose a provider from the directory, or ask your broker to find one."),
        ("The support is booked", "The council or your broker places the order."),
        ("The support happens", "The provider records what they did."),
        ("The provider is paid", "They send a bill. The council checks it against the order and pays it."),
        ("See your statement", "You can see what has been spent and what is left."),
    ),
    inset("You can mix ways: for example, a managed account for short breaks and a direct payment for bus fares."),
)

SEVEN_STEPS = _guide(
    "seven-steps",
    "The seven steps to getting support",
    "Getting support with a personal budget has seven steps, from asking for help to checking how things are going.",
    text("This way of working is called self-directed support. You are in charge, with help when you want it."),
    steps(
        "",
        (
            "Ask for support",
            "Tell your council, social worker, health visitor or school that your family needs support. "
            "Someone will talk with you about what is happening.",
        ),
        (
            "Find out what you have",
            "The council works out an indicative budget: an amount of money to start planning with. Think "
            "about the help you already have from family, friends and your community too.",
        ),
        (
            "Make your plan",
            "Write down what you want to change for your child. For each thing, say who will help, how "
            "often, and what it costs. A lead professional or a broker can help you.",
        ),
        ("Agree your plan", "You and the council agree the plan. Decisions are made with you."),
        (
            "Organise your support",
            "Choose how to hold the money. Then book the support: a provider, a club or a personal assistant.",
        ),
        ("Start your plan", "Your child gets the support, and you keep track of what is spent."),
        (
            "Check and learn",
            "Usually every 6 months, you look at the plan again: what is working, and what needs to change.",
        ),
    ),
    inset("You can ask for help at any step. You do not have to do it alone."),
)

WHAT_A_BUDGET_CAN_PAY_FOR = _guide(
    "what-a-budget-can-pay-for",
    "What a budget can pay for",
    "Real examples of what families have bought with their budgets, and what they cost.",
    text(
        "A budget can pay for almost anything that helps your child, if it is in your plan and helps "
        "with something you have agreed to change. Here are some things families have bought."
    ),
    heading("Things families have bought"),
    example("Double buggy and car seats", "260.00", "in total", "Helped a family get out and about safely."),
    example("Nursery place top-up", "300.00", "a term", "Let a child keep a nursery place that helps them."),
    example(
        "Emergency money for heating and food",
        "30.00",
        "for one weekend",
        "Kept a family warm and fed until other help started.",
        "Cash from the lead professional",
    ),
    example(
        "Rent arrears",
        "750.00",
        "once",
        "Stopped a family losing their home.",
        "Paid straight to the housing association",
    ),
    example(
        "Family support from Home-Start",
        "1000.00",
        "for six months",
        "A volunteer visited every week to help a mum with MS and a new baby.",
    ),
    example(
        "Counselling sessions from a charity",
        "45.00",
        "a session",
        "Ten sessions helped a 12-year-old talk about what was worrying him.",
        "The charity sent an invoice",
    ),
    example("One-to-one tuition", "20.00", "an hour", "Two evenings a week helped a boy catch up at school."),
    example(
        "Petrol money for an uncle",
        "6.00",
        "a trip",
        "His uncle takes him to football twice a week.",
        "Paid every month, for the trips that happened",
    ),
    example(
        "Taxi to counselling", "14.00", "a return trip", "Got a boy to his sessions.", "The taxi firm sent an invoice"
    ),
    example(
        "Family group conference",
        "1500.00",
        "a session",
        "The whole family met with a trained helper to make a plan together.",
        "A manager agreed it, because it cost more than the lead professional could agree alone",
    ),
    example(
        "Football residential",
        "310.00",
        "fees and hotel",
        "A weekend away with his team.",
        "The council paid a new supplier",
    ),
    heading("Other things budgets have paid for"),
    text(
        bullets(
            "a new mattress, so a child could have his own room",
            "a laptop",
            "a breakfast club",
            "a washing machine",
            "shoes and work clothes",
            "music lessons and sports lessons",
            "gym membership",
            "speech and language therapy",
            "a tandem bike",
            "a personal assistant to go on holiday with a family (the assistant's wages, not the holiday)",
            "support at home instead of a stay in a residential unit",
        )
    ),
    warning(
        "Benefits your family gets are not part of your budget. A budget pays for support and things your child needs."
    ),
    inset("These prices are examples. Things may cost more or less where you live."),
    directory("Find support near you"),
)

DBS_FOR_FAMILIES = _guide(
    "dbs-checks-for-families",
    "DBS checks: what families need to know",
    "Anyone who works with your child on their own should have the right criminal record check. Here is how to tell.",
    text(
        "A DBS check is a check of someone's criminal record. DBS stands for Disclosure and Barring "
        "Service. Before December 2012 it was called a CRB check, so older certificates say CRB."
    ),
    heading("The right check for working with children"),
    text(
        "There are four levels of check: basic, standard, enhanced, and enhanced with a check of the "
        "children's barred list. Someone who looks after, teaches or supports your child on their own "
        "needs the highest level: an enhanced check with the children's barred list."
    ),
    warning("A basic or standard check is not enough for someone who looks after your child."),
    heading("How old can a certificate be?"),
    text(
        "A DBS certificate does not have an end date. But it only shows what was known on the day it was "
        "printed. Many councils ask for a new check every 3 years.",
        "Some people join the DBS Update Service. They pay a yearly fee. Then, if they say yes, you or the "
        "council can check online, for free, that their certificate is still up to date.",
    ),
    heading("Checks on this site"),
    text(
        "The council's quality team looks at the checks of providers and personal assistants on this "
        "site. We record the level of the check, the date and who saw it. We never record what is on a "
        "certificate."
    ),
    heading("If you employ a personal assistant"),
    text(
        "You are the employer, so you need to arrange the check. You cannot apply on your own: the check "
        "goes through an organisation called an umbrella body. Your council, broker or payroll service "
        "can tell you which one to use. Your direct payment can pay for it."
    ),
)

EMPLOYING_A_PA = _guide(
    "employing-a-personal-assistant",
    "Employing a personal assistant",
    "How to employ a personal assistant (PA) with a direct payment: checks, insurance, pay and payroll.",
    text(
        "A personal assistant (PA) is someone you choose to support your child, for example at home, at "
        "clubs or on days out.",
        "You can employ a PA yourself, paid from your direct payment. Or you can use a PA who is "
        "self-employed or works for an agency.",
    ),
    steps(
        "If you employ a PA, you are the employer",
        (
            "Check they have the right to work in the UK",
            "Before they start, look at their documents, such as a passport, or use the government's "
            "online check with a share code. Keep a copy of what you checked and the date.",
        ),
        (
            "Get a DBS check",
            "<p>Ask for an enhanced DBS check with the children's barred list, through an umbrella body. "
            f"{link(f'{FAMILIES}/dbs-checks-for-families/', 'Read about DBS checks')}.</p>",
        ),
        (
            "Get employer's liability insurance",
            "The law says most employers must have this insurance. It pays out if your PA is hurt at work. "
            "Your direct payment can pay for it.",
        ),
        (
            "Write down the job",
            "Give your PA a written statement of their hours, pay, holidays and what the job involves. "
            "Your council or broker may have a template.",
        ),
        (
            "Use a payroll service",
            "A payroll service works out tax and National Insurance, sends payslips and tells you what to "
            "pay. It can also help with a workplace pension. Your direct payment can pay its fee.",
        ),
        (
            "Record the hours",
            "Record the hours your PA works on this site. The payroll service uses them to work out the pay.",
        ),
    ),
    heading("How much to pay"),
    text(
        f"You must pay at least the National Living Wage. From April 2026 it is {NATIONAL_LIVING_WAGE} for "
        "workers aged 21 and over. It goes up every April.",
        "There are lower legal minimum rates for workers under 21. Your payroll service can tell you what they are.",
    ),
    warning(
        "Your PA's pay must never be less than the National Living Wage. If your budget does not cover the "
        "hours your child needs, talk to your council."
    ),
    heading("Holiday pay and sick pay"),
    text(
        "PAs have the right to paid holiday, and may get sick pay. Your payroll service will help you work these out."
    ),
    heading("Self-employed PAs and agencies"),
    text(
        "A self-employed PA or an agency sends you an invoice, like any other provider. They pay their own "
        "tax. Check that they have their own insurance and DBS check."
    ),
    story(
        "A holiday instead of a residential stay",
        "Johnny, 10",
        "Johnny used to stay overnight in a residential unit, so that his family could have a break. Now his "
        "budget pays for a carer to come on the family holiday with them. The budget pays the carer's "
        "wages, not the holiday.",
    ),
    directory("Find personal assistants near you", q="personal assistant"),
)

PEOPLES_STORIES = _guide(
    "peoples-stories",
    "People's stories",
    "How families have used personal budgets. Names have been changed.",
    text(
        "These stories come from families who took part in personal budget pilots in England. Names and "
        "some details have been changed."
    ),
    story(
        "Tom's year",
        "Tom, 12",
        "Tom's school nurse is his lead professional. She could spend up to £3,000 on support for him in a "
        "year. With Tom and his mum, she made a plan:",
        bullets(
            "tuition two evenings a week",
            "petrol money for his uncle, who takes him to football twice a week",
            "ten counselling sessions with a local charity",
            "taxis and bus fares to get to counselling",
        ),
        "After six months Tom had caught up at school, so the tuition stopped. His counselling went on for longer.",
        "The family also needed a family group conference. It cost £1,500, more than was left in Tom's "
        "budget, so the nurse asked her manager online. The manager agreed and paid for it from a fund the "
        "council keeps for this. Tom also went on a football residential with his team.",
    ),
    story(
        "Help at home after an operation",
        "A, 3",
        "A had an operation on her hip. Her mum has multiple sclerosis (MS) and had just had a new baby.",
        "The budget paid three helpers from the family's church to take turns helping at home, for 28 "
        "hours. The helpers had DBS checks and were paid through a payroll service. Home-Start visited "
        "every week for six months, which cost £1,000.",
    ),
    story(
        "Employing his own team",
        "Jonathan, 17",
        "Jonathan gets money from health services and from a learning support fund. He put them together "
        "into one budget. He uses it to employ his own personal assistants: one full-time and two "
        "part-time. He chooses who supports him, and when.",
    ),
    story(
        "A holiday instead of a residential stay",
        "Johnny, 10",
        "Johnny used to have overnight stays in a residential unit. Now his budget pays for a carer to go "
        "abroad with the family on holiday, and for passes to a rehabilitation unit.",
    ),
)

FAMILY_QUESTIONS = PlannedPage(
    FaqPage,
    "questions-families-ask",
    "Questions families ask",
    {
        "summary": "Short answers to the questions families ask most about personal budgets.",
        "questions": [
            heading("Money"),
            question(
                "Will a personal budget change our benefits?",
                "Usually not. Money for your child's support is not counted as your income for most "
                "benefits. If you are not sure, ask your council's welfare rights team.",
            ),
            question(
                "What if the money runs out?",
                "Tell your lead professional or the council straight away. If your child's needs have "
                "changed, your plan can be looked at again. A lead professional can ask a manager for more "
                "money if it is needed.",
            ),
            question(
                "Do I have to keep receipts?",
                "Keep receipts and bank statements for your direct payment account. The council checks the "
                "account from time to time. What you order and pay for on this site is recorded for you.",
            ),
            heading("Choosing support"),
            question(
                "Can I pay someone in my family to help?",
                "You cannot usually use a direct payment to pay a close relative who lives with you. The "
                "council can agree to it in special cases. You can pay relatives who live somewhere else for "
                "some things, like petrol money for an uncle who drives your child to football.",
            ),
            question(
                "Can I change how the money is held?",
                "Yes. Talk to your council or broker. You can also mix ways: for example, a direct payment "
                "for some things and a managed account for others.",
            ),
            question(
                "Who can help me make a plan?",
                "Your lead professional, your social worker or a broker (support planner). Brokers are "
                "independent: they do not work for the providers they suggest.",
            ),
        ],
    },
)

# In the order they appear under "Support for families and young people".
FAMILY_PAGES = (
    PERSONAL_BUDGETS,
    PERSONAL_BUDGETS_EASY_READ,
    SEVEN_STEPS,
    WHAT_A_BUDGET_CAN_PAY_FOR,
    DIRECT_PAYMENTS,
    INDIVIDUAL_SERVICE_FUNDS,
    MANAGED_ACCOUNTS,
    EMPLOYING_A_PA,
    DBS_FOR_FAMILIES,
    PEOPLES_STORIES,
    FAMILY_QUESTIONS,
)
