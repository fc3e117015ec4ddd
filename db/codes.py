"""Domain codes stored in the database. Danish labels live in ``app.labels``.

Codes are English, stable and short; CHECK constraints keep the database honest.
"""

ROLES = (
    "coordinator",      # TTA-koordinator
    "psychologist",     # psykolog
    "physiotherapist",  # fysioterapeut / ergoterapeut
    "doctor",           # læge
    "job_consultant",   # jobkonsulent / arbejdspladskonsulent
    "team_lead",        # teamleder
    "admin",            # administrator
)

PHASES = (
    "referral",      # henvisning
    "visitation",    # visitation
    "assessment",    # udredning
    "plan",          # handlingsplan
    "intervention",  # indsats
    "follow_up",     # opfølgning
    "closed",        # afsluttet
)

EMPLOYMENT_STATUSES = ("employed", "resigned", "dismissed", "unemployed")

SEXES = ("female", "male", "other")

SOCIO_ECONOMIC_LEVELS = ("top_manager", "wage_highest", "wage_middle", "wage_basic", "other")

VISITATION_DECISIONS = ("pending", "accepted", "rejected")

CONTACT_KINDS = ("manager", "hr", "union_rep", "other")

JOURNAL_KINDS = ("phone", "meeting", "email", "other")

ICF_HEADINGS = ("function", "activity_participation", "health", "environment", "personal")

INSTRUMENTS = ("WHO5", "MDI", "RTWSE19", "RTW_EXPECTATION")

GOAL_OWNERS = ("citizen", "team")

PLAN_STATUSES = ("draft", "approved", "superseded")
# The plan's overall goal: back to the own job, to another job, clarify the work ability, other.
PLAN_GOALS = ("own_job", "other_job", "clarification", "other")
INTERVENTION_STATUSES = ("planned", "in_progress", "done", "cancelled")
# Which cases a plan template serves: the KIA courses (DOMAIN.md "Eight subgroups").
TEMPLATE_WORKPLACE = ("any", "with", "without")

MEETING_STATUSES = ("planned", "held", "cancelled")

MEETING_TYPES = ("status", "return_plan", "future_job")

MEETING_ITEM_KINDS = ("obstacle_employee", "obstacle_employer", "solution", "agreement")

CONFERENCE_REASONS = (
    "new_referral", "assessment_done", "plan_review", "round_table", "deadline", "stalled", "closing", "other",
)

FOLLOW_UP_MONTHS = (3, 6, 12)

LETTER_KINDS = ("status_start", "status_midway", "status_closing", "action_plan", "invitation",
                "round_table_minutes", "closing_report", "other")

CONSENT_PARTIES = ("employer", "gp", "other")

# Who a letter goes to (the consent rule and the employer's content check depend on it).
LETTER_RECIPIENTS = ("jobcentre", "gp", "employer", "citizen")

# What a deadline rule computes (app/deadlines.py evaluates each kind from a case's dates).
DEADLINE_RULE_KINDS = ("first_follow_up", "repeat_follow_up", "count_in_period", "reassessment",
                       "stop_after_first", "plan_review", "course_end", "round_table_follow_up")

CATALOG_KINDS = (
    "intervention",       # interventions used in plans
    "outcome",            # outcome status at closing / after-follow-up
    "other_reason",       # reason for outcome "andet"
    "subgroup",           # the eight KIA subgroups
    "absence_reason",     # reasons given for absence
    "rejection_reason",   # visitation: not accepted
    "next_effort",        # recommended next effort at closing
)

AUDIT_ACTIONS = ("create", "read", "update", "delete", "search", "print", "export", "login", "login_failed",
                 "lockout", "logout", "reveal_cpr", "reassign", "grant_access")
