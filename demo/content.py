"""Everything `load_demo` creates, as plain data: authors, categories, articles, pack, pages."""

from demo import articles_qi, articles_rated
from demo.specs import (
    DemoAuthor,
    DemoCategory,
    DemoImage,
    DemoPack,
    DemoPackItem,
    DemoPage,
    html,
)

# For the demo only: printed by `load_demo`, never used outside a local trial.
EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "oversight-demo"
EDITOR_EMAIL = "editor@example.org"

AUTHORS = (
    DemoAuthor(
        username="hmarsh",
        first_name="Helen",
        last_name="Marsh",
        colour="#1f3a5f",
        bio=(
            "A former probation officer who now researches supervision practice. Helen writes "
            "about public protection and what inspection reports reveal about everyday casework."
        ),
    ),
    DemoAuthor(
        username="tokafor",
        first_name="Tom",
        last_name="Okafor",
        colour="#2f6b4f",
        bio=(
            "A data journalist who follows inspection ratings across public services. Tom builds "
            "the comparisons and tables behind Oversight's analysis."
        ),
    ),
)

CATEGORIES = (
    DemoCategory(
        slug="inspection-reports",
        name="Inspection reports",
        description="Write-ups of individual inspection reports, published when they come out.",
    ),
    DemoCategory(
        slug="analysis",
        name="Analysis",
        description="Comment and comparison across inspections, areas and years.",
    ),
    DemoCategory(
        slug="explainers",
        name="Explainers",
        description="How probation is organised and how inspectors judge it.",
    ),
)

ARTICLES = (*articles_qi.ARTICLES, *articles_rated.ARTICLES)

RESOURCE_PACK = DemoPack(
    slug="transforming-rehabilitation",
    title="Transforming Rehabilitation resource pack",
    promo_text="Every inspection of the split probation service, in one place.",
    intro=html("""
        <p>In June 2014 probation in England and Wales was divided between 21 community
        rehabilitation companies and a National Probation Service. This pack gathers our
        explainers, our write-ups of the inspections that followed and the inspectorate's own
        press releases, in the order we suggest reading them.</p>
    """),
    image=DemoImage(
        label="Transforming Rehabilitation",
        alt="Abstract illustration: a navy gradient with pale vertical bars and the words "
        "Transforming Rehabilitation in white.",
        caption="",
    ),
    items=(
        DemoPackItem(
            article="what-is-a-community-rehabilitation-company",
            note="Start here: who does what since 2014.",
        ),
        DemoPackItem(
            article="how-probation-inspection-ratings-work",
            note="The 2018 standards and how a rating is reached.",
        ),
        DemoPackItem(
            article="north-london-probation-inspection-2016",
            note="The most critical report of the Quality & Impact years.",
        ),
        DemoPackItem(
            source="hmip-pr-northlondon-2016",
            title="HM Inspectorate of Probation: north of London press release (2016)",
        ),
        DemoPackItem(article="merseyside-crc-inspection-2018"),
        DemoPackItem(article="london-crc-inspection-2019"),
        DemoPackItem(
            article="probation-ratings-2018-19-round-up",
            note="All 28 services rated: the results in one table.",
        ),
        DemoPackItem(
            source="hmip-pr-summary-2019",
            title="HM Inspectorate of Probation: the 2018/19 round, press release",
            note="The chief inspector on the gap between public and private providers.",
        ),
        DemoPackItem(
            source="hmip-pr-londoncrc-2019",
            title="HM Inspectorate of Probation: London CRC press release (2019)",
        ),
        DemoPackItem(article="domestic-abuse-safeguarding-probation-inspections"),
    ),
)

