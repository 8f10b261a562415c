"""Demo articles on the rated inspections of 2018-2019, and two recent look-backs.

Same rules as demo.articles_qi: every sentence written for Oversight from the facts file.
"""

import datetime

from demo.specs import DemoArticle, DemoImage, html

HOW_RATINGS_WORK = DemoArticle(
    slug="how-probation-inspection-ratings-work",
    title="Explainer: how the new probation inspection ratings work",
    author="tokafor",
    category="explainers",
    tags="probation, HMI Probation, ratings, CRC, NPS, unpaid work, Through the Gate",
    published_on=datetime.date(2018, 7, 12),
    standfirst=(
        "From this year every CRC and every NPS division gets an annual inspection and a rating "
        "from outstanding to inadequate. Here is how the ten standards and the overall verdict "
        "fit together."
    ),
    body=html("""
        <p>Since April 2018 HM Inspectorate of Probation has changed the way it inspects. The
        Quality &amp; Impact programme, which visited an area and wrote a narrative judgement
        on each organisation without grading it, has given way to a framework of standards and
        ratings. Each community rehabilitation company (CRC) and each division of the National
        Probation Service (NPS) is now inspected on its own, once a year.</p>

        <h2>The scale</h2>
        <p>Ratings use four levels, the same four words that the Care Quality Commission and
        Ofsted use:</p>
        <ul>
          <li><strong>Outstanding</strong></li>
          <li><strong>Good</strong></li>
          <li><strong>Requires improvement</strong></li>
          <li><strong>Inadequate</strong></li>
        </ul>

        <h2>The ten standards</h2>
        <p>Every organisation is rated against ten standards: eight shared by both kinds of
        organisation, and two that apply only to the NPS or only to CRCs.</p>
        <table>
          <caption>Domains and standards in the 2018 framework</caption>
          <thead>
            <tr><th scope="col">Domain</th><th scope="col">Standards</th>
            <th scope="col">Applies to</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">1. Organisational delivery</th>
            <td>1.1 Leadership; 1.2 Staff; 1.3 Services; 1.4 Information and facilities</td>
            <td>CRCs and NPS</td></tr>
            <tr><th scope="row">2. Case supervision</th>
            <td>2.1 Assessment; 2.2 Planning; 2.3 Implementation and delivery; 2.4 Reviewing</td>
            <td>CRCs and NPS</td></tr>
            <tr><th scope="row">3. NPS-specific work</th>
            <td>3.1 Court reports and allocation; 3.2 Statutory victim work</td>
            <td>NPS only</td></tr>
            <tr><th scope="row">4. Unpaid work and Through the Gate</th>
            <td>4.1 Unpaid work; 4.2 Through the Gate</td><td>CRCs only</td></tr>
          </tbody>
        </table>
        <p>That is why a CRC report jumps from domain 2 to domain 4: domain 3 belongs to the
        NPS.</p>

        <h2>From standards to an overall rating</h2>
        <p>Each standard earns points according to its rating: three for outstanding, two for
        good, one for requires improvement and none for inadequate. The points for the ten
        standards are added up, out of a possible 30, and the total decides the overall
        rating. We have not yet seen the exact cut-off points set out in a form we can quote,
        so we will not guess at them here.</p>

        <h2>How to read a report</h2>
        <p>The reports follow the same order every time:</p>
        <ol>
          <li>a foreword;</li>
          <li>the overall findings;</li>
          <li>a summary table of the ratings;</li>
          <li>the recommendations;</li>
          <li>background and key facts about the organisation;</li>
          <li>one chapter for each domain;</li>
          <li>annexes with the methodology and the results of the case inspections.</li>
        </ol>
        <p>After publication the organisation has to send the inspectorate an action plan
        answering each recommendation. The inspectorate explains the approach on its
        <a href="source:hmip-standards-ratings">standards and ratings page</a> and in its notes
        on <a href="source:hmip-programme-dev">developing the new programme</a>.</p>
    """),
)

