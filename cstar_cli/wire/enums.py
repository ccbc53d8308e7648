"""The enumerations of the API (platform-facts §2; D9, D17, D22), as types and as tuples."""

from __future__ import annotations

from typing import Literal, get_args

TicketStatus = Literal["new", "open", "pending", "resolved", "closed"]
TICKET_STATUSES: tuple[str, ...] = get_args(TicketStatus)
Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[str, ...] = get_args(Priority)
Sender = Literal["agent", "customer", "system"]
CustomerStatus = Literal["active", "inactive"]
CUSTOMER_STATUSES: tuple[str, ...] = get_args(CustomerStatus)
# The docs disagree on sentiment (platform-facts §0); both documented sets are accepted.
Sentiment = Literal["positive", "neutral", "negative", "happy", "frustrated", "angry"]
SENTIMENTS: tuple[str, ...] = get_args(Sentiment)
ArticleStatus = Literal["draft", "published", "archived"]
ARTICLE_STATUSES: tuple[str, ...] = get_args(ArticleStatus)
Role = Literal["owner", "admin", "manager", "librarian", "agent", "spectator"]
ROLES: tuple[str, ...] = get_args(Role)
KeyType = Literal["secret", "publishable"]
Environment = Literal["test", "live"]
LogSource = Literal["api", "cli", "mcp", "sdk", "dashboard"]
LOG_SOURCES: tuple[str, ...] = get_args(LogSource)
StatusClass = Literal["2xx", "3xx", "4xx", "5xx"]
STATUS_CLASSES: tuple[str, ...] = get_args(StatusClass)
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
HTTP_METHODS: tuple[str, ...] = get_args(HttpMethod)
Period = Literal["season", "week"]
PERIODS: tuple[str, ...] = get_args(Period)
# D43: the community post's documented statuses and visibilities (facts §3.9)
PostStatus = Literal[
    "open", "answered", "officially_answered", "planned", "not_planned", "completed", "under_review"
]
POST_STATUSES: tuple[str, ...] = get_args(PostStatus)
PostVisibility = Literal["public", "members_only"]
POST_VISIBILITIES: tuple[str, ...] = get_args(PostVisibility)
Theme = Literal["light", "dark", "system"]
QuestPeriod = Literal["daily", "weekly"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
SocialKind = Literal["high_five", "one_up"]
AuditActor = Literal["api_key", "member", "customer", "system"]
AuditSource = Literal["api", "cli", "inspector", "mcp"]
InviteStatus = Literal["pending", "revoked", "expired"]
SearchType = Literal["tickets", "customers", "articles"]
SEARCH_TYPES: tuple[str, ...] = get_args(SearchType)

# Where an event came from (D39): a real write, a trigger or test event, or a replay with edits.
EventOrigin = Literal["action", "synthetic", "replay"]
EVENT_ORIGINS: tuple[str, ...] = get_args(EventOrigin)
