"""Names vulture can't see used: a framework calls or reads them by convention.

Read by `vulture` (``[tool.vulture]`` in pyproject.toml), never imported. Vulture matches by name,
so ``_.name`` marks every ``name`` in ``cstar_cli`` as used: list a name here only when a
framework uses it, with the group saying which. FastAPI route handlers need no entry:
``ignore_decorators`` in pyproject.toml covers everything registered with ``@router.…`` or
``@api.…``. Dead code gets deleted, not listed.
"""


class _Names:
    def __getattr__(self, name: str) -> None:
        return None


_ = _Names()

# Python itself: module __getattr__ (PEP 562, the lazy exports of cstar_cli.client and
# cstar_cli.platform); __class__ assignment (cli/polish.py); __doc__, __signature__,
# __annotations__ and __qualname__, which inspect and Typer read to build a command's help and
# options (cli/commands/resources/resource_commands.py).
_.__getattr__
_.__class__
_.__doc__
_.__signature__
_.__annotations__
_.__qualname__

# Read by name through the help templates of the resource commands (str.format on a docstring).
_.example_create

# Click/Typer call these overrides of their command, option and argument classes; Typer reads
# rich_markup_mode; a Typer option parameter is filled in even when the body ignores it (--stdio).
_.format_epilog
_.format_commands
_._get_number_range_help_str
_.display_type_rich
_._usage_display_name
_.rich_markup_mode
_.stdio

# Rich reads Console.no_color and Console.quiet when it renders, and calls
# Console.on_broken_pipe when a write finds no reader (cli/output.py hands that to the Printer).
_.no_color
_.quiet
_.on_broken_pipe

# FastAPI calls app.openapi() for /openapi.json, and declares a route's parameters (path and
# query) from its signature even when the body reads them another way.
_.openapi
_.identityHash
_.teamSlugOrId

# Pydantic reads model_config; pydantic and FastAPI serialise these model fields into responses
# and /openapi.json (the response models of the platform, game, library and webhooks).
_.model_config
(
    _.achievementsUnlocked,
    _.advancedBy,
    _.articleCount,
    _.assignedToName,
    _.availableSkillPoints,
    _.avatarFrame,
    _.bossesDefeated,
    _.closedAt,
    _.cosmetics,
    _.createdAt,
    _.cstarData,
    _.customFields,
    _.defeatedAt,
    _.deliveredTo,
    _.deliveryId,
    _.deliveryIds,
    _.durationMs,
    _.endsAt,
    _.escapedAt,
    _.eventIds,
    _.eventType,
    _.expectedPayload,
    _.expiresAt,
    _.finalBlowBy,
    _.finalBlows,
    _.finishedAt,
    _.firstResponseAt,
    _.goldTierResolutions,
    _.hasMore,
    _.helpfulCount,
    _.idempotencyKey,
    _.idempotentReplayed,
    _.ipAddress,
    _.joinedAt,
    _.keyType,
    _.last4,
    _.lastUsedAt,
    _.maxHp,
    _.maxLevel,
    _.messageCount,
    _.notHelpfulCount,
    _.offsetSeconds,
    _.periodStart,
    _.permissions,
    _.prestigeBonus,
    _.prestigeLevel,
    _.publishedAt,
    _.questsCompleted,
    _.readTime,
    _.redacted,
    _.replayOf,
    _.resentTo,
    _.resolutionDeadline,
    _.resolutionTier,
    _.resolutions,
    _.resolvedAt,
    _.responseBody,
    _.responseDeadline,
    _.responseStatus,
    _.responseTier,
    _.responseTimeMs,
    _.retryAfter,
    _.revokedAt,
    _.roleDisplayName,
    _.scheduledAt,
    _.slaRules,
    _.signingSecret,
    _.skills,
    _.slaPaused,
    _.spawnedAt,
    _.startedAt,
    _.teamCredit,
    _.teamName,
    _.teamSlug,
    _.ticketCount,
    _.ticketIds,
    _.ticketsClosed,
    _.timeLeftSeconds,
    _.totalPages,
    _.totalSkillPoints,
    _.totalXp,
    _.unlockedAt,
    _.unlockedCount,
    _.updatedAt,
    _.useCount,
    _.victoryMessage,
    _.viewCount,
    _.websocketUrl,
    _.xpInCurrentLevel,
    _.xpProgress,
    _.xpToNextLevel,
    # quests and preferences (D46)
    _.periodKey,
    _.periodEnd,
    _.completed,
    _.completedAt,
    _.rewardXp,
    _.rewardGold,
    _.desktop,
    _.mobile,
)

# The MCP SDK calls the tool methods (registered by name from mcp/toolkit.TOOLS) and publishes
# the result TypedDicts' keys (requestId) as the tools' output schema.
_.list_events
_.trigger_event
_.list_webhooks
_.list_request_logs
_.list_tickets
_.get_ticket
_.create_ticket
_.update_ticket
_.add_ticket_message
_.list_customers
_.get_customer
_.create_customer
_.update_customer
_.search_articles
_.get_article
_.list_members
_.game_quests
_.get_preferences
_.requestId

# uvicorn calls Server.capture_signals() and reads Server.should_exit.
_.capture_signals
_.should_exit

# httptools calls these parser callbacks (listen/http.py).
_.on_header
_.on_headers_complete
_.on_body
_.on_message_complete

# http.server reads these server and handler attributes and calls do_POST/log_message (demo).
_.daemon_threads
_.request_queue_size
_.protocol_version
_.do_POST
_.log_message

# sqlite3 reads Connection.row_factory.
_.row_factory

# The client library's public API: library users read it (tests/client asserts it); cstar's
# own commands don't.
_.replayed

# pytest requests the plugin's fixtures by name (cstar_cli/testing/plugin.py).
_.cstar_dev

# The testing library's public API: its users' tests call and read it (tests/testing asserts it).
_.respond_with
_.received_at

# A fault's answer (D38) documents how often it matched; the response model names the field.
_.hits
# The community (D43), CSAT (D44) and SLA metrics (D45): response model fields FastAPI
# serialises into /openapi.json, and the MCP read tools the SDK calls by name.
(
    _.three,
    _.four,
    _.five,
    _.averageRating,
    _.csatScore,
    _.distribution,
    _.silver,
    _.bronze,
    _.missed,
    _.respondedWithinTarget,
    _.resolvedWithinTarget,
    _.medianFirstResponseMinutes,
    _.medianResolutionMinutes,
    _.breaches,
    _.responseTargetMinutes,
    _.resolutionTargetMinutes,
    _.urgent,
    _.normal,
    _.overall,
    _.byPriority,
    _.two,
    _.scale,
    _.attachments,
    _.author_name,
    _.author_type,
    _.comment_count,
    _.is_official,
    _.updated_at,
    _.voter_id,
    _.voter_name,
    _.voter_type,
)
_.list_community_topics
_.list_community_posts
_.get_community_post
_.list_community_comments
_.list_csat_surveys
# Customer groups, the audit log and search (D41, D42, D47): fields of documented response models
# and the MCP tools the SDK registers by name.
_.customerCount
_.groupIds
_.actorName
_.list_customer_groups
_.get_customer_group
_.list_audit_log
