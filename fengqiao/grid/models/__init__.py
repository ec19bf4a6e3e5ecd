"""Grid management's models; the grid itself is :class:`fengqiao.regions.models.Grid`."""

from fengqiao.grid.models.basedata import House, Organization, Place, Resident
from fengqiao.grid.models.campaigns import Campaign, CampaignFinding, CampaignTask
from fengqiao.grid.models.field import FieldReport, FieldReportPhoto, Patrol, WorkLog
from fengqiao.grid.models.grids import AuditEntry, GridWorker
from fengqiao.grid.models.keypop import KeyPerson, KeyPersonReveal, KeyPersonVisit, VisitAlert

__all__ = [
    "AuditEntry",
    "Campaign",
    "CampaignFinding",
    "CampaignTask",
    "FieldReport",
    "FieldReportPhoto",
    "GridWorker",
    "House",
    "KeyPerson",
    "KeyPersonReveal",
    "KeyPersonVisit",
    "Organization",
    "Patrol",
    "Place",
    "Resident",
    "VisitAlert",
    "WorkLog",
]