PAGES = (
    DemoPage(
        url="/about/",
        title="About Oversight",
        content=html("""
            <p>Oversight writes about public services and the inspectorates that judge them.
            Each article stands on the inspection reports behind it, and those reports are
            kept here as structured records: who was inspected, when, what the inspectors
            found and how each organisation was rated.</p>
            <h2>What you will find</h2>
            <ul>
              <li>Write-ups of inspection reports, usually published when the report comes
              out.</li>
              <li>Analysis that compares areas, organisations and years.</li>
              <li>Explainers on how services are organised and how inspection works.</li>
              <li>Open data: the inspections, findings and ratings, to download and reuse.</li>
            </ul>
            <h2>Our approach</h2>
            <p>We summarise reports in our own words, quote sparingly and link to the original
            documents so that readers can check what we say. When we get something wrong, we
            correct it and say so on the article.</p>
            <p>The articles on this installation are demonstration content, written from
            public inspection reports and press releases.</p>
        """),
    ),
    DemoPage(
        url="/privacy/",
        title="Privacy",
        content=html("""
            <p>Oversight is run by its editors, who decide what is kept about readers and
            why. The tables below are written from the site's own settings, so they are always
            current.</p>
            <h2>Cookies</h2>
            <p>The site sets a cookie to remember your language if you choose one, and a
            security cookie that protects forms against forgery. Editors who sign in also get
            a session cookie. There are no advertising or analytics cookies, and no
            third-party scripts or trackers.</p>
        """),
    ),
)


# Article slug -> slugs of the inspection records it discusses.
ARTICLE_INSPECTIONS = {
    "durham-probation-inspection-2016": ["durham-quality-impact-2016"],
    "derbyshire-probation-inspection-2016": ["derbyshire-quality-impact-2016"],
    "kent-probation-inspection-2016": ["kent-quality-impact-2016"],
    "north-london-probation-inspection-2016": ["north-of-london-quality-impact-2016"],
    "cumbria-probation-inspection-2017": ["cumbria-quality-impact-2017"],
    "london-nps-inspection-2018": ["london-nps-quality-impact-2018"],
    "london-crc-inspection-2018": [
        "london-crc-quality-impact-2018",
        "north-of-london-quality-impact-2016",
    ],
    "merseyside-crc-inspection-2018": ["merseyside-crc-2018"],
    "nps-north-west-inspection-2019": ["nps-north-west-2019"],
    "durham-tees-valley-crc-inspection-2019": [
        "durham-tees-valley-crc-2019",
        "durham-quality-impact-2016",
    ],
    "cumbria-and-lancashire-crc-inspection-2019": [
        "cumbria-and-lancashire-crc-2019",
        "cumbria-quality-impact-2017",
    ],
    "london-crc-inspection-2019": ["london-crc-2019", "london-crc-quality-impact-2018"],
    "probation-ratings-2018-19-round-up": [
        "merseyside-crc-2018",
        "nps-north-west-2019",
        "durham-tees-valley-crc-2019",
        "cumbria-and-lancashire-crc-2019",
        "london-crc-2019",
    ],
    "london-probation-inspections-looking-back": [
        "north-of-london-quality-impact-2016",
        "london-nps-quality-impact-2018",
        "london-crc-quality-impact-2018",
        "london-crc-2019",
    ],
    "domestic-abuse-safeguarding-probation-inspections": [
        "north-of-london-quality-impact-2016",
        "merseyside-crc-2018",
        "cumbria-and-lancashire-crc-2019",
    ],
}


# Readers' comments, approved: (target kind, target slug, key, name, body, reply-to key,
# days after publication). Names and words are invented for the demo.
DEMO_COMMENTS = [
    (
        "article",
        "north-london-probation-inspection-2016",
        "nl-1",
        "Maria K.",
        "I worked as a probation officer in Haringey until last year. The cohort model "
        "meant I rarely knew the local services my cases needed. The report describes "
        "what many of us said at the time.",
        None,
        1,
    ),
    (
        "article",
        "north-london-probation-inspection-2016",
        "nl-2",
        "David",
        "Thank you for setting the CRC and NPS findings side by side. The co-ordination "
        "section is the part that rarely makes the news.",
        None,
        2,
    ),
    (
        "article",
        "north-london-probation-inspection-2016",
        "nl-3",
        "Helen Marsh",
        "Maria, thank you. The 2018 follow-up suggests the move to local teams came from "
        "exactly that criticism; we will look at it when the report is out.",
        "nl-1",
        3,
    ),
    (
        "article",
        "domestic-abuse-safeguarding-probation-inspections",
        "da-1",
        "Sam Okoro",
        "Useful to have all twelve inspections in one place. It would help to see which "
        "of these services have since been inspected again.",
        None,
        1,
    ),
    (
        "inspection",
        "north-of-london-quality-impact-2016",
        "insp-nl-1",
        "Priya",
        "Is there a record of what the independent taskforce reported afterwards?",
        None,
        5,
    ),
]
