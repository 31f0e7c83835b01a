"""The workflow model shared by ``retrofit``, ``check`` and ``batch``: loading files safely,
jobs and steps with positions, ``uses`` parsed, permissions and their effective value per job,
normalised triggers, and the runs of each job with the OIDC claims they present (``runs``)."""

from oidcify.workflows.actions import ActionRef, parse_uses
from oidcify.workflows.load import discover, load, read_text
from oidcify.workflows.model import Job, Step, Workflow, parse
from oidcify.workflows.permissions import Permissions
from oidcify.workflows.triggers import Trigger

__all__ = [
    "ActionRef",
    "Job",
    "Permissions",
    "Step",
    "Trigger",
    "Workflow",
    "discover",
    "load",
    "parse",
    "parse_uses",
    "read_text",
]
