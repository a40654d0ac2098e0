#!/usr/bin/env python3
"""Compile communique/locale/*/LC_MESSAGES/django.po into the .mo files Django reads.

    python scripts/compile_translations.py            # GNU msgfmt when installed, else pure Python
    python scripts/compile_translations.py --python   # always the pure-Python compiler

The .mo files are committed, so a deployment never needs this; it exists because Django's own
compilemessages needs GNU gettext, which a fresh machine may lack. The pure-Python path follows
CPython's Tools/i18n/msgfmt.py (contexts, plural forms, multi-line strings) and skips fuzzy
entries, as msgfmt does."""
import argparse
import array
import ast
import shutil
import struct
import subprocess
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "communique" / "locale"


class PoError(ValueError):
    pass


def parse_po(text, source="<po>"):
    """{msgid key: msgstr} with the keys and values as the .mo format stores them."""
    messages = {}
    entry, section, fuzzy = {}, None, False

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            key = entry["msgid"]
            if "msgid_plural" in entry:
                key += "\0" + entry["msgid_plural"]
                forms = [entry[k] for k in sorted((k for k in entry if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))]
                value = "\0".join(forms)
            else:
                value = entry.get("msgstr", "")
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            if value.replace("\0", ""):  # untranslated entries fall back to the msgid at run time
                messages[key] = value
        elif "msgid" in entry and fuzzy and entry["msgid"] == "":
            messages[""] = entry.get("msgstr", "")  # a fuzzy header still carries the charset
        entry, fuzzy = {}, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                if "msgid" in entry:
                    flush()
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and ("msgstr" in entry or any(k.startswith("msgstr[") for k in entry)):
            flush()
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr") or keyword.startswith("msgstr["):
            section = keyword
            entry[section] = ""
            line = rest.strip()
        if section is None or not line.startswith('"'):
            raise PoError(f"{source}:{number}: cannot read {raw!r}")
        try:
            entry[section] += ast.literal_eval(line)
        except (SyntaxError, ValueError) as exc:
            raise PoError(f"{source}:{number}: bad string {raw!r}") from exc
    flush()
    return messages


def mo_bytes(messages):
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode("utf-8"), messages[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + array.array("i", koffsets + voffsets).tobytes() + ids + strs


def compile_python(po, mo):
    mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"), str(po))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="store_true", help="use the pure-Python compiler even if msgfmt exists")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    msgfmt = None if args.python else shutil.which("msgfmt")
    pos = sorted(args.locale_dir.glob("*/LC_MESSAGES/*.po"))
    if not pos:
        sys.exit(f"no .po files under {args.locale_dir}")
    for po in pos:
        mo = po.with_suffix(".mo")
        tmp = mo.with_suffix(".mo.tmp")  # never leave a half-written .mo behind
        try:
            if msgfmt:
                subprocess.run([msgfmt, "--check", "-o", str(tmp), str(po)], check=True)
            else:
                compile_python(po, tmp)
            tmp.replace(mo)
        finally:
            tmp.unlink(missing_ok=True)
        print(f"{mo.relative_to(args.locale_dir)} ({'msgfmt' if msgfmt else 'python'})")


if __name__ == "__main__":
    main()
