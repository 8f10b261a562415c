"""Demo articles on the Quality & Impact inspections, 2016 to early 2018.

Every sentence is written for Oversight from the facts in demo/inspections-demo.json;
`href="source:<id>"` points at a source there and `href="article:<slug>"` at another demo article.
Reports whose facts give only a month are written up on that month's last working day.
"""

import datetime

from demo.specs import DemoArticle, DemoImage, html

DURHAM_2016 = DemoArticle(
    slug="durham-probation-inspection-2016",
    title="Durham: a confident NPS and a CRC still finding its feet",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, Durham, CRC, NPS, ARCC, court work, "
        "Through the Gate, Transforming Rehabilitation"
    ),
    published_on=datetime.date(2016, 8, 31),
    standfirst=(
        "The first report of the inspectorate's new Quality & Impact programme finds good "
        "partnership and high morale in County Durham, but basic supervision by the community "
        "rehabilitation company has slipped."
    ),
    meta_description="What HM Inspectorate of Probation found in County Durham in August 2016.",
    image=DemoImage(
        label="Durham",
        alt="Abstract illustration: a dark green gradient crossed by pale vertical bars, with "
        "the word Durham in white.",
        caption="County Durham was the first area visited under the Quality & Impact programme.",
        palette="green",
    ),
    body=html("""
        <p>HM Inspectorate of Probation has published the first report of its Quality &amp;
        Impact programme, and it starts in County Durham. It is an early look at how the two
        halves of the split probation service are doing on the ground, and the picture is
        mixed: a public sector division working well, and a community rehabilitation company
        (CRC) that has reorganised itself but let some of the basics slip.</p>

        <h2>Who was inspected</h2>
        <ul>
          <li>Durham Tees Valley CRC, run by ARCC, a not-for-profit consortium. When the
          inspectors visited it was the only CRC not in private ownership.</li>
          <li>The North East division of the National Probation Service (NPS), which supervises
          the higher-risk cases in the same area.</li>
        </ul>
        <p>The fieldwork took two weeks. The programme gives no grades: each organisation gets a
        written judgement on reducing reoffending, protecting the public and making sure people
        keep to their sentence.</p>

        <h2>What went well</h2>
        <ul>
          <li>The two organisations got on with each other, and morale in both was unusually
          high. After two years of upheaval that is worth noting.</li>
          <li>Checkpoint, a scheme run by the police with the NPS, diverts low-level first-time
          offenders from prosecution. The inspectors commended it.</li>
          <li>Away from court, the NPS produced good-quality work, backed by experienced staff
          and strong managers.</li>
          <li>The CRC's resettlement work for people leaving prison (Through the Gate) and its
          social action projects were young but promising.</li>
        </ul>

        <h2>Where it fell short</h2>
        <ul>
          <li>Same-day reports prepared for sentencing courts fell below standard, so some
          sentence proposals missed the mark.</li>
          <li>The CRC had rebuilt its management structure and working model after serious early
          difficulties, and was now handling a smaller caseload. But some of the routine of
          supervision had got worse, which means less chance of cutting reoffending and of
          keeping people safe.</li>
        </ul>

        <h2>What the inspectors asked for</h2>
        <ol>
          <li>The NPS should train its pre-sentence report writers more thoroughly.</li>
          <li>The CRC should strengthen oversight by managers and the supervision of its
          responsible officers, and put quality assurance back at the centre of core
          work.</li>
        </ol>

        <h2>Why it matters</h2>
        <p>With only one report published there is nothing to compare Durham with yet. It
        does, however, set a baseline. A CRC that is not run for profit, whose staff are
        positive and whose partnerships work, still saw everyday supervision deteriorate. That
        points to pressures in the Transforming Rehabilitation model as a whole, not only in
        one company. The <a href="source:hmip-pr-durham-2016">inspectorate's press release</a>
        sets out the headline findings.</p>
    """),
)

