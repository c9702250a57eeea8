"""Every table, one module each; importing this package registers them all on `Base.metadata`."""

from contact_center.models.access_entry import AccessEntry
from contact_center.models.agent_profile import AgentProfile
from contact_center.models.api_token import ApiToken
from contact_center.models.asset import Asset
from contact_center.models.attachment import Attachment
from contact_center.models.business_calendar import BusinessCalendarRow
from contact_center.models.call import Call, CallEvent
from contact_center.models.customer import Customer, CustomerPhone
from contact_center.models.desk_lists import Disposition, Macro, SavedView
from contact_center.models.interaction import Interaction
from contact_center.models.kb import KbArticle, KbFeedback, KbRevision, KbSynonymGroup
from contact_center.models.mail_inbox import InboundMail
from contact_center.models.nlp_model import NlpModel
from contact_center.models.offer import Offer, OfferImpression, OfferResponse, Snapshot
from contact_center.models.purchase import Purchase
from contact_center.models.queue import Queue
from contact_center.models.repair_flag import RepairFlag
from contact_center.models.routing_rule import RoutingRule
from contact_center.models.sla_policy import SlaPolicy
from contact_center.models.task import Task
from contact_center.models.ticket import Ticket
from contact_center.models.ticket_event import TicketEvent
from contact_center.models.ticket_link import TicketLink
from contact_center.models.ticket_message import TicketMessage
from contact_center.models.user import Role, User

__all__ = [
    "AccessEntry",
    "AgentProfile",
    "ApiToken",
    "Asset",
    "Attachment",
    "BusinessCalendarRow",
    "Call",
    "CallEvent",
    "Customer",
    "CustomerPhone",
    "Disposition",
    "InboundMail",
    "Interaction",
    "KbArticle",
    "KbFeedback",
    "KbRevision",
    "KbSynonymGroup",
    "Macro",
    "NlpModel",
    "Offer",
    "OfferImpression",
    "OfferResponse",
    "Purchase",
    "Queue",
    "RepairFlag",
    "Role",
    "RoutingRule",
    "SavedView",
    "SlaPolicy",
    "Snapshot",
    "Task",
    "Ticket",
    "TicketEvent",
    "TicketLink",
    "TicketMessage",
    "User",
]