MERSEYSIDE_2018 = DemoArticle(
    slug="merseyside-crc-inspection-2018",
    title="Merseyside CRC: the first overall rating under the new framework",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, ratings, Merseyside, CRC, Purple Futures, domestic abuse, "
        "safeguarding, public protection"
    ),
    published_on=datetime.date(2018, 9, 26),
    standfirst=(
        "Merseyside is the first CRC to be given an overall rating, and it is 'requires "
        "improvement'. Committed staff and good services for women are let down by weak work on "
        "risk."
    ),
    image=DemoImage(
        label="Merseyside",
        alt="Abstract illustration: a teal gradient with pale vertical bars and the word "
        "Merseyside in white.",
        caption="Merseyside CRC was the first organisation rated under the 2018 standards.",
        palette="teal",
    ),
    body=html("""
        <p>HM Inspectorate of Probation has published the first report under its
        <a href="article:how-probation-inspection-ratings-work">new standards and
        ratings</a>, and Merseyside community rehabilitation company becomes the first CRC
        with an overall rating: requires improvement.</p>

        <h2>The company</h2>
        <ul>
          <li>The CRC covers Liverpool, Knowsley, St Helens, Sefton and Wirral.</li>
          <li>It supervises more than 6,500 people assessed as posing a low or medium risk of
          harm.</li>
          <li>It is owned by Purple Futures, a consortium of private and third-sector
          businesses.</li>
          <li>The inspectors did their fieldwork in June 2018.</li>
        </ul>

        <h2>What worked</h2>
        <ul>
          <li>Resources were stretched, but staff worked hard and cared about doing the job
          well.</li>
          <li>Services for women under supervision stood out, and the inspectorate singled
          them out for praise.</li>
        </ul>

        <h2>What did not</h2>
        <ul>
          <li>Enquiries about domestic abuse and safeguarding were too often handled as
          paperwork to complete rather than as the core of keeping people safe.</li>
          <li>When someone's life changed, such as starting a new relationship or moving in
          with a family that includes children, their risk was not always looked at
          again.</li>
          <li>Where a risk had been identified, officers did not routinely visit the home to
          check on the other people living there.</li>
          <li>In close to half of the cases examined, the person on probation was barely
          involved in their own supervision.</li>
        </ul>

        <h2>The recommendation that matters most</h2>
        <p>The inspectors want the CRC to rethink how it manages risk, and to give its staff
        the skills and knowledge they need to protect victims and potential victims. That is
        the right priority. A service can be caring and well intentioned and still miss the
        moment when a person on probation moves in with a family. The
        <a href="source:hmip-pr-merseyside-2018">press release</a> has the inspectorate's
        summary.</p>
    """),
)

NPS_NORTH_WEST_2019 = DemoArticle(
    slug="nps-north-west-inspection-2019",
    title="NPS North West rated good, with outstanding work for victims",
    author="tokafor",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, ratings, NPS, victims, staffing, court work, domestic "
        "abuse, safeguarding"
    ),
    published_on=datetime.date(2019, 2, 22),
    standfirst=(
        "The North West division of the National Probation Service is rated good overall, and "
        "outstanding for its statutory work with victims, despite a fifth of its probation "
        "officer posts standing empty."
    ),
    image=DemoImage(
        label="North West",
        alt="Abstract illustration: a green gradient with light vertical bars and the words "
        "North West in white.",
        caption="NPS North West: good overall, outstanding for victim work.",
        palette="green",
    ),
    body=html("""
        <p>The North West division of the National Probation Service (NPS) has been rated
        <strong>good</strong> in its inspection under the
        <a href="article:how-probation-inspection-ratings-work">2018 standards</a>. The
        inspectors visited in October 2018. The division also handles the higher-risk cases in
        Cumbria, where <a href="article:cumbria-probation-inspection-2017">the 2017
        inspection</a> found it focused on public protection but uneven in quality.</p>

        <h2>Outstanding: work with victims</h2>
        <p>The standard for statutory victim work was rated outstanding. Victims were
        contacted personally, and followed up, so that they could decide for themselves
        whether to join the victim contact scheme. That is simple to describe and hard to do
        consistently.</p>

        <h2>Other strengths</h2>
        <ul>
          <li>Leaders had a clear idea of what high-quality probation looks like, and a plan
          to get there.</li>
        </ul>

        <h2>Concerns</h2>
        <ul>
          <li>About 20% of probation officer posts, around 140 jobs, were vacant. Workloads
          were high, and the division depended on expensive agency staff. Recruitment was run
          centrally rather than by the division.</li>
          <li>Changes in a person's circumstances did not always prompt a fresh look at their
          risk of harm, and contingency plans were missing in some cases.</li>
          <li>Some reports to court and decisions on allocating cases were made before the
          required checks on domestic abuse and safeguarding had been done.</li>
        </ul>

        <h2>Our view</h2>
        <p>A good rating with a fifth of officer posts empty says a lot for the people who are
        in post, but it is fragile. The missing domestic abuse and safeguarding checks at
        court are exactly the kind of gap that stretched teams produce. The inspectorate's
        <a href="source:hmip-standards-ratings">standards and ratings page</a> explains how
        the verdict is reached.</p>
    """),
)

