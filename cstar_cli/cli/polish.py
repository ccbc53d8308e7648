"""How commands read to people, applied in one place to every loaded command.

Typer's help and errors show its own machinery (``<int range>``, ``<list[str]>``, ``{EVENT_ID}``,
"Value error, … Input should be less than or equal to 100", completion flags on every group).
:func:`polish` walks a built command tree once and gives each piece our behaviour: readable
metavars, our own words (with did-you-mean) for a bad value or an unknown option, the global
options a command uses in its help, a group's commands with their whole first sentence, and no
completion flags outside ``cstar completion``. It swaps each Typer parameter and command for a
subclass that adds only that behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from cstar_cli.cli.suggest import did_you_mean

T = TypeVar("T")

COMPLETION_PARAMS = frozenset({"install_completion", "show_completion"})
ALL_GLOBALS = ("profile", "api_key", "api_base", "color", "verbose")
# Commands that use fewer global options than every API command does (a subcommand uses what
# its group does unless it is named here).
GLOBALS_USED: dict[str, tuple[str, ...]] = {
    "dev": (),
    "dev reset": ALL_GLOBALS,
    "demo": (),
    "completion": (),
    "config": ("profile", "color"),
    "logout": ("profile", "color"),
}
METAVARS = {
    "--data": "KEY=VALUE",
    "--api-key": "KEY",
    "--api-base": "URL",
    "--url": "URL",
    "--forward-to": "URL",
    "--profile": "NAME",
    "--since": "WHEN",
    "--until": "WHEN",
    "--expires-in": "DURATION",
    "--header": "'NAME: VALUE'",
    "--sort": "FIELD",
    "--db": "PATH",
    "--payload-file": "FILE",
    "--assigned-to": "MEMBER_ID",
    "--customer-name": "NAME",
    "--sender-name": "NAME",
}


class BadValue(typer.BadParameter):
    """A usage error (exit 2) in our own words, shown as it is."""

    def format_message(self) -> str:
        return self.message


def option_name(param: Any) -> str:
    """``--page-size`` (the long form), or an argument's metavar."""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    if isinstance(param, TyperOption):
        return opts[0] if opts else param.opts[0]
    return str(param.metavar or (param.name or "value").upper())


def number_range(low: float | None, high: float | None) -> str | None:
    if low is None and high is None:
        return None
    if low is None:
        return f"at most {high}"
    if high is None:
        return f"at least {low}"
    return f"{low} to {high}"


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def reword(param: Any, value: Any, ctx: Any) -> BadValue:
    """What was wrong with ``value`` for ``param``, said plainly, with close matches."""
    name = option_name(param)
    desc = param.type_descriptor
    if desc.is_choice and desc.choices:
        choices = [str(c) for c in desc.choices]
        bad = next((str(v) for v in _items(value) if str(v) not in choices), str(value))
        text = f"{name} {bad!r} is not one of {', '.join(choices)}.{did_you_mean(bad, choices)}"
        return BadValue(text, ctx=ctx, param=param)
    annotation = desc.annotation
    element = getattr(annotation, "__args__", (annotation,))[0] if desc.is_list else annotation
    if element in (int, float):
        kind = "a whole number" if element is int else "a number"
        for item in _items(value):
            try:
                number = element(item)
            except (TypeError, ValueError):
                return BadValue(f"{name} wants {kind}, not {item!r}.", ctx=ctx, param=param)
            low, high = getattr(param, "min", None), getattr(param, "max", None)
            if (low is not None and number < low) or (high is not None and number > high):
                span = number_range(low, high)
                return BadValue(f"{name} {number} is out of range: use {span}.", ctx, param)
    return BadValue(f"{name} {value!r} is not a valid value; see --help.", ctx=ctx, param=param)


def processed(process: Callable[[], T], param: Any, ctx: Any, value: Any) -> T:
    """Run a parameter's value processing; a bad value is reported by :func:`reword`."""
    from typer._click.exceptions import MissingParameter

    try:
        return process()
    except MissingParameter:
        raise
    except typer.BadParameter as err:
        if isinstance(err, BadValue):
            raise
        raise reword(param, value, ctx) from None