DERBYSHIRE_2016 = DemoArticle(
    slug="derbyshire-probation-inspection-2016",
    title="Derbyshire: the new CRC falls short of the old trust's standards",
    author="tokafor",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, Derbyshire, CRC, NPS, caseloads, public "
        "protection, Transforming Rehabilitation"
    ),
    published_on=datetime.date(2016, 9, 30),
    standfirst=(
        "In the third area inspected since the probation split, the NPS kept up the good record "
        "of the former trust while the CRC's work ranged from adequate to poor."
    ),
    body=html("""
        <p>Derbyshire is the third area the probation inspectorate has visited since the
        service was divided in 2014, and the report published this month is the most
        worrying so far for a community rehabilitation company. The same area was served well
        by its probation trust before the reforms; the inspectors found that the CRC's work
        has fallen a long way below that standard.</p>

        <h2>The organisations</h2>
        <ul>
          <li>Derbyshire, Leicestershire, Nottinghamshire and Rutland CRC (DLNR), owned by the
          Reducing Reoffending Partnership, which also owns the Staffordshire and West Midlands
          CRC.</li>
          <li>The Midlands division of the National Probation Service.</li>
        </ul>

        <h2>The National Probation Service</h2>
        <ul>
          <li>The NPS had a firm hold on the risks its cases presented to other people,
          continuing the good record of the old trust.</li>
          <li>Its work to help people move away from crime was generally effective.</li>
        </ul>

        <h2>The CRC</h2>
        <ul>
          <li>The quality of the CRC's work ran from adequate to poor, well short of what the
          trust used to achieve.</li>
          <li>Inspectors could see no sign that protecting the public was treated as a
          priority. Staff did not look through enough of the information on a case before
          judging the risk it posed, and many said they had not been trained for that
          task.</li>
          <li>Officers were carrying very large caseloads without the IT, administrative
          support and supervision that the new operating model had promised them.</li>
          <li>Most people complied with their order or licence, yet contact with many was so
          infrequent that supervision could do little for them.</li>
        </ul>

        <h2>Recommendations</h2>
        <p>The inspectors asked the CRC to give its staff the facilities, resources and
        manageable workloads they need to run the new model. The
        <a href="source:hmip-pr-derbyshire-2016">press release</a> notes a further
        recommendation for the National Offender Management Service.</p>

        <h2>Our view</h2>
        <p>Durham and Derbyshire now point the same way: the NPS holding up, the CRC
        struggling with the basics. Derbyshire shows what that looks like in practice. A model
        that depends on IT and administrative help that has not arrived leaves officers seeing
        people too rarely to make a difference, and risk goes unexamined. Whether the next
        areas follow the same path is the question to watch.</p>
    """),
)

KENT_2016 = DemoArticle(
    slug="kent-probation-inspection-2016",
    title="Kent turns the pattern around: a confident CRC and an understaffed NPS",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, Kent, CRC, NPS, Seetec, staffing, unpaid "
        "work, public protection"
    ),
    published_on=datetime.date(2016, 10, 6),
    standfirst=(
        "The fourth area inspection since Transforming Rehabilitation finds the private CRC in "
        "good heart and the public NPS struggling with staff shortages."
    ),
    image=DemoImage(
        label="Kent",
        alt="Abstract illustration: a teal gradient with a row of light vertical bars and the "
        "word Kent in white.",
        caption="Kent was the fourth area inspected after the probation reforms.",
        palette="teal",
    ),
    body=html("""
        <p>After Durham and Derbyshire, where the National Probation Service (NPS) was the
        stronger of the two organisations, the inspection of Kent published today reverses the
        picture. The community rehabilitation company is doing well; the NPS is not.</p>

        <h2>Kent, Surrey and Sussex CRC</h2>
        <p>The CRC is run by Seetec. Inspectors liked what they saw:</p>
        <ul>
          <li>It chose a simple way of working and put it in place quickly, and its staff were
          in good spirits and trusted their leaders.</li>
          <li>It made a point of involving people on probation in drawing up their own plans to
          stop offending.</li>
          <li>It needed to do more to get people started on unpaid work promptly, and to train
          enough of its staff to a good standard.</li>
        </ul>

        <h2>The NPS in Kent</h2>
        <p>The South East and Eastern division of the NPS is responsible for higher-risk cases
        in Kent, and here the report is critical:</p>
        <ul>
          <li>The service was seriously short of staff. It relied on agency workers and newly
          recruited officers and found it hard to recruit experienced probation officers.</li>
          <li>Work to protect the public from harm was not good enough, and some staff paid too
          little attention to risk.</li>
          <li>Compared with other areas, the results for the NPS in Kent were poor.</li>
        </ul>
        <p>In the inspectorate's account, low staffing and a dependence on agency workers fed
        each other, each making the other harder to fix. On publication the Chief Inspector
        urged the NPS nationally and the Ministry of Justice to close the staffing gap in Kent
        without delay.</p>

        <h2>What it tells us</h2>
        <p>It would be easy to read the first reports as a simple story of public good,
        private bad. Kent shows the real variable is capacity: a CRC with a clear model and a
        settled workforce does good work, and a public service without enough experienced
        officers does not. The <a href="source:hmip-pr-kent-2016">inspectorate's press
        release</a> summarises the findings.</p>
    """),
)