DURHAM_TEES_VALLEY_2019 = DemoArticle(
    slug="durham-tees-valley-crc-inspection-2019",
    title="Durham Tees Valley CRC: strong leadership, the same weak spot as 2016",
    author="hmarsh",
    category="inspection-reports",
    tags="probation, HMI Probation, ratings, Durham, CRC, ARCC, safeguarding, caseloads",
    published_on=datetime.date(2019, 3, 29),
    standfirst=(
        "Inspectors praise the not-for-profit CRC's governance and its staff's manageable "
        "caseloads, but rate it 'requires improvement' because risk and safeguarding are still "
        "not examined closely enough."
    ),
    image=DemoImage(
        label="Durham Tees Valley",
        alt="Abstract illustration: a slate-grey gradient with pale vertical bars and the "
        "words Durham Tees Valley in white.",
        caption="Durham Tees Valley CRC was the tenth CRC inspected in 2018-19.",
        palette="slate",
    ),
    body=html("""
        <p>Durham Tees Valley CRC was in the very first report of the Quality &amp; Impact
        programme <a href="article:durham-probation-inspection-2016">in 2016</a>. Its
        inspection under the new standards, the tenth CRC inspection of the 2018/19 round,
        gives an overall rating of <strong>requires improvement</strong>.</p>

        <h2>The company</h2>
        <ul>
          <li>It is run by ARCC, a not-for-profit consortium.</li>
          <li>At the time of the inspection, in November 2018, it was supervising 3,729
          people.</li>
          <li>It delivers supervision from local hubs and prefers to see people in
          person.</li>
        </ul>

        <h2>Strengths</h2>
        <ul>
          <li>Governance was effective. Few CRCs have leaders who decide their own strategy,
          policy and spending; this one does, and the mood among staff was positive.</li>
          <li>Staff took pride in the organisation, and their caseloads were reasonable, which
          cannot be said of many CRCs.</li>
        </ul>

        <h2>Weaknesses</h2>
        <ul>
          <li>Quality management remained weak, just as it had been in 2016: team managers
          were stretched across so many tasks that they could not keep a close eye on
          casework.</li>
          <li>Risk and safeguarding were not explored thoroughly enough, starting from the
          first contact with a person, and poor records and reviews were common.</li>
        </ul>

        <h2>Our view</h2>
        <p>This is a CRC that gets a lot right: local, settled, well led and not overloaded.
        That makes the persistence of the 2016 weakness more striking. Good leadership has not
        yet reached down into the checking of everyday casework, and the inspectors' findings
        on risk are the result. The <a href="source:hmip-pr-dtv-2019">press release</a> has the
        inspectorate's summary.</p>
    """),
)

