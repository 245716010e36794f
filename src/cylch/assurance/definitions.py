"""The 12Cs template: each C's guidance and prompts, and the two scales' descriptors, in English and Welsh.

A cycle is opened from this template (a board adds its own local prompts on top, see `LocalPrompt`). The text is
the model's (Ball & McManus 2023) put as questions a partnership can answer with evidence; it is data, kept here
in both languages side by side so that a change to one is seen to need a change to the other. `in_language`
picks the reader's language, as for agencies' and places' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from cylch.accounts.welsh import in_language
from cylch.assurance.models import Component

SCORES = range(1, 7)


@dataclass(frozen=True)
class Text:
    """One sentence in both languages; `str()` is the reader's."""

    en: str
    cy: str

    def __str__(self) -> str:
        return in_language(self.en, self.cy)


@dataclass(frozen=True)
class Level:
    score: int
    name: Text
    descriptor: Text

    def __str__(self) -> str:
        return f"{self.score} {self.name}: {self.descriptor}"


class Scale(StrEnum):
    CIW = "ciw"
    PROGRESS = "progress"

    @property
    def label(self) -> str:
        return str(SCALE_LABELS[self])


SCALE_LABELS = {
    Scale.CIW: _("Care Inspectorate Wales scale"),
    Scale.PROGRESS: _("12Cs progress scale"),
}

CIW_LEVELS = (
    Level(
        1,
        Text("Unsatisfactory", "Anfoddhaol"),
        Text(
            "major weaknesses, urgent remedial action required",
            "gwendidau mawr, mae angen camau unioni ar frys",
        ),
    ),
    Level(
        2,
        Text("Weak", "Gwan"),
        Text(
            "important weaknesses, priority action required", "gwendidau pwysig, mae angen gweithredu fel blaenoriaeth"
        ),
    ),
    Level(
        3,
        Text("Adequate", "Digonol"),
        Text("strengths just outweigh weaknesses", "mae'r cryfderau ychydig yn drech na'r gwendidau"),
    ),
    Level(
        4,
        Text("Good", "Da"),
        Text("important strengths, with some areas for improvement", "cryfderau pwysig, gyda rhai meysydd i'w gwella"),
    ),
    Level(5, Text("Very good", "Da iawn"), Text("major strengths", "cryfderau mawr")),
    Level(6, Text("Excellent", "Rhagorol"), Text("outstanding or sector leading", "eithriadol neu'n arwain y sector")),
)

PROGRESS_LEVELS = (
    Level(
        1,
        Text("Identified but not progressed", "Wedi'i nodi ond heb symud ymlaen"),
        Text(
            "the practice, intervention or policy is identified but not progressed",
            "mae'r arfer, yr ymyriad neu'r polisi wedi'i nodi ond heb symud ymlaen",
        ),
    ),
    Level(
        2,
        Text("Partners consulted", "Partneriaid wedi'u holi"),
        Text(
            "key partners consulted and the logistics discussed",
            "mae partneriaid allweddol wedi'u holi a'r trefniadau ymarferol wedi'u trafod",
        ),
    ),
    Level(
        3,
        Text("Agreed and planned", "Wedi'i gytuno a'i gynllunio"),
        Text(
            "agreed by key partners, with an implementation plan and a start date",
            "wedi'i gytuno gan bartneriaid allweddol, gyda chynllun gweithredu a dyddiad dechrau",
        ),
    ),
    Level(
        4,
        Text("Implemented and under review", "Ar waith ac yn cael ei adolygu"),
        Text(
            "implemented, in its early stages of operation and under review",
            "wedi'i roi ar waith, yn nyddiau cynnar ei weithredu ac yn cael ei adolygu",
        ),
    ),
    Level(
        5,
        Text("Operating well", "Yn gweithio'n dda"),
        Text(
            "operating well and being refined where necessary",
            "yn gweithio'n dda ac yn cael ei fireinio lle bo angen",
        ),
    ),
    Level(
        6,
        Text("Embedded and sustainable", "Wedi'i wreiddio ac yn gynaliadwy"),
        Text(
            "embedded, functioning optimally and sustainable",
            "wedi'i wreiddio, yn gweithio i'r eithaf ac yn gynaliadwy",
        ),
    ),
)

LEVELS = {Scale.CIW: CIW_LEVELS, Scale.PROGRESS: PROGRESS_LEVELS}


class Group(StrEnum):
    PRACTITIONERS_AND_AGENCIES = "practitioners_and_agencies"
    STRUCTURES_AND_PROCESSES = "structures_and_processes"

    @property
    def label(self) -> str:
        return str(GROUP_LABELS[self])


