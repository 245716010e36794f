"""What agencies write in a chronology: plain-English summaries and the child's own words, by event kind.

Kept apart from the generator so the wording can be read and improved without touching the logic.
"""

from __future__ import annotations

SUMMARIES: dict[str, tuple[str, ...]] = {
    "concern": (
        "School raised a safeguarding concern: child arrived hungry and in unwashed clothes for the third day.",
        "Concern raised after the child disclosed being hit at home.",
        "Concern raised: bruising seen on the child's upper arm; parent's explanation inconsistent.",
        "Police public protection notice submitted after attending the address.",
        "Health visitor raised a concern about home conditions and the baby's weight.",
    ),
    "information_sharing": (
        "Shared for information: parent appeared under the influence at the school gate.",
        "Shared for information: neighbours report shouting late at night.",
        "Shared for information: child often collected late and seemed anxious about going home.",
        "Shared for information: parent told the GP they are struggling to cope.",
        "Shared for information: family has rent arrears and the electricity meter is often empty.",
        "Shared for information: child's attendance has dropped and they look tired.",
    ),
    "referral": (
        "Referral received by the front door (MARF).",
        "Referral received from police by public protection notice.",
        "Referral received from school designated safeguarding lead.",
        "Referral received from health visitor.",
    ),
    "threshold_decision": (
        "Threshold decision: no further action; information and advice given to the family.",
        "Threshold decision: early help, Team Around the Family offered.",
        "Threshold decision: care and support assessment to be completed.",
        "Threshold decision: strategy discussion to be convened.",
    ),
    "assessment": (
        "Care and support assessment completed; needs identified around parenting capacity.",
        "Care and support assessment completed; no eligible needs, signposted to family support.",
    ),
    "strategy_discussion": ("Strategy discussion held with police and health; Section 47 enquiry agreed.",),
    "section_47": ("Child protection enquiry completed; initial conference recommended.",),
    "conference": (
        "Child protection conference held; child to be placed on the register.",
        "Review child protection conference held; plan continues.",
    ),
    "registered": ("Placed on the child protection register.",),
    "deregistered": ("Removed from the child protection register; support continues as a child in need.",),
    "became_looked_after": ("Became looked after; placed with foster carers.", "Became looked after with kin."),
    "ceased_looked_after": ("Stopped being looked after; returned home to parent with support.",),
    "antenatal_booking": ("Antenatal booking appointment.", "Late antenatal booking at 24 weeks."),
    "birth": ("Born at hospital; mother and baby well.", "Born at home, midwife present."),
    "home_visit": (
        "Home visit: baby feeding well, home warm and clean.",
        "Home visit: parent low in mood; advice given and GP appointment suggested.",
        "Home visit completed; child seen and spoken to alone.",
        "Home visit: no answer at the door; card left.",
    ),
    "appointment_attended": (
        "Attended a routine review.",
        "Attended the developmental review; development on track.",
        "Attended the appointment with a parent.",
        "Attended; weight and height recorded.",
    ),
    "was_not_brought": (
        "Was not brought to the developmental review.",
        "Was not brought to the hospital outpatient appointment.",
        "Was not brought to the immunisation clinic.",
        "Was not brought to the dental appointment; second missed appointment.",
    ),
    "did_not_attend": ("Did not attend a booked appointment.", "Did not attend the review; no contact made."),
    "immunisation": ("Routine immunisation given.", "Annual flu vaccine given in school.", "HPV vaccine given."),
    "emergency_attendance": (
        "Attended the emergency department with a head injury after a fall.",
        "Attended the emergency department with breathing difficulties.",
        "Attended the emergency department with a burn to the hand.",
        "Attended the emergency department after an accidental ingestion.",
        "Attended the emergency department with an arm injury.",
    ),
    "hospital_admission": ("Admitted to the ward overnight for observation.", "Admitted with a chest infection."),
    "domestic_abuse_incident": (
        "Police attended a domestic incident; children present in the house.",
        "Police attended a verbal argument between partners; no offences disclosed.",
        "Police attended after a neighbour reported screaming; partner arrested.",
    ),
    "police_incident": (
        "Police attended a report of anti-social behaviour.",
        "Police attended a concern for welfare call.",
        "Police attended a disturbance at the address.",
    ),
    "arrest": (
        "Arrested on suspicion of assault.",
        "Arrested for possession with intent to supply.",
        "Charged with breach of a non-molestation order.",
    ),
    "missing_episode": ("Reported missing by carers; found the next morning.", "Missing overnight; returned home."),
    "school_attendance": (
        "Attendance below 90% this term.",
        "Persistent lateness; attendance letter sent home.",
        "Unauthorised absences this half term.",
    ),
    "school_welfare": (
        "Pupil came to school without a coat or lunch.",
        "Pupil upset and withdrawn in class.",
        "Pupil has unexplained marks on their legs; spoken to by the safeguarding lead.",
        "Pupil said they had not eaten since lunch the day before.",
    ),
    "exclusion": ("Fixed-term exclusion for two days.", "Fixed-term exclusion following a fight."),
    "school_move": ("Changed school.", "Moved to secondary school."),
    "mental_health_contact": (
        "Mental health review; mood low, medication reviewed.",
        "Seen by the community mental health team.",
    ),
    "substance_misuse_contact": ("Substance misuse keyworker session.", "Missed keyworker session."),
    "housing_contact": ("Housing officer visit about rent arrears.", "Repair reported: damp and mould."),
    "probation_contact": ("Probation supervision appointment.", "Youth justice session attended."),
    "moved_house": ("Family moved to a new address.",),
    "joined_household": ("Parent's new partner has moved into the household.",),
    "left_household": ("Parent's partner has left the household.",),
    "case_closed": ("Case closed: no further involvement needed.", "Case closed after early help."),
    "note": ("Telephone call with parent.", "Discussed at the team meeting.", "Letter sent to parent."),
}

CHILD_WORDS: tuple[str, ...] = (
    "I don't like it when they shout.",
    "Mam was crying again last night.",
    "I had crisps for tea.",
    "I like my teacher, she is kind.",
    "I don't want to go home today.",
    "He said I'm not allowed to tell.",
    "My tummy hurts when I'm hungry.",
    "I look after my little brother when Mum is asleep.",
    "Dw i ddim eisiau mynd adre.",
    "Mae Dad yn gweiddi lot.",
    "I'm happy at Nan's house.",
    "Nobody plays with me.",
)

# Kinds whose rows are sensitive by nature (police, mental health, substance misuse).
SENSITIVE_KINDS = frozenset(
    {
        "domestic_abuse_incident",
        "arrest",
        "mental_health_contact",
        "substance_misuse_contact",
        "probation_contact",
        "strategy_discussion",
        "section_47",
    }
)