CUMBRIA_LANCASHIRE_2019 = DemoArticle(
    slug="cumbria-and-lancashire-crc-inspection-2019",
    title="Cumbria and Lancashire CRC: from benchmark to 'requires improvement'",
    author="tokafor",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, ratings, Cumbria, Lancashire, CRC, Sodexo, domestic abuse, "
        "safeguarding, staffing"
    ),
    published_on=datetime.date(2019, 5, 30),
    standfirst=(
        "Less than two years after inspectors held up its Cumbria work as the best CRC practice "
        "they had seen, the company is rated 'requires improvement', with four standards "
        "inadequate."
    ),
    image=DemoImage(
        label="Cumbria & Lancashire",
        alt="Abstract illustration: a plum-coloured gradient with light vertical bars and the "
        "words Cumbria & Lancashire in white.",
        caption="Cumbria and Lancashire CRC supervises more than 5,500 people.",
        palette="plum",
    ),
    body=html("""
        <p>In 2017 the <a href="article:cumbria-probation-inspection-2017">Cumbria
        inspection</a> found the best work inspectors had seen from any CRC. Today's report on
        the whole of Cumbria and Lancashire CRC, which supervises more than 5,500 people
        assessed as posing a low or medium risk of harm, rates the company <strong>requires
        improvement</strong>.</p>

        <h2>The ratings</h2>
        <table>
          <caption>Cumbria and Lancashire CRC: the ten standards by rating</caption>
          <thead>
            <tr><th scope="col">Rating</th><th scope="col">Standards</th>
            <th scope="col">Points each</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">Good</th><td>1 (leadership)</td><td>2</td></tr>
            <tr><th scope="row">Requires improvement</th><td>5</td><td>1</td></tr>
            <tr><th scope="row">Inadequate</th><td>4</td><td>0</td></tr>
          </tbody>
        </table>
        <p>Added up the way the inspectorate
        <a href="article:how-probation-inspection-ratings-work">scores standards</a>, that is 7
        points out of a possible 30.</p>

        <h2>What went well</h2>
        <ul>
          <li>Leadership earned the one good rating, with a clear sense of direction, sound
          policies and a keen workforce.</li>
          <li>The CRC offered a good range of accredited programmes, including programmes for
          perpetrators of domestic abuse.</li>
        </ul>

        <h2>What went wrong</h2>
        <ul>
          <li>Assessments were often weak, and many said nothing about the circumstances of
          the offence or what lay behind it.</li>
          <li>Of the home visits that domestic abuse and safeguarding cases called for, only
          around one in three was made.</li>
          <li>The company lacked enough qualified officers for the cases posing a greater risk
          of harm.</li>
          <li>Some of the company's buildings were described as not fit for purpose.</li>
        </ul>

        <h2>A fair comparison?</h2>
        <p>Sodexo, which owns the CRC, said it did not recognise the organisation the report
        describes. It is worth being careful: the 2017 inspection looked at Cumbria only,
        while this one covers Lancashire too, under a different framework. But the 2017 report
        found good and sometimes exemplary work, and a third of necessary home visits is not a
        matter of methodology. The <a href="source:hmip-pr-cumblancs-2019">inspectorate's
        press release</a> has its summary.</p>
    """),
)

LONDON_CRC_2019 = DemoArticle(
    slug="london-crc-inspection-2019",
    title="London CRC in 2019: five goods, five 'requires improvement'",
    author="hmarsh",
    category="inspection-reports",
    tags=(
        "probation, HMI Probation, ratings, London, CRC, MTCnovo, Through the Gate, unpaid "
        "work, victims"
    ),
    published_on=datetime.date(2019, 8, 22),
    standfirst=(
        "The London CRC's third inspection since 2016 shows a company transformed at the top, "
        "with good work on unpaid work and resettlement, but still missing risks to victims in "
        "almost half of the cases examined."
    ),
    image=DemoImage(
        label="London CRC 2019",
        alt="Abstract illustration: a rust-red gradient with pale vertical bars and the words "
        "London CRC 2019 in white.",
        caption="The London CRC supervises nearly 29,000 people.",
        palette="rust",
    ),
    body=html("""
        <p>The London community rehabilitation company has come a long way since the
        <a href="article:north-london-probation-inspection-2016">north London report of
        2016</a> and the <a href="article:london-crc-inspection-2018">follow-up in 2018</a>.
        Its first inspection under the 2018 standards rates it <strong>requires
        improvement</strong> overall, with five standards rated good and five requiring
        improvement.</p>

        <h2>Improvements</h2>
        <ul>
          <li>Support for people leaving prison, under Through the Gate, was now good.</li>
          <li>Unpaid work was better supervised than before.</li>
          <li>Inspectors found a strong leadership team, staff who felt trusted to act, and
          effective relationships with partner organisations.</li>
        </ul>

        <h2>Problems</h2>
        <ul>
          <li>Plenty of services existed on paper, but the people whose cases were examined
          did not reliably get them.</li>
          <li>In 48% of the cases inspected, the risk of harm to actual or potential victims
          had not been assessed well enough.</li>
        </ul>

        <h2>The owner's view</h2>
        <p>MTC, which owns the CRC, described the result as close to good. In its own
        <a href="source:mtc-londoncrc-2019">press release</a> it said that its buildings and
        parts of case supervision had held the rating back, and that it had spent an extra
        &pound;250,000 on premises belonging to the Ministry of Justice.</p>

        <h2>Our view</h2>
        <p>On the points system, five goods and five requires improvements make 15 out of
        30, so MTC's description is not unreasonable. But the number that matters most is
        48%. A company supervising nearly 29,000 people that misjudges the risk to victims in
        almost half of its cases has not yet finished the job it started in 2016. The
        <a href="source:hmip-pr-londoncrc-2019">inspectorate's press release</a> has its
        summary.</p>
    """),
)