NORTH_LONDON_2016 = DemoArticle(
    slug="north-london-probation-inspection-2016",
    title="North London probation: the harshest verdict yet on a CRC",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, London, CRC, NPS, MTCnovo, Glenys "
        "Stacey, caseloads, public protection, domestic abuse, safeguarding, Transforming "
        "Rehabilitation"
    ),
    published_on=datetime.date(2016, 12, 14),
    standfirst=(
        "Inspectors found the London CRC's work far below the standard expected, with some "
        "people unseen for weeks and others no longer supervised at all. The NPS did better, "
        "but unevenly."
    ),
    meta_description=(
        "HM Inspectorate of Probation's December 2016 report on probation in the north of "
        "London: findings for the CRC, the NPS and how the two work together."
    ),
    image=DemoImage(
        label="North London",
        alt="Abstract illustration: a deep blue gradient with pale vertical bars of varying "
        "height and the words North London in white.",
        caption="The north of London report was published on 14 December 2016.",
        palette="navy",
    ),
    body=html("""
        <p>The probation inspectorate's report on the north of London, published today, is the
        fifth area inspection since the Transforming Rehabilitation reforms and the most
        critical so far. Its judgement on the London community rehabilitation company (CRC) is
        blunt: despite some good work by individual officers, the company's work falls well
        short of what is expected, and it is the poorest seen in any area this year. The
        National Probation Service (NPS) in London comes out better, though with plenty to
        fix.</p>

        <h2>The background</h2>
        <ul>
          <li>London is home to about 17% of all the people on probation in England and
          Wales.</li>
          <li>The London CRC is the largest in the country. At the end of June 2016 it was
          supervising 28,750 people, 12% fewer than a year earlier.</li>
          <li>The company is owned and run by MTCnovo.</li>
          <li>Inspectors last looked at probation in London in 2014.</li>
        </ul>

        <h2>Findings &ndash; CRC</h2>
        <ul>
          <li>Some people had not been seen for weeks or even months, and some had fallen out of
          supervision altogether. Managers were not checking whether people turned up.</li>
          <li>Caseloads differed widely from one officer to the next, and some were simply
          unmanageable. The company's operating model, which grouped cases across London by
          age and gender, contributed to the imbalance.</li>
          <li>Staff often missed significant information about a case, and their grasp of the
          risks around domestic abuse and the safeguarding of children was weak.</li>
          <li>Inexperienced officers, very thin oversight and a lack of grip from senior
          managers together explain much of the failure.</li>
        </ul>

        <h2>Findings &ndash; NPS</h2>
        <ul>
          <li>The NPS outperformed the CRC, but the quality of its work was inconsistent and
          needs to improve.</li>
          <li>Its work to protect the public was judged acceptable overall, which matters
          because the NPS holds the cases with the highest risk of harm.</li>
        </ul>

        <h2>Findings &ndash; co-ordination</h2>
        <ul>
          <li>The two organisations depend on each other: the NPS prepares reports for the
          courts and allocates cases, so what it learns at the start of an order has to reach
          the CRC intact.</li>
          <li>The CRC organised its caseload in cohorts spanning the whole capital rather than
          by locality. In our view that makes close local links, with partners and with NPS
          colleagues, harder to build.</li>
          <li>The gap in quality between the two is itself a co-ordination problem: a case
          that is assessed and allocated properly at court can still drift once the CRC has
          it.</li>
        </ul>

        <h2>The response</h2>
        <p>After the report came out, the Ministry of Justice announced two steps: MTCnovo had
        been made to put a further &pound;370,000 into temporary staff, and an independent
        taskforce would monitor how the company performs.</p>

        <h2>Conclusion</h2>
        <p>Probation in London was never going to be easy: the caseload is the largest in the
        country and the city is complex. But the failings
        described here are failures of the basics &ndash; seeing people, knowing who they are
        and what risk they pose, and making sure someone notices when they stop turning up.
        The Chief Inspector's warning about people under the company's supervision goes to the
        heart of it:</p>
        <blockquote cite="source:hmip-pr-northlondon-2016">
          <p>&ldquo;&hellip;lost in the system&hellip;&rdquo;</p>
          <p>&mdash; <cite>Dame Glenys Stacey, HM Chief Inspector of Probation</cite></p>
        </blockquote>
        <p>The inspectorate will want to see rapid change, and so should everyone who relies on
        probation in London. Read the <a href="source:hmip-pr-northlondon-2016">official press
        release</a> for the inspectorate's own summary.</p>
    """),
)

