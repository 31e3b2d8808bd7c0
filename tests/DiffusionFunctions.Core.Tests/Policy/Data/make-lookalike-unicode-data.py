#!/usr/bin/env python3
"""Writes lookalike-unicode-data.txt: for each code point given on stdin (one U+XXXX per line), its Unicode name and
the Latin letters Unicode's confusables data pairs it with. Inputs (Debian packages, Unicode License v3, see
UNICODE-LICENSE.txt): /usr/share/unicode/UnicodeData.txt (package unicode-data 15.0.0) and confusables.json
(package python3-confusable-homoglyphs 3.2.0, Unicode's confusables.txt as a symmetric map).

    printf "U+%04X\n" <code points> | python3 make-lookalike-unicode-data.py UnicodeData.txt confusables.json (see README.md)
"""
import json, re, sys

names = {}
for line in open(sys.argv[1], encoding="utf-8"):
    fields = line.split(";")
    names[int(fields[0], 16)] = fields[1]
confusables = json.load(open(sys.argv[2], encoding="utf-8"))

print("# Look-alike audit data, extracted from Unicode data files (modified: only the rows below, reformatted).")
print("# Copyright (c) 1991-2022 Unicode, Inc. Distributed under the Unicode License v3; see UNICODE-LICENSE.txt.")
print("# Sources: UnicodeData.txt (Unicode 15.0.0, Debian unicode-data) and confusables.txt (as confusables.json in")
print("# Debian python3-confusable-homoglyphs 3.2.0). Written by make-lookalike-unicode-data.py.")
print("# code point;Unicode name;Latin letters Unicode lists as confusable with it (space-separated, lower case)")
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("U+"):
        continue
    cp = int(line[2:], 16)
    latin = sorted({e["c"].lower() for e in confusables.get(chr(cp), []) if re.fullmatch("[A-Za-z]{1,2}", e["c"])})
    print(f"U+{cp:04X};{names[cp]};{' '.join(latin)}")
