"""The unconference, platform-free: proposals, votes, the plan, and the CSV export.

Adapters call these functions and render the plain results; nothing here knows Slack.
"""

from bot.unconference.changes import ChangeOutcome, MergeResult, WithdrawResult, merge, remove, withdraw
from bot.unconference.export import export_csv
from bot.unconference.planner import LeftOut, Placement, Plan, Unplaced, block_window, plan
from bot.unconference.plans import (
    PlannedSession,
    PublishOutcome,
    PublishResult,
    StoredPlan,
    current_draft,
    make_draft,
    plan_sessions,
    publish,
    published_plan,
    save_draft,
    to_sessions,
)
from bot.unconference.proposals import (
    Mine,
    ProposeOutcome,
    ProposeResult,
    get_proposal,
    list_open,
    mine,
    posts_of,
    propose,
    record_post,
)
from bot.unconference.views import ProposalView
from bot.unconference.votes import VoteOutcome, VoteResult, toggle_vote

__all__ = [
    "ChangeOutcome",
    "LeftOut",
    "MergeResult",
    "Mine",
    "Placement",
    "Plan",
    "PlannedSession",
    "ProposalView",
    "ProposeOutcome",
    "ProposeResult",
    "PublishOutcome",
    "PublishResult",
    "StoredPlan",
    "Unplaced",
    "VoteOutcome",
    "VoteResult",
    "WithdrawResult",
    "block_window",
    "current_draft",
    "export_csv",
    "get_proposal",
    "list_open",
    "make_draft",
    "merge",
    "mine",
    "plan",
    "plan_sessions",
    "propose",
    "publish",
    "published_plan",
    "posts_of",
    "record_post",
    "remove",
    "save_draft",
    "to_sessions",
    "toggle_vote",
    "withdraw",
]
