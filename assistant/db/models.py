"""Every model, imported in one place so Alembic and ``create_all`` see the whole schema."""

from assistant.db.base import Base
from assistant.db.cases import Case, CaseEvent, CuratorTask, OutboxItem
from assistant.db.channels import ChannelDelivery, ChannelUpdate, ChatState
from assistant.db.conversations import Conversation, Feedback, Message
from assistant.db.documents import Provision, Version, Work
from assistant.db.union import ChannelIdentity, Member, StaffUser, Unit, UnitTree

__all__ = ["Base", "Conversation", "Feedback", "Message", "Provision", "Version", "Work"]
__all__ += ["Case", "CaseEvent", "ChannelIdentity", "CuratorTask", "Member", "OutboxItem"]
__all__ += ["StaffUser", "Unit", "UnitTree"]
__all__ += ["ChannelDelivery", "ChannelUpdate", "ChatState"]