GROUP_LABELS = {
    Group.PRACTITIONERS_AND_AGENCIES: _("Practitioners and agencies"),
    Group.STRUCTURES_AND_PROCESSES: _("Structures and processes"),
}


@dataclass(frozen=True)
class ComponentDefinition:
    """One C of the template: what it asks of a partnership, and the questions that draw out the evidence."""

    code: str
    group: Group
    guidance: Text
    prompts: tuple[Text, ...]

    @property
    def name(self) -> str:
        return str(Component(self.code).label)


_PA = Group.PRACTITIONERS_AND_AGENCIES
_SP = Group.STRUCTURES_AND_PROCESSES

TEMPLATE: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        "c1",
        _PA,
        Text(
            "Clarity of roles and thresholds: practitioners and agencies know their safeguarding roles and "
            "responsibilities, the thresholds for a referral and the processes that follow, set out in documents "
            "everyone uses.",
            "Eglurder rolau a throthwyon: mae ymarferwyr ac asiantaethau'n gwybod beth yw eu rolau a'u "
            "cyfrifoldebau diogelu, y trothwyon ar gyfer atgyfeirio a'r prosesau sy'n dilyn, wedi'u nodi mewn "
            "dogfennau y mae pawb yn eu defnyddio.",
        ),
        (
            Text(
                "Is there a shared threshold document that every partner agency uses, and when was it last reviewed?",
                "A oes dogfen trothwyon gyffredin y mae pob asiantaeth bartner yn ei defnyddio, a phryd y cafodd ei "
                "hadolygu ddiwethaf?",
            ),
            Text(
                "Do practitioners in each agency know who their designated safeguarding lead is and how to reach them?",
                "A yw ymarferwyr ym mhob asiantaeth yn gwybod pwy yw eu harweinydd diogelu dynodedig a sut i "
                "gysylltu â nhw?",
            ),
            Text(
                "Are the referral, screening and decision steps mapped out, with who does what at each step?",
                "A yw'r camau atgyfeirio, sgrinio a phenderfynu wedi'u mapio, gan nodi pwy sy'n gwneud beth ym mhob "
                "cam?",
            ),
            Text(
                "How do you know that thresholds are applied consistently across agencies?",
                "Sut ydych chi'n gwybod bod y trothwyon yn cael eu cymhwyso'n gyson ar draws asiantaethau?",
            ),
        ),
    ),
    ComponentDefinition(
        "c2",
        _PA,
        Text(
            "Confidence: practitioners feel able to act on a concern, to consider and challenge the accounts "
            "families give, and to escalate when they disagree with another agency.",
            "Hyder: mae ymarferwyr yn teimlo'n abl i weithredu ar bryder, i ystyried a herio'r esboniadau y mae "
            "teuluoedd yn eu rhoi, ac i uwchgyfeirio pan fyddant yn anghytuno ag asiantaeth arall.",
        ),
        (
            Text(
                "How do you know that practitioners feel confident to raise a concern and to challenge a family's "
                "account?",
                "Sut ydych chi'n gwybod bod ymarferwyr yn teimlo'n hyderus i godi pryder ac i herio esboniad teulu?",
            ),
            Text(
                "Is safeguarding supervision available to every practitioner who needs it, and is it held as expected?",
                "A yw goruchwyliaeth ddiogelu ar gael i bob ymarferydd sydd ei hangen, ac a yw'n cael ei chynnal "
                "fel y disgwylir?",
            ),
            Text(
                "Do practitioners know and use the escalation (professional challenge) procedure?",
                "A yw ymarferwyr yn gwybod am y weithdrefn uwchgyfeirio (her broffesiynol) ac yn ei defnyddio?",
            ),
            Text(
                "What do staff surveys, audits or practice reviews say about practitioners' confidence?",
                "Beth mae arolygon staff, archwiliadau neu adolygiadau ymarfer yn ei ddweud am hyder ymarferwyr?",
            ),
        ),
    ),
    ComponentDefinition(
        "c3",
        _PA,
        Text(
            "Competence: practitioners have the knowledge and skills their role needs, with safeguarding training "
            "at the right level, kept up to date, in adults' as well as children's services.",
            "Cymhwysedd: mae gan ymarferwyr y wybodaeth a'r sgiliau sydd eu hangen ar eu rôl, gyda hyfforddiant "
            "diogelu ar y lefel gywir, wedi'i gadw'n gyfredol, mewn gwasanaethau oedolion yn ogystal â "
            "gwasanaethau plant.",
        ),
        (
            Text(
                "What share of staff in each training group have completed safeguarding training at their level, "
                "against the target?",
                "Pa gyfran o'r staff ym mhob grŵp hyfforddi sydd wedi cwblhau hyfforddiant diogelu ar eu lefel, o'i "
                "chymharu â'r targed?",
            ),
            Text(
                "Does training cover themes that cross services, such as domestic abuse and exploitation, for "
                "adults' workers as well as children's?",
                "A yw'r hyfforddiant yn ymdrin â themâu sy'n croesi gwasanaethau, fel cam-drin domestig a "
                "chamfanteisio, ar gyfer gweithwyr oedolion yn ogystal â gweithwyr plant?",
            ),
            Text(
                "How is learning from practice reviews built into training and practice?",
                "Sut mae'r hyn a ddysgwyd o adolygiadau ymarfer yn cael ei gynnwys mewn hyfforddiant ac ymarfer?",
            ),
            Text(
                "How do you check that training changes practice?",
                "Sut ydych chi'n gwirio bod hyfforddiant yn newid ymarfer?",
            ),
        ),
    ),
    ComponentDefinition(
        "c4",
        _PA,
        Text(
            "Capacity: agencies have the time, staff and resources to respond to safeguarding referrals "
            "thoroughly and on time.",
            "Capasiti: mae gan asiantaethau'r amser, y staff a'r adnoddau i ymateb i atgyfeiriadau diogelu yn "
            "drylwyr ac yn brydlon.",
        ),
        (
            Text(
                "Are safeguarding posts filled, and what are the vacancy and turnover rates?",
                "A yw'r swyddi diogelu wedi'u llenwi, a beth yw'r cyfraddau swyddi gwag a throsiant?",
            ),
            Text(
                "How long do referrals and information requests wait, and how many are answered late?",
                "Am ba hyd y mae atgyfeiriadau a cheisiadau am wybodaeth yn aros, a faint sy'n cael eu hateb yn hwyr?",
            ),
            Text(
                "Are caseloads manageable, and how do you know?",
                "A yw'r llwythi achosion yn hylaw, a sut ydych chi'n gwybod?",
            ),
            Text(
                "What happens when demand rises: what is paused, and who decides?",
                "Beth sy'n digwydd pan fydd y galw'n cynyddu: beth sy'n cael ei ohirio, a phwy sy'n penderfynu?",
            ),
        ),
    ),
    ComponentDefinition(
        "c5",
        _PA,
        Text(
            "Congruence in strategy and operations: the board's strategic priorities become operational plans, "
            "and what happens on the front line reaches leaders.",
            "Cysondeb rhwng strategaeth a gweithrediadau: mae blaenoriaethau strategol y bwrdd yn troi'n "
            "gynlluniau gweithredol, ac mae'r hyn sy'n digwydd ar y rheng flaen yn cyrraedd arweinwyr.",
        ),
        (
            Text(
                "How are the board's priorities translated into each agency's operational plans?",
                "Sut mae blaenoriaethau'r bwrdd yn cael eu troi'n gynlluniau gweithredol ym mhob asiantaeth?",
            ),
            Text(
                "How do front-line practitioners learn of strategic decisions, and why they were made?",
                "Sut mae ymarferwyr rheng flaen yn dod i wybod am benderfyniadau strategol, a pham y'u gwnaed?",
            ),
            Text(
                "How do front-line experience and data reach senior leaders and change strategy?",
                "Sut mae profiad a data'r rheng flaen yn cyrraedd uwch arweinwyr ac yn newid strategaeth?",
            ),
        ),
    ),
    ComponentDefinition(
        "c6",
        _PA,
        Text(
            "Co-location and cooperation: practitioners of different agencies work side by side, or close enough "
            "to know each other, which builds the relationships that make sharing information easy.",
            "Cydleoli a chydweithredu: mae ymarferwyr o wahanol asiantaethau'n gweithio ochr yn ochr, neu'n "
            "ddigon agos i adnabod ei gilydd, sy'n meithrin y cydberthnasau sy'n gwneud rhannu gwybodaeth yn "
            "hawdd.",
        ),
        (
            Text(
                "Which services are co-located (for example in a multi-agency safeguarding hub), and which are not "
                "but should be?",
                "Pa wasanaethau sydd wedi'u cydleoli (er enghraifft mewn hyb diogelu amlasiantaethol), a pha rai "
                "nad ydynt ond a ddylai fod?",
            ),
            Text(
                "Where teams are not co-located, how do practitioners get to know their counterparts in other "
                "agencies?",
                "Lle nad yw timau wedi'u cydleoli, sut mae ymarferwyr yn dod i adnabod eu cymheiriaid mewn "
                "asiantaethau eraill?",
            ),
            Text(
                "How quickly can a practitioner reach the right person in another agency when a child is at risk?",
                "Pa mor gyflym y gall ymarferydd gael gafael ar y person cywir mewn asiantaeth arall pan fo plentyn "
                "mewn perygl?",
            ),
        ),
    ),
    ComponentDefinition(
        "c7",
        _PA,
        Text(
            "Culture of inclusion, transparency and challenge: agencies respect each other's professionalism and "
            "statutory duties, share openly, and challenge one another constructively when they see things "
            "differently.",
            "Diwylliant o gynhwysiant, tryloywder a her: mae asiantaethau'n parchu proffesiynoldeb a dyletswyddau "
            "statudol ei gilydd, yn rhannu'n agored, ac yn herio'i gilydd yn adeiladol pan fyddant yn gweld "
            "pethau'n wahanol.",
        ),
        (
            Text(
                "How many professional challenges were raised in the period, by whom, and how were they resolved?",
                "Faint o heriau proffesiynol a godwyd yn ystod y cyfnod, gan bwy, a sut y cawsant eu datrys?",
            ),
            Text(
                "Are all partners, schools and the voluntary sector among them, part of the decisions that affect "
                "them?",
                "A yw pob partner, gan gynnwys ysgolion a'r sector gwirfoddol, yn rhan o'r penderfyniadau sy'n "
                "effeithio arnynt?",
            ),
            Text(
                "Are mistakes and near misses shared openly so that others can learn from them?",
                "A yw camgymeriadau a digwyddiadau a fu bron â digwydd yn cael eu rhannu'n agored fel y gall eraill "
                "ddysgu ohonynt?",
            ),
            Text(
                "How are the voices of children and families heard in the partnership's work?",
                "Sut mae lleisiau plant a theuluoedd yn cael eu clywed yng ngwaith y bartneriaeth?",
            ),
        ),
    ),
    ComponentDefinition(
        "c8",
        _PA,
        Text(
            "Cohesion between services: services fit together around the child; each knows what the others offer, "
            "referrals reach the right place first time, and no child falls between services.",
            "Cydlyniant rhwng gwasanaethau: mae gwasanaethau'n cyd-fynd â'i gilydd o amgylch y plentyn; mae pob "
            "un yn gwybod beth mae'r lleill yn ei gynnig, mae atgyfeiriadau'n cyrraedd y lle cywir y tro cyntaf, "
            "ac nid oes yr un plentyn yn syrthio rhwng gwasanaethau.",
        ),
        (
            Text(
                "What share of concerns comes from each agency, and what does that say about who is not referring?",
                "Pa gyfran o'r pryderon sy'n dod o bob asiantaeth, a beth mae hynny'n ei ddweud am bwy nad yw'n "
                "atgyfeirio?",
            ),
            Text(
                "How many referrals lead to no further action, and is the referrer offered advice instead?",
                "Faint o atgyfeiriadau sy'n arwain at ddim camau pellach, ac a yw'r atgyfeiriwr yn cael cynnig "
                "cyngor yn lle hynny?",
            ),
            Text(
                "How are transitions handled: from children's to adults' services, between areas, between schools?",
                "Sut yr ymdrinnir â chyfnodau pontio: o wasanaethau plant i wasanaethau oedolion, rhwng ardaloedd, "
                "rhwng ysgolion?",
            ),
        ),
    ),
    ComponentDefinition(
        "c9",
        _SP,
        Text(
            "Continuity, consistency and stability: services, funding and staff are stable enough that families "
            "and practitioners know what is available, and relationships last.",
            "Parhad, cysondeb a sefydlogrwydd: mae gwasanaethau, cyllid a staff yn ddigon sefydlog i deuluoedd ac "
            "ymarferwyr wybod beth sydd ar gael, ac mae cydberthnasau'n para.",
        ),
        (
            Text(
                "Which services depend on short-term or yearly funding, and what happens when it ends?",
                "Pa wasanaethau sy'n dibynnu ar gyllid tymor byr neu flynyddol, a beth sy'n digwydd pan ddaw i ben?",
            ),
            Text(
                "How often does a child's or a family's key worker change, and why?",
                "Pa mor aml y mae gweithiwr allweddol plentyn neu deulu'n newid, a pham?",
            ),
            Text(
                "What is the turnover in safeguarding roles, and how is knowledge handed over?",
                "Beth yw'r trosiant mewn rolau diogelu, a sut mae gwybodaeth yn cael ei throsglwyddo?",
            ),
        ),
    ),
    ComponentDefinition(
        "c10",
        _SP,
        Text(
            "Coordination of data collection: partners collect, share and interpret data together, with a "
            "narrative of what it means and what needs to happen next.",
            "Cydgysylltu'r gwaith o gasglu data: mae partneriaid yn casglu, yn rhannu ac yn dehongli data gyda'i "
            "gilydd, gydag esboniad o'r hyn y mae'n ei olygu a'r hyn sydd angen digwydd nesaf.",
        ),
        (
            Text(
                "Is there an agreed multi-agency data set, and does every partner contribute to it?",
                "A oes set ddata amlasiantaethol wedi'i chytuno, ac a yw pob partner yn cyfrannu ati?",
            ),
            Text(
                "How quickly are concerns decided, and are referrers told the outcome?",
                "Pa mor gyflym y gwneir penderfyniad ar bryderon, ac a yw atgyfeirwyr yn cael gwybod y canlyniad?",
            ),
            Text(
                "Who interprets the data, and how does that reach practitioners and change practice?",
                "Pwy sy'n dehongli'r data, a sut mae hynny'n cyrraedd ymarferwyr ac yn newid ymarfer?",
            ),
        ),
    ),
    ComponentDefinition(
        "c11",
        _SP,
        Text(
            "Collaboration forums and pathways: partners meet in forums that work (strategy discussions, case "
            "conferences, learning events) and follow clear pathways, listening to practitioners' and families' "
            "experiences.",
            "Fforymau a llwybrau cydweithio: mae partneriaid yn cyfarfod mewn fforymau sy'n gweithio "
            "(trafodaethau strategaeth, cynadleddau achos, digwyddiadau dysgu) ac yn dilyn llwybrau clir, gan "
            "wrando ar brofiadau ymarferwyr a theuluoedd.",
        ),
        (
            Text(
                "Are strategy discussions and case conferences held on time, with the right agencies present?",
                "A yw trafodaethau strategaeth a chynadleddau achos yn cael eu cynnal yn brydlon, gyda'r "
                "asiantaethau cywir yn bresennol?",
            ),
            Text(
                "Are minutes and decisions circulated on time, and are the actions followed up?",
                "A yw cofnodion a phenderfyniadau'n cael eu dosbarthu'n brydlon, ac a yw'r camau gweithredu'n cael "
                "eu dilyn?",
            ),
            Text(
                "How are lessons from practice reviews and learning events shared across the partnership?",
                "Sut mae gwersi o adolygiadau ymarfer a digwyddiadau dysgu'n cael eu rhannu ar draws y bartneriaeth?",
            ),
            Text(
                "Are the pathways for each kind of harm (exploitation or neglect, for example) written down and known?",
                "A yw'r llwybrau ar gyfer pob math o niwed (camfanteisio neu esgeulustod, er enghraifft) wedi'u "
                "hysgrifennu ac yn hysbys?",
            ),
        ),
    ),
    ComponentDefinition(
        "c12",
        _SP,
        Text(
            "Commitment and creativity: leaders and practitioners are committed to the partnership and try new "
            "ways of working together, such as joint training on thresholds and shared problem-solving.",
            "Ymrwymiad a chreadigrwydd: mae arweinwyr ac ymarferwyr wedi ymrwymo i'r bartneriaeth ac yn rhoi "
            "cynnig ar ffyrdd newydd o gydweithio, fel hyfforddiant ar y cyd ar drothwyon a datrys problemau "
            "gyda'i gilydd.",
        ),
        (
            Text(
                "Do senior leaders of every agency attend the board and its sub-groups, and do what is agreed?",
                "A yw uwch arweinwyr pob asiantaeth yn mynychu'r bwrdd a'i is-grwpiau, ac yn gwneud yr hyn a gytunir?",
            ),
            Text(
                "What has the partnership tried that is new in the period, and what did it learn?",
                "Beth mae'r bartneriaeth wedi rhoi cynnig arno sy'n newydd yn ystod y cyfnod, a beth a ddysgodd?",
            ),
            Text(
                "Is there joint training or shared problem-solving across agencies, and who takes part?",
                "A oes hyfforddiant ar y cyd neu ddatrys problemau ar y cyd ar draws asiantaethau, a phwy sy'n "
                "cymryd rhan?",
            ),
        ),
    ),
)

COMPONENTS = {definition.code: definition for definition in TEMPLATE}


def level(scale: Scale, score: int | None) -> Level | None:
    """The descriptor of `score` on `scale` (None for no score)."""
    if score is None or score not in SCORES:
        return None
    return LEVELS[scale][score - 1]


def score_choices(scale: Scale) -> list[tuple[int, str]]:
    """The radio choices of a score: '4 Good: important strengths, with some areas for improvement'."""
    return [(item.score, str(item)) for item in LEVELS[scale]]
