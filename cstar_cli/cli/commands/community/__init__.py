"""``cstar community topics|posts|comments``: the community forum (D43).

Topics and posts are resource commands (:mod:`cstar_cli.cli.commands.resources`) over the
client's ``community.topics`` and ``community.posts``; posts add ``vote`` and ``unvote``, and a
post's comments are ``cstar community comments list|create POST_ID``. The community is
snake_case on the wire, and so are its fields and sort keys (``--sort votes``). With a secret
key, a post, comment or vote is written on behalf of a member: ``--member-id mem_…``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cstar_cli.cli.columns import columns
from cstar_cli.cli.commands.resources.resource_commands import ResourceCommands
from cstar_cli.cli.commands.resources.specs import COMMUNITY_POSTS, COMMUNITY_TOPICS
from cstar_cli.cli.common import (
    DATA_HELP,
    JsonOption,
    PageOption,
    PageSizeOption,
    app_of,
    command_group,
    given,
    parse_data,
)
from cstar_cli.cli.context import AppContext
from cstar_cli.cli.render import render_list, show_done, show_written

HELP = "Run the community forum: topics, posts, comments and votes."
COMMENT_COLUMNS = columns(
    "id", ("AUTHOR", "author_name"), ("OFFICIAL", "is_official"), "created_at", "body"
)
POST_ID = typer.Argument(..., metavar="POST_ID", help="The post id (pst_…).")
MEMBER_ID = typer.Option(
    None, "--member-id", help="The member (mem_…) who acts, with a secret key."
)


class CommunityCommands(ResourceCommands):
    """The resource commands of ``community.topics`` or ``community.posts``."""

    def resource(self, app: AppContext) -> Any:
        return getattr(app.client().community, self.spec.name.split()[-1])


def _voting(
    send: Callable[[Any, str, str | None], dict[str, Any]], done: str, doc: str
) -> Callable[..., None]:
    """``posts vote`` or ``posts unvote``: the same arguments; ``send`` calls the client's
    ``community.posts``, ``done`` says what was done (``{post}``, ``{votes}``), ``doc`` is the
    help."""

    def command(
        ctx: typer.Context,
        post_id: str = POST_ID,
        member_id: str | None = MEMBER_ID,
        json_output: JsonOption = False,
    ) -> None:
        app = app_of(ctx, json_output=json_output)
        result = send(app.client().community.posts, post_id, member_id)
        said = done.format(post=post_id, votes=result.get("vote_count"))
        show_done(app, result, said, json_output=json_output)

    command.__doc__ = doc
    return command


posts_vote = _voting(
    lambda posts, post_id, member_id: posts.vote(post_id, member_id),
    "Voted for {post}: {votes} vote(s).",
    """Vote for a post (once per voter; voting again changes nothing).

    Example: cstar community posts vote pst_… --member-id mem_…
    """,
)
posts_unvote = _voting(
    lambda posts, post_id, member_id: posts.unvote(post_id, member_id),
    "Took the vote back from {post}: {votes} vote(s).",
    """Take a vote back from a post.

    Example: cstar community posts unvote pst_… --member-id mem_…
    """,
)


def comments_list(
    ctx: typer.Context,
    post_id: str = POST_ID,
    page: PageOption = 1,
    page_size: PageSizeOption = 20,
    json_output: JsonOption = False,
) -> None:
    """List a post's comments, oldest first.

    Example: cstar community comments list pst_… --json
    """
    app = app_of(ctx, json_output=json_output)
    result = app.client().community.posts.comments(post_id, {"page": page, "pageSize": page_size})
    render_list(app, result.data, COMMENT_COLUMNS, json_output=json_output, noun="comments")


def comments_create(
    ctx: typer.Context,
    post_id: str = POST_ID,
    body: str | None = typer.Option(None, "--body", "-m", help="Comment text (required)."),
    member_id: str | None = MEMBER_ID,
    data: list[str] | None = typer.Option(None, "--data", "-d", help=DATA_HELP),
    json_output: JsonOption = False,
) -> None:
    """Comment on a post (a locked post takes none).

    Example: cstar community comments create pst_… --body 'Planned!' --member-id mem_…
    """
    app = app_of(ctx, json_output=json_output)
    fields = parse_data(data) | given({"body": body, "member_id": member_id})
    comment = app.client().community.posts.comment(post_id, fields)
    show_written(
        app, comment, f"Added comment {comment.get('id')} to {post_id}.", json_output=json_output
    )


def build(name: str) -> typer.Typer:
    """``cstar community``: topics, posts (with vote and unvote) and comments."""
    group = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False)
    group.add_typer(CommunityCommands(COMMUNITY_TOPICS).group(), name="topics")
    posts = CommunityCommands(COMMUNITY_POSTS).group()
    posts.command("vote")(posts_vote)
    posts.command("unvote")(posts_unvote)
    group.add_typer(posts, name="posts")
    comments = command_group(
        {"list": comments_list, "create": comments_create},
        help="A post's comments: list, create.",
    )
    group.add_typer(comments, name="comments")
    return group