class CstarOption(TyperOption):
    def process_value(self, ctx: Any, value: Any) -> Any:
        return processed(
            lambda: super(CstarOption, self).process_value(ctx, value), self, ctx, value
        )

    def _get_number_range_help_str(self) -> str | None:
        return number_range(self.min, self.max)


class CstarArgument(TyperArgument):
    def process_value(self, ctx: Any, value: Any) -> Any:
        return processed(
            lambda: super(CstarArgument, self).process_value(ctx, value), self, ctx, value
        )

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


def reworded_parse(parse: Callable[[], T], ctx: Any) -> T:
    """Run a parser; an unknown option becomes "No such option --x. Did you mean --y?"."""
    from typer._click.exceptions import NoSuchOption

    try:
        return parse()
    except NoSuchOption as err:
        known = [o for p in ctx.command.params for o in getattr(p, "opts", ()) if o[:2] == "--"]
        hint = did_you_mean(err.option_name, known)
        raise BadValue(f"No such option {err.option_name}.{hint}", ctx=ctx) from None


def global_option_rows(ctx: Any, names: Sequence[str]) -> list[tuple[str, str]]:
    """Help rows of the root's global options named in ``names``."""
    root = ctx.find_root()
    rows = []
    for param in root.command.params:
        if param.name in names:
            record = param.get_help_record(root)
            if record is not None:
                rows.append(record)
    return rows


class CstarCommand(TyperCommand):
    cstar_globals: tuple[str, ...] = ALL_GLOBALS

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return reworded_parse(lambda: super(CstarCommand, self).parse_args(ctx, args), ctx)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        rows = global_option_rows(ctx, self.cstar_globals)
        if rows:
            with formatter.section("Global options (before or after the command)"):
                formatter.write_dl(rows)


class CstarSubGroup(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return reworded_parse(lambda: super(CstarSubGroup, self).parse_args(ctx, args), ctx)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Subcommands with their whole first sentence (Typer cuts them at 45 characters)."""
        items = super().shell_complete(ctx, incomplete)
        for item in items:
            if item.value in self.commands:
                item.help = self.commands[item.value].get_short_help_str(limit=300)
        return items

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=300)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def readable_metavar(option: TyperOption) -> str:
    desc = option.type_descriptor
    if desc.is_choice and desc.choices:
        return "|".join(str(c) for c in desc.choices)
    name = option_name(option)
    if name in METAVARS:
        return METAVARS[name]
    annotation = desc.annotation
    element = getattr(annotation, "__args__", (annotation,))[0] if desc.is_list else annotation
    if element in (int, float):
        return "N"
    word = name.lstrip("-").upper().replace("-", "_")
    if word.endswith("_ID") or word == "ID":
        return "ID"
    return word[:-1] if desc.is_list and word.endswith("S") else word


def polish_params(params: list[Any]) -> list[Any]:
    """The parameters without completion flags, each with our metavar and error words."""
    kept = [p for p in params if p.name not in COMPLETION_PARAMS]
    for param in kept:
        if type(param) is TyperOption:
            param.__class__ = CstarOption
        elif type(param) is TyperArgument:
            param.__class__ = CstarArgument
        if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
            param.metavar = None if param.count else readable_metavar(param)
    return kept


def polish(command: Any, name: str) -> Any:
    """Give the command tree of top-level command ``name`` our help and error behaviour."""
    _walk(command, GLOBALS_USED.get(name, ALL_GLOBALS), name)
    return command


def _walk(command: Any, uses: tuple[str, ...], path: str) -> None:
    command.params = polish_params(command.params)
    if isinstance(command, TyperGroup):
        if type(command) is TyperGroup:
            command.__class__ = CstarSubGroup
        for sub_name, sub in command.commands.items():
            sub_path = f"{path} {sub_name}"
            _walk(sub, GLOBALS_USED.get(sub_path, uses), sub_path)
    elif type(command) is TyperCommand:
        command.__class__ = CstarCommand
        assert isinstance(command, CstarCommand)
        command.cstar_globals = uses