ROUND_UP_2019 = DemoArticle(
    slug="probation-ratings-2018-19-round-up",
    title="The 2018/19 probation ratings: 28 services, no outstanding",
    author="tokafor",
    category="analysis",
    tags="probation, HMI Probation, ratings, CRC, NPS, Transforming Rehabilitation",
    published_on=datetime.date(2019, 10, 31),
    standfirst=(
        "For the first time every probation service in England and Wales has been inspected "
        "and rated within a single year. Five of seven NPS divisions are good; one CRC in "
        "twenty-one is."
    ),
    meta_description="All 28 probation services rated in 2018/19: the results in one table.",
    image=DemoImage(
        label="2018-19 ratings",
        alt="Abstract illustration: a navy gradient with light vertical bars and the words "
        "2018-19 ratings in white.",
        caption="Every CRC and NPS division was rated in the 2018/19 round.",
        palette="navy",
    ),
    body=html("""
        <p>HM Inspectorate of Probation has finished its first full round under the
        <a href="article:how-probation-inspection-ratings-work">2018 standards</a>. All 28
        probation services, the 21 community rehabilitation companies and the 7 divisions of
        the National Probation Service, were inspected and rated within one year, and nearly
        6,000 cases were examined along the way.</p>

        <h2>The results</h2>
        <table>
          <caption>Overall ratings, 2018/19 inspections</caption>
          <thead>
            <tr><th scope="col">Rating</th><th scope="col">NPS divisions</th>
            <th scope="col">CRCs</th><th scope="col">All services</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">Outstanding</th><td>0</td><td>0</td><td>0</td></tr>
            <tr><th scope="row">Good</th><td>5</td><td>1</td><td>6</td></tr>
            <tr><th scope="row">Requires improvement</th><td>2</td><td>19</td><td>21</td></tr>
            <tr><th scope="row">Inadequate</th><td>0</td><td>1</td><td>1</td></tr>
          </tbody>
        </table>

        <h2>What stands out</h2>
        <ul>
          <li>Nobody was rated outstanding.</li>
          <li>Five of the seven NPS divisions were rated good; only one of the 21 CRCs
          was.</li>
          <li>Nineteen CRCs were rated requires improvement and one was inadequate.</li>
          <li>The chief inspector drew attention to a significant gap in performance between
          the public and private providers.</li>
        </ul>

        <h2>Same label, different scores</h2>
        <p>An overall rating is built by adding up points across ten standards, so a single
        label can cover a wide range. On that arithmetic,
        <a href="article:cumbria-and-lancashire-crc-inspection-2019">Cumbria and Lancashire
        CRC</a>, with one standard good, five requiring improvement and four inadequate,
        comes to 7 points out of 30; <a href="article:london-crc-inspection-2019">London
        CRC</a>, with five good and five requiring improvement, comes to 15. Both are
        &ldquo;requires improvement&rdquo;. Anyone comparing services should look past the
        headline to the standards underneath.</p>

        <h2>The reports we covered</h2>
        <ol>
          <li><a href="article:merseyside-crc-inspection-2018">Merseyside CRC</a>: requires
          improvement.</li>
          <li><a href="article:nps-north-west-inspection-2019">NPS North West</a>: good, with
          victim work outstanding.</li>
          <li><a href="article:durham-tees-valley-crc-inspection-2019">Durham Tees Valley
          CRC</a>: requires improvement.</li>
          <li><a href="article:cumbria-and-lancashire-crc-inspection-2019">Cumbria and
          Lancashire CRC</a>: requires improvement.</li>
          <li><a href="article:london-crc-inspection-2019">London CRC</a>: requires
          improvement.</li>
        </ol>

        <h2>Our view</h2>
        <p>One round of ratings cannot settle the argument about Transforming Rehabilitation,
        and the CRCs and the NPS hold different kinds of cases. But a table in which the
        public divisions are mostly good and the companies are almost all requiring
        improvement is hard to explain away. The
        <a href="source:hmip-pr-summary-2019">inspectorate's press release</a> sets out its
        own conclusions.</p>
    """),
)