WHAT_IS_A_CRC = DemoArticle(
    slug="what-is-a-community-rehabilitation-company",
    title="Explainer: what is a community rehabilitation company?",
    author="tokafor",
    category="explainers",
    tags=(
        "probation, CRC, NPS, Transforming Rehabilitation, Through the Gate, unpaid work, "
        "court work, MTCnovo, Seetec, ARCC"
    ),
    published_on=datetime.date(2017, 11, 15),
    standfirst=(
        "Since 2014 probation in England and Wales has been run by two kinds of organisation. "
        "Here is who does what, who owns them and how to read an inspection report about them."
    ),
    image=DemoImage(
        label="What is a CRC?",
        alt="Abstract illustration: a plum-coloured gradient with light vertical bars and the "
        "question What is a CRC? in white.",
        caption="An explainer on the two halves of the probation service.",
        palette="plum",
    ),
    body=html("""
        <p>Most of the inspection reports we write about concern one of two kinds of
        organisation, and the difference matters for reading them. This explainer sets out
        the basics.</p>

        <h2>One service, split in two</h2>
        <p>Under the Transforming Rehabilitation reforms, the probation trusts that used to
        supervise people on community sentences and licences were replaced in June 2014 by two
        new structures:</p>
        <ul>
          <li><strong>Community rehabilitation companies (CRCs)</strong>, which supervise people
          assessed as posing a low or medium risk of harm. There are 21 of them, each covering
          a region, and they are run under contract.</li>
          <li><strong>The National Probation Service (NPS)</strong>, a public body organised in
          seven divisions, which supervises people posing a higher risk of harm.</li>
        </ul>

        <h2>Who does what</h2>
        <table>
          <caption>The main responsibilities of each organisation</caption>
          <thead>
            <tr><th scope="col">Task</th><th scope="col">CRC</th><th scope="col">NPS</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">Supervision</th><td>Low and medium risk of harm</td>
            <td>High risk of harm</td></tr>
            <tr><th scope="row">Reports to court and allocation of cases</th><td>No</td>
            <td>Yes</td></tr>
            <tr><th scope="row">Contact with victims</th><td>No</td><td>Yes</td></tr>
            <tr><th scope="row">Unpaid work</th><td>Yes</td><td>No</td></tr>
            <tr><th scope="row">Through the Gate resettlement for people leaving prison</th>
            <td>Yes</td><td>No</td></tr>
          </tbody>
        </table>

        <h2>Who owns the CRCs</h2>
        <p>Ownership varies, which is one reason the inspection results are followed so
        closely. Among the owners that appear in reports covered here:</p>
        <ul>
          <li>MTCnovo, which runs the London CRC, the largest in the country.</li>
          <li>ARCC, a not-for-profit consortium that runs Durham Tees Valley CRC.</li>
          <li>The Reducing Reoffending Partnership, owner of the CRCs for the East Midlands and
          for Staffordshire and the West Midlands.</li>
          <li>Seetec, which runs Kent, Surrey and Sussex CRC.</li>
          <li>Sodexo Justice Services, in partnership with Nacro, whose six CRCs between them
          carry 18% of all CRC cases nationally.</li>
        </ul>

        <h2>How inspectors look at them</h2>
        <p>HM Inspectorate of Probation's current Quality &amp; Impact inspections usually
        take a geographical area and look at the CRC and the NPS division working there side
        by side, judging each on reducing reoffending, protecting the public and making sure
        people keep to their sentence. That is why so many reports, such as
        <a href="article:north-london-probation-inspection-2016">North London</a> and
        <a href="article:kent-probation-inspection-2016">Kent</a>, read as a comparison
        between the two. The <a href="source:hmip-docs-area">inspectorate's
        documentation on probation inspection</a> has more detail.</p>
    """),
)

