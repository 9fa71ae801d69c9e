"""Writes for inquiries and conversations. Views call these; every rule is checked here."""

from .abuse import lift, log_bureau_read, report_message, suspend
from .conversations import close_conversation, invite_agent, mark_read, post_message, share_contact
from .inquiries import accept_inquiry, block_sender, decline_inquiry, refer_inquiry, send_inquiry

__all__ = ["accept_inquiry", "block_sender", "close_conversation", "decline_inquiry", "invite_agent", "lift",
           "log_bureau_read", "mark_read", "post_message", "refer_inquiry", "report_message", "send_inquiry",
           "share_contact", "suspend"]