LONDON_LOOK_BACK = DemoArticle(
    slug="london-probation-inspections-looking-back",
    title="London probation, 2016 to 2019: reading the inspection record again",
    author="hmarsh",
    category="analysis",
    tags=(
        "probation, HMI Probation, London, CRC, NPS, MTCnovo, Glenys Stacey, public "
        "protection, Transforming Rehabilitation"
    ),
    days_ago=12,
    standfirst=(
        "Four inspections, one city. Read in order, the London reports show a company that "
        "fixed its structure and its leadership faster than its work on risk."
    ),
    image=DemoImage(
        label="London 2016-2019",
        alt="Abstract illustration: a navy gradient with pale vertical bars and the words "
        "London 2016-2019 in white.",
        caption="Four London probation inspections, read together.",
        palette="navy",
    ),
    body=html("""
        <p>Inspection reports are usually read one at a time, on the day they come out. Read
        together and in order, they tell a different kind of story. Here is what the four
        London probation inspections published between 2016 and 2019 show when you put them
        side by side.</p>

        <h2>The sequence</h2>
        <ol>
          <li><a href="article:north-london-probation-inspection-2016">December 2016, north of
          London</a>. The CRC's work is far below standard and the weakest of the year. Some
          people go unseen for weeks or months, some caseloads are unmanageable, and the Ministry of
          Justice makes MTCnovo spend an extra &pound;370,000 on temporary staff.</li>
          <li><a href="article:london-nps-inspection-2018">January 2018, NPS London</a>.
          Clear improvement, strong public protection work, weaker rehabilitation.</li>
          <li><a href="article:london-crc-inspection-2018">March 2018, London CRC</a>. The
          London-wide cohorts are replaced by local teams; the company reaches the national
          average, which the inspectors think too low.</li>
          <li><a href="article:london-crc-inspection-2019">August 2019, London CRC</a>.
          Requires improvement, with five standards good and five requiring improvement;
          strong leadership, good resettlement work, and risk to victims poorly assessed in
          48% of cases.</li>
        </ol>

        <h2>What changed</h2>
        <ul>
          <li>The operating model. Moving from cohorts across the capital to local teams was
          the single biggest change, and it came as a direct response to the 2016 report.</li>
          <li>Leadership. By 2019 the inspectors described a strong team and staff who felt
          trusted.</li>
          <li>Specific services. Through the Gate and unpaid work both improved.</li>
        </ul>

        <h2>What did not</h2>
        <ul>
          <li>Work on risk. Weak understanding of domestic abuse and child safeguarding in 2016
          became safeguarding children being a low priority in 2018, and risk to victims
          missed in 48% of cases in 2019.</li>
          <li>The size of the job. The CRC supervised 28,750 people in June 2016, nearly 30,000
          at the 2018 inspection and nearly 29,000 in 2019.</li>
        </ul>

        <h2>The phrase that stays</h2>
        <p>The most quoted words from the first report were the Chief Inspector's, about
        people under the company's supervision:</p>
        <blockquote cite="source:hmip-pr-northlondon-2016">
          <p>&ldquo;&hellip;lost in the system&hellip;&rdquo;</p>
          <p>&mdash; <cite>Dame Glenys Stacey, HM Chief Inspector of Probation, 2016</cite></p>
        </blockquote>
        <p>By 2019 the company had been rebuilt around local teams and a stronger leadership.
        What the reports still did not show was reliable work on who might be harmed. Since
        mid-2021 the inspectorate has inspected probation delivery units and regions instead,
        so the CRC-era reports have no direct sequel; they remain the best record of what the
        London CRC years achieved and where they fell short.</p>
    """),
)