CUMBRIA_2017 = DemoArticle(
    slug="cumbria-probation-inspection-2017",
    title="Cumbria sets the benchmark for private probation",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, Cumbria, CRC, NPS, Sodexo, public protection"
    ),
    published_on=datetime.date(2017, 10, 5),
    standfirst=(
        "Inspectors call the Cumbria work of the Cumbria and Lancashire CRC the best CRC work "
        "they have come across since probation was divided in 2014."
    ),
    image=DemoImage(
        label="Cumbria",
        alt="Abstract illustration: a slate-grey gradient with pale vertical bars and the word "
        "Cumbria in white.",
        caption="Cumbria: good work overall from both probation organisations.",
        palette="slate",
    ),
    body=html("""
        <p>After a run of critical reports, today's inspection of probation in Cumbria is a
        welcome change. HM Inspectorate of Probation says that probation work in the county is
        good overall, and it reserves its strongest praise for the community rehabilitation
        company.</p>

        <h2>The context</h2>
        <ul>
          <li>More than 260,000 adults are under probation supervision in England and
          Wales.</li>
          <li>Cumbria is served by the Cumbria and Lancashire CRC, one of six CRCs owned by
          Sodexo Justice Services in partnership with Nacro. Together those six hold 18% of
          the national CRC caseload.</li>
          <li>Higher-risk cases are managed by the North West division of the National
          Probation Service.</li>
        </ul>

        <h2>The CRC</h2>
        <ul>
          <li>No CRC inspected since the 2014 split had shown work as strong as this company's
          in Cumbria, the inspectors said.</li>
          <li>Practice grounded in evidence about what helps people stop offending was visible
          throughout the cases they examined.</li>
        </ul>

        <h2>The NPS</h2>
        <ul>
          <li>Staff dealt with complex cases and kept a proper focus on protecting the
          public.</li>
          <li>The quality of work was uneven in places.</li>
          <li>More could be done to improve the life chances of the people being
          supervised.</li>
        </ul>

        <h2>Why it matters</h2>
        <p>Cumbria shows that a CRC can deliver consistently good work under the new
        arrangements. The harder question is whether that can be sustained, and repeated
        across the rest of a large contract area that also takes in Lancashire. The
        <a href="source:hmip-pr-cumbria-2017">inspectorate's press release</a> has the
        summary.</p>
    """),
)

