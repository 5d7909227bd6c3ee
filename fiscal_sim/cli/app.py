"""The ``app`` command: the what-if workbench in the browser (Streamlit).

Streamlit is imported only when the command runs, so ``fiscal-sim --help`` and every other
command stay quick. The server listens on loopback unless ``--host`` says otherwise, and then
a warning says that the app has no accounts of its own.
"""

from __future__ import annotations

import gc
import ipaddress
import os

import click

from fiscal_sim.cli.common import command, example, lang_option, use_lang

PYTHON_GC_THRESHOLD = (700, 10, 10)  # gc.get_threshold() of a Python that nothing changed

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1 or localhost).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def streamlit_flags(host: str, port: int) -> list[str]:
    """The app's ``config.toml`` as ``streamlit run`` flags, with ``host`` and ``port``.

    Examples
    --------
    >>> flags = streamlit_flags("127.0.0.1", 8600)
    >>> "--browser.gatherUsageStats=false" in flags, "--server.port=8600" in flags
    (True, True)
    """
    import tomllib

    from fiscal_sim.app import CONFIG

    options = tomllib.loads(CONFIG.read_text("utf-8"))
    options["server"].update(address=host, port=port)
    options["browser"].update(serverAddress=host, serverPort=port)
    flags = []
    for section, values in options.items():
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags


OPEN_TO_OTHERS = {
    "zh": "警告：正在监听 {host}，其他机器也能访问本应用；它没有自己的账户体系："
    "请只在财政局的访问控制之后提供服务",
    "en": "warning: listening on {host}, so other machines can reach the app; it has no "
    "accounts of its own: serve it only behind the bureau's access control",
}
"""The warning when the app listens beyond loopback, by language."""


def address(host: str, port: int) -> str:
    """The address to open: ``http://HOST:PORT`` (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


@command(
    "app",
    epilog=example("fiscal-sim app", "fiscal-sim app --port 8600 --lang en"),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; anything but loopback serves other machines too.",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="TCP port."
)
@lang_option
@click.pass_context
def app(ctx: click.Context, host: str, port: int) -> None:
    """Start the what-if workbench in the browser and print its address.

    Pick a bundled scenario or upload your own, move the levers (growth, transfers, staff
    and pay, advances, cuts, bonds, the six-guarantee measures) and see the plan's rules,
    the indicators against a baseline, charts, Monte Carlo and goal-seek at once; download
    the what-if and the reports. Stop it with Ctrl-C.
    """
    from fiscal_sim.app import SCRIPT

    lang = ctx.meta.get("fiscal_sim.lang")  # --lang, given to the page
    if lang:
        os.environ["FISCAL_SIM_LANG"] = lang
    click.echo(f"fiscal-sim app: {address(host, port)}")
    if not is_loopback(host):
        click.echo(OPEN_TO_OTHERS[use_lang()].format(host=host), err=True)
    from streamlit.web import cli as streamlit_cli

    # A server lives for hours: the garbage collector as Python sets it, not as
    # fiscal_sim.cli.main sets it for a command that lives for seconds.
    gc.set_threshold(*PYTHON_GC_THRESHOLD)
    streamlit_cli.main.main(
        args=["run", str(SCRIPT), *streamlit_flags(host, port)],
        prog_name="streamlit",
        standalone_mode=False,
    )


COMMANDS = (app,)
