"""The default rules' names, reasons and research in Welsh (migrations 0002 and 0005 wrote them in English only).

A version keeps its English as written; the Welsh is filled only where a version still carries the default
English text, so a rule a board officer has rewritten is left alone. Written out, not imported, as 0002 is.
"""

from django.db import migrations

RRR = (
    "McManus, Ball & Almond, 'Risk, Response and Review: a thematic analysis of Child Practice Reviews in Wales' "
    "(briefing report, August 2023)"
)
TREATMENT = " Treatment contacts are not counted: a parent's engagement with help is not a harm."
TREATMENT_CY = " Nid yw cysylltiadau triniaeth yn cyfrif: nid niwed yw rhiant yn derbyn help."

# code -> (English name, Welsh name, Welsh rationale, Welsh research); the English rationale and research are
# matched by the start of the text so that version 2 of the weighted rule (with its sentence added) is found too.
WELSH = {
    "wnb-young-or-registered": (
        "Was Not Brought twice in six months: a child under five or on the register",
        "Heb ei Ddwyn ddwywaith mewn chwe mis: plentyn dan bump oed neu ar y gofrestr",
        "Ni all plentyn ifanc fynd ag ei hun i apwyntiad: apwyntiad iechyd a gollwyd yw un y gofalwr, ac mae "
        "apwyntiadau a gollir dro ar ôl tro yn arwydd cyson o esgeulustod mewn adolygiadau. Fel arfer dim ond ei "
        "apwyntiadau a gollwyd ei hun y mae pob gwasanaeth yn eu gweld, felly nid oes neb yn gweld y patrwm.",
        RRR + ": cododd llawer o adolygiadau apwyntiadau iechyd a gollwyd a diffyg un cofnod iechyd (Apwyntiadau "
        "a Chyfleoedd a Gollwyd; argymhelliad: rhybuddion a pholisi 'Heb ei Ddwyn'). Peach & Gordon, adolygiad "
        "thematig rhanbarthol o Adolygiadau Ymarfer Plant: mae patrwm o ymatebion heb eu cydlynu i apwyntiadau a "
        "gollwyd yn awgrymu bod angen un system cofnodion iechyd i dynnu sylw at risgiau posibl.",
    ),
    "wnb-domestic-abuse-home-conditions": (
        "Was Not Brought, domestic abuse and a home-conditions or neglect concern in the household within a year",
        "Heb ei Ddwyn, cam-drin domestig a phryder am amodau'r cartref neu esgeulustod yn yr aelwyd o fewn blwyddyn",
        "Roedd apwyntiadau a gollwyd, galwadau cam-drin domestig ac amodau cartref gwael i gyd yn hysbys i ryw "
        "asiantaeth yn yr achosion a adolygwyd, ond ni roddodd neb nhw at ei gilydd. Gyda'i gilydd mewn un aelwyd "
        "dyma'r niweidiau sy'n digwydd ar yr un pryd a ddisgrifir gan yr adolygiadau.",
        RRR + ": cam-drin emosiynol, esgeulustod ac amodau cartref gwael oedd y gwendidau mwyaf cyffredin ymhlith "
        "y plant; camddefnyddio cyffuriau ac alcohol, iechyd meddwl a cham-drin domestig oedd ffactorau risg mwyaf "
        "cyffredin y rhieni, gyda chydberthynas sylweddol rhyngddynt; roedd esgeulustod ac amodau'r cartref yn "
        "ffactorau risg allweddol a oedd yn dylanwadu ar ei gilydd.",
    ),
    "below-threshold-accumulating": (
        "Three or more below-threshold concerns from two or more agencies within a year",
        "Tri neu fwy o bryderon islaw'r trothwy gan ddwy asiantaeth neu fwy o fewn blwyddyn",
        "Mae pryderon y barnwyd eu bod islaw'r trothwy ar gyfer camau statudol yn 'wybodaeth feddal': atebir pob "
        "un ar ei ben ei hun â chyngor neu ddim camau pellach, ond mae sawl un gan wahanol asiantaethau yn risg "
        "gronnol.",
        RRR + ": roedd gan dros hanner y plant atgyfeiriad y barnwyd ei fod islaw'r trothwy cyn y digwyddiad; dylai "
        "cofnodion ddangos 'y pryderon amrywiol, cronnol a pharhaus a godwyd' (argymhelliad 3.2).",
    ),
    "violent-adult-joins-baby": (
        "An adult with a violence or domestic-abuse history joins a household with a baby or unborn child",
        "Oedolyn â hanes o drais neu gam-drin domestig yn ymuno ag aelwyd â babi neu blentyn heb ei eni",
        "Mae partner newydd yn ymuno â'r aelwyd yn ffactor risg rhiant yn yr adolygiadau; ni ellir gweld na "
        "chlywed babi y tu allan i'r cartref, ac fel arfer yr heddlu neu'r gwasanaeth prawf sy'n dal hanes yr "
        "oedolyn, nid yr ymwelydd iechyd na'r fydwraig sy'n gweld y babi.",
        RRR + ": mae'r ffactorau risg rhiant neu ofalwr a godiwyd yn cynnwys perthynas cam-drin domestig, hanes "
        "troseddol a phartner newydd yn ymuno â'r aelwyd; roedd cydberthynas sylweddol rhwng hanes troseddol a "
        "cham-drin domestig. Adolygiad blynyddol y Child Safeguarding Practice Review Panel 2021: anaf nad yw'n "
        "ddamweiniol i fabanod dan flwydd oed yw'r digwyddiad a adolygir amlaf.",
    ),
    "missing-and-exploitation": (
        "Missing episodes and an exploitation concern within a year",
        "Cyfnodau ar goll a phryder am gamfanteisio o fewn blwyddyn",
        "Mynd ar goll dro ar ôl tro ynghyd â phryder am gamfanteisio troseddol neu rywiol yw'r patrwm yn yr "
        "adolygiadau o bobl ifanc a niweidiwyd drwy gamfanteisio; yr heddlu sy'n dal y cyfnodau ar goll, ac "
        "ysgolion neu'r gwasanaeth cyfiawnder ieuenctid y pryder am gamfanteisio.",
        RRR + ": mae gwendidau'r plant a godiwyd yn cynnwys cyfnodau ar goll a chamfanteisio troseddol neu rywiol. "
        "Papur briffio'r panel cenedlaethol (2021): diogelu pobl ifanc sydd mewn perygl o gamfanteisio troseddol; "
        "nid yw ffactorau risg hysbys bob amser yn rhagfynegi, felly eu digwydd gyda'i gilydd sydd i'w wylio.",
    ),
    "weighted-accumulation": (
        "Weighted accumulation of concerns in the household over a year crosses the threshold",
        "Mae cronni pwysol pryderon yn yr aelwyd dros flwyddyn yn croesi'r trothwy",
        "Nid oes un digwyddiad ar ei ben ei hun yn cyrraedd trothwy ond mae llawer o rai llai ar draws yr aelwyd "
        "yn adio: mae'r sgôr yn pwysoli pob math o ddigwyddiad yn ôl pa mor gryf y mae'r adolygiadau yn ei "
        "gysylltu â niwed.",
        RRR + ": niweidiau sy'n digwydd ar yr un pryd a risg gronnol; 'mae adnabod esgeulustod cronnol a'i effaith "
        "yn parhau'n her allweddol, gyda digwyddiadau o esgeulustod yn rhy aml yn cael eu trin ar wahân' (papur "
        "briffio'r panel cenedlaethol, 2021).",
    ),
}


def load(apps, schema_editor):
    """Fill the Welsh of every version that still has a default rule's English name, reason and research."""
    RiskRuleVersion = apps.get_model("risk", "RiskRuleVersion")
    for code, (name, name_cy, rationale_cy, research_cy) in WELSH.items():
        for version in RiskRuleVersion.objects.filter(rule__code=code, name=name, name_cy=""):
            version.name_cy = name_cy
            if version.research.startswith(RRR):
                version.research_cy = research_cy
            version.rationale_cy = rationale_cy + (TREATMENT_CY if version.rationale.endswith(TREATMENT) else "")
            version.save(update_fields=["name_cy", "rationale_cy", "research_cy"])


def unload(apps, schema_editor):
    RiskRuleVersion = apps.get_model("risk", "RiskRuleVersion")
    RiskRuleVersion.objects.filter(rule__code__in=list(WELSH)).update(name_cy="", rationale_cy="", research_cy="")


class Migration(migrations.Migration):
    dependencies = [("risk", "0006_rule_versions_in_welsh")]

    operations = [migrations.RunPython(load, unload)]