LONDON_NPS_2018 = DemoArticle(
    slug="london-nps-inspection-2018",
    title="London's National Probation Service: clear progress on public protection",
    author="tokafor",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, London, NPS, public protection, court "
        "work, safeguarding"
    ),
    published_on=datetime.date(2018, 1, 10),
    standfirst=(
        "A year after the north London report, inspectors find the capital's NPS much improved, "
        "strong on risk but still weak on rehabilitation and reviews."
    ),
    image=DemoImage(
        label="London NPS",
        alt="Abstract illustration: a navy gradient with light vertical bars and the words "
        "London NPS in white.",
        caption="The NPS London division supervises the capital's higher-risk cases.",
        palette="navy",
    ),
    body=html("""
        <p>Unlike the <a href="article:north-london-probation-inspection-2016">2016 area
        inspection</a>, which looked at both probation organisations in the north of London,
        today's report covers the National Probation Service (NPS) in London on its own. The
        headline is encouraging: the division has improved noticeably over the past year.</p>

        <h2>The caseload</h2>
        <p>The London division supervises more than 16,000 people assessed as posing a higher
        risk of harm. About 87% of them have served a prison sentence and are supervised after
        their release.</p>

        <h2>Strengths</h2>
        <ul>
          <li>Protecting the public was a strength. Assessments focused on the right risks, and
          information passed well between the police and the NPS.</li>
          <li>Risks connected with terrorism, organised crime and gangs were handled well.</li>
          <li>Court work was done well overall.</li>
        </ul>

        <h2>Weaknesses</h2>
        <ul>
          <li>Officers writing short-format reports for the courts often could not obtain
          safeguarding information about children and adults in time.</li>
          <li>Rehabilitation was uneven: a good number of cases had no structured intervention
          at all, housing of the right kind was in short supply, and services built around
          women's needs were thin.</li>
          <li>Reviews of cases were irregular, and people under supervision were given little
          voice in shaping their plans.</li>
        </ul>

        <h2>Our view</h2>
        <p>For an organisation holding the capital's highest-risk cases, being strong on
        public protection is the right priority. But protection and rehabilitation are not
        alternatives: housing, structured programmes and services for women are what make
        supervision last beyond the licence. The
        <a href="source:hmip-pr-londonnps-2018">press release</a> sets out the
        inspectorate's summary.</p>
    """),
)

LONDON_CRC_2018 = DemoArticle(
    slug="london-crc-inspection-2018",
    title="London CRC revisited: a long way travelled, still not far enough",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, Quality & Impact, London, CRC, MTCnovo, public protection, "
        "safeguarding"
    ),
    published_on=datetime.date(2018, 3, 29),
    standfirst=(
        "The inspectors' return to the London CRC finds real change since 2016, but in key areas "
        "the company has only reached a national average that is itself too low."
    ),
    image=DemoImage(
        label="London CRC",
        alt="Abstract illustration: a rust-red gradient with pale vertical bars and the words "
        "London CRC in white.",
        caption="The 2018 inspection covered the London CRC across the whole capital.",
        palette="rust",
    ),
    body=html("""
        <p>Fifteen months after the damning
        <a href="article:north-london-probation-inspection-2016">north London report</a>, HM
        Inspectorate of Probation has been back to the London community rehabilitation
        company. This time the inspection covered the whole of London and examined many more
        cases, so it gives a fuller picture than the first.</p>

        <h2>What has changed</h2>
        <ul>
          <li>Responding to the 2016 report, the CRC abandoned its model of London-wide cohorts
          defined by age and gender. Cases are now held by locally based teams with links to
          local partners.</li>
          <li>Some practice has clearly improved, and the inspectors acknowledge that the
          company has come a long way.</li>
          <li>The CRC is supervising nearly 30,000 people.</li>
        </ul>

        <h2>What has not</h2>
        <ul>
          <li>In important areas the company has only climbed to the national average, and the
          inspectors regard that average as too low to be acceptable.</li>
          <li>Public protection work varied from case to case and, overall, did not reach an
          acceptable level.</li>
          <li>The evidence suggested that safeguarding children was not a high enough priority
          for the CRC.</li>
          <li>Support to help people stop offending was still not good enough.</li>
        </ul>

        <h2>Our view</h2>
        <p>The move to local teams is the kind of structural fix the 2016 report pointed
        towards, and it deserves credit. But improving from a very low base to an average that
        the inspectors themselves consider too low is not the same as delivering a safe service.
        The finding on child safeguarding should concern the company's owner, MTCnovo, and the
        Ministry of Justice alike. The <a href="source:hmip-pr-londoncrc-2018">inspectorate's
        press release</a> has the summary.</p>
    """),
)

ARTICLES = (
    DURHAM_2016,
    DERBYSHIRE_2016,
    KENT_2016,
    NORTH_LONDON_2016,
    WHAT_IS_A_CRC,
    CUMBRIA_2017,
    LONDON_NPS_2018,
    LONDON_CRC_2018,
)
