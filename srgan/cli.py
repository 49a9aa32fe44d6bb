"""
``srgan`` command line
======================

``srgan prepare | train | evaluate | analyze | upscale | study`` — each subcommand lives
in its own module ``srgan.commands.<name>`` exposing ``add_arguments(parser)`` and
``run(args) -> int``; modules are imported only when their command runs, so
``srgan --help`` stays fast. User mistakes (:class:`srgan.errors.UsageError`,
``ValueError``, missing files) print one line and exit with status 2, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import UsageError

__all__ = ["main", "COMMANDS"]

COMMANDS: dict[str, str] = {
    "prepare": "simulate the task's camera on images → LR/HR pair shards + manifest",
    "train": "train a generator on a prepared cache (resumable; torchrun for DDP)",
    "evaluate": "PSNR/SSIM (Y, BT.601), RGB PSNR, S-CIELAB and ΔE2000 vs bicubic",
    "analyze": "what a model learned: MTF50, ColorChecker ΔE, texture spectrum, noise",
    "upscale": "upscale images with a model (tiled, any size)",
    "study": "prepare → train → evaluate → analyze for the four tasks → report.md",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage + message; we want one line
        raise UsageError(message)


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = _Parser(prog="srgan", description="Super-resolution on camsim's simulated cameras.")
    parser.add_argument("--version", action="version", version=f"srgan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:  # only the chosen command's module is imported
            importlib.import_module(f"srgan.commands.{name}").add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``srgan`` command; returns the exit status (0 ok, 2 usage error, 130 interrupted)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((a for a in argv if a in COMMANDS), None)
    try:
        args = _parser(command).parse_args(argv)
        if args.command is None:
            _parser(None).print_help()
            return 2
        return int(importlib.import_module(f"srgan.commands.{args.command}").run(args) or 0)
    except (UsageError, ValueError, FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        prog = f"srgan {command}" if command else "srgan"
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
