#!/usr/bin/env python3
"""Check that every page of a generated twlint site is well-formed.

HTML pages are parsed with html5lib in strict mode (any parse error, such as a stray end tag,
an unescaped '<' in text or a duplicate attribute, is a failure); SVG files are parsed as XML.

Usage: scripts/check-html.py SITE_DIR
Exit status: 0 all well-formed, 1 problems (listed one per line), 2 usage or html5lib missing.
"""
import os
import sys
import xml.etree.ElementTree as ET

try:
    import html5lib
except ImportError:
    print("check-html: python module html5lib is missing (pip install html5lib)", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    checked, problems = 0, []
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if name.endswith(".html"):
                checked += 1
                parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
                with open(path, "rb") as f:
                    data = f.read()
                try:
                    parser.parse(data)
                except html5lib.html5parser.ParseError as e:
                    problems.append(f"{rel}: {e}")
            elif name.endswith(".svg"):
                checked += 1
                try:
                    ET.parse(path)
                except ET.ParseError as e:
                    problems.append(f"{rel}: {e}")
    for p in problems:
        print(p)
    print(f"check-html: {checked} files checked, {len(problems)} with problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