SAFEGUARDING_THREAD = DemoArticle(
    slug="domestic-abuse-safeguarding-probation-inspections",
    title="The finding that kept coming back: domestic abuse and safeguarding",
    author="tokafor",
    category="analysis",
    tags=(
        "probation, HMI Probation, domestic abuse, safeguarding, public protection, victims, "
        "CRC, NPS"
    ),
    days_ago=3,
    standfirst=(
        "Eight of the twelve probation inspections in our records for 2016 to 2019 found "
        "weaknesses in work on domestic abuse, safeguarding or risk to victims. The same gaps "
        "appear whoever runs the service."
    ),
    image=DemoImage(
        label="Safeguarding",
        alt="Abstract illustration: a teal gradient with light vertical bars and the word "
        "Safeguarding in white.",
        caption="One theme across four years of probation inspections.",
        palette="teal",
    ),
    body=html("""
        <p>Oversight's records hold twelve probation inspections from 2016 to 2019, from
        Durham to London. Ratings rose and fell, but one kind of finding kept
        recurring: work to understand domestic abuse, to safeguard children and adults,
        and to assess the risk to victims was not done well enough. Here is where it
        appears.</p>

        <h2>Report by report</h2>
        <ol>
          <li><a href="article:north-london-probation-inspection-2016">North London, 2016</a>:
          CRC staff often missed significant information, and their understanding of domestic
          abuse and child safeguarding was weak.</li>
          <li><a href="article:london-nps-inspection-2018">NPS London, 2018</a>: officers
          writing quick reports for court often could not get safeguarding information in
          time.</li>
          <li><a href="article:london-crc-inspection-2018">London CRC, 2018</a>: inspectors saw
          signs that protecting children was not a priority for the company.</li>
          <li><a href="article:merseyside-crc-inspection-2018">Merseyside CRC, 2018</a>:
          domestic abuse and safeguarding enquiries were treated as form-filling, and homes
          were not routinely visited to check on others living there.</li>
          <li><a href="article:nps-north-west-inspection-2019">NPS North West, 2019</a>: some
          court reports and allocation decisions went ahead without the required domestic
          abuse and safeguarding checks.</li>
          <li><a href="article:durham-tees-valley-crc-inspection-2019">Durham Tees Valley CRC,
          2019</a>: risk and safeguarding were under-examined from the first contact.</li>
          <li><a href="article:cumbria-and-lancashire-crc-inspection-2019">Cumbria and
          Lancashire CRC, 2019</a>: only about a third of the home visits needed in domestic
          abuse and safeguarding cases took place.</li>
          <li><a href="article:london-crc-inspection-2019">London CRC, 2019</a>: risk to
          victims was not adequately assessed in 48% of the cases inspected.</li>
        </ol>

        <h2>Three patterns</h2>
        <ul>
          <li><strong>Information arrives late.</strong> Checks with other agencies take time,
          and court deadlines do not wait. Two NPS divisions, one rated good, had the same
          problem.</li>
          <li><strong>Risk is assessed once, not kept up to date.</strong> Merseyside and the
          North West were both criticised for not reassessing risk when a person's
          circumstances changed.</li>
          <li><strong>Home visits do not happen.</strong> In Merseyside and in Cumbria and
          Lancashire, visits needed to check on other people in the household were missing.
          They take time, but they are often the only way to see who else is at risk.</li>
        </ul>

        <h2>Why it matters now</h2>
        <p>None of this depends on who owns the service: public divisions and private,
        not-for-profit and commercial companies all appear on the list. The recommendation
        made to Merseyside in 2018, to reconsider its approach to risk and equip staff to
        protect victims, present and future, could have been written for most of the
        others. The <a href="source:hmip-pr-merseyside-2018">Merseyside press release</a> and
        the <a href="source:hmip-pr-cumblancs-2019">Cumbria and Lancashire press release</a>
        are good places to start for anyone revisiting the evidence.</p>
    """),
)

ARTICLES = (
    HOW_RATINGS_WORK,
    MERSEYSIDE_2018,
    NPS_NORTH_WEST_2019,
    DURHAM_TEES_VALLEY_2019,
    CUMBRIA_LANCASHIRE_2019,
    LONDON_CRC_2019,
    ROUND_UP_2019,
    LONDON_LOOK_BACK,
    SAFEGUARDING_THREAD,
)
