"""Reading Linux source trees for the ctl_table scripts (scripts/gen-handlers.py, scripts/kernel-sysctl-tables.py).

A tree is read from a git directory at one commit (``git show``, ``git grep``, ``git cat-file --batch``), so no
work tree is needed.  The C helpers work on the text of one file: comments out, a brace's partner found, an
initialiser split at its top-level commas; string and character literals are stepped over, so a brace, comma
or ``//`` inside one does not count.
Standard library only.
"""

import re
import subprocess


def git(gitdir, *args, data=None):
    """The standard output of a git command on gitdir (bytes); a failing command raises CalledProcessError."""
    return subprocess.run(['git', '--git-dir', gitdir] + list(args), input=data,
                          capture_output=True, check=True).stdout


class Tree:
    """One commit of a kernel tree in a git directory; subdir is where the kernel sits inside the repository
    (paths given to and returned by the methods are relative to it).  Results are cached."""

    def __init__(self, git_dir, commit, subdir=''):
        self.git_dir, self.commit = git_dir, commit
        self.prefix = (subdir.rstrip('/') + '/') if subdir else ''
        self.cache = {}

    def _run(self, *args):
        r = subprocess.run(['git', '--git-dir', self.git_dir] + list(args), capture_output=True, text=True,
                           errors='replace')
        return r.stdout if r.returncode == 0 else None

    def show(self, path):
        """The text of a file, or None when the commit has no such file."""
        if path not in self.cache:
            self.cache[path] = self._run('show', f'{self.commit}:{self.prefix}{path}')
        return self.cache[path]

    def grep_files(self, pattern, *paths):
        """The files under paths with a line matching the extended regular expression."""
        key = ('l', pattern, paths)
        if key not in self.cache:
            out = self._run('grep', '-l', '-E', '-e', pattern, self.commit, '--', *(self.prefix + p for p in paths))
            self.cache[key] = [l.split(':', 1)[1][len(self.prefix):] for l in (out or '').splitlines()]
        return self.cache[key]

    def grep(self, pattern, *paths):
        """The lines under paths that match the extended regular expression."""
        key = ('h', pattern, paths)
        if key not in self.cache:
            out = self._run('grep', '-h', '-E', '-e', pattern, self.commit, '--', *(self.prefix + p for p in paths))
            self.cache[key] = (out or '').splitlines()
        return self.cache[key]

    def read_many(self, paths):
        """{path: text} for files that exist, read in one batch."""
        data = ''.join('%s:%s%s\n' % (self.commit, self.prefix, p) for p in paths).encode()
        raw = git(self.git_dir, 'cat-file', '--batch', data=data)
        texts, pos = {}, 0
        for p in paths:
            nl = raw.index(b'\n', pos)
            header = raw[pos:nl].split()
            if header[-1] == b'missing':
                pos = nl + 1
                continue
            size = int(header[2])
            texts[p] = raw[nl + 1:nl + 1 + size].decode('utf-8', 'replace')
            pos = nl + 1 + size + 1
        return texts

    def release(self):
        """VERSION.PATCHLEVEL.SUBLEVEL from the top Makefile (a field left empty is left out)."""
        mk = self.show('Makefile') or ''
        v = {k: re.search(r'^%s\s*=\s*(\S*)' % k, mk, re.M) for k in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL')}
        return '.'.join(v[k].group(1) for k in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL') if v[k] and v[k].group(1))


def _skip_literal(text, i):
    """Index just after the string or character literal that starts at text[i]."""
    q, j, n = text[i], i + 1, len(text)
    while j < n and text[j] != q:
        j += 2 if text[j] == '\\' else 1
    return j + 1


def strip_comments(text):
    """The text with each C comment blanked (newlines kept, so offsets and line numbers stay); a comment left
    open runs to the end.  Literals are kept as they are."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and i + 1 < n and text[i + 1] == '*':
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c == '/' and i + 1 < n and text[i + 1] == '/':
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c == '"' or c == "'":
            j = _skip_literal(text, i)
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def _close(text, start):
    """Index just after the brace that closes the one at text[start] ('{' or '('), or None."""
    open_c = text[start]
    close_c = {'{': '}', '(': ')'}[open_c]
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            i = _skip_literal(text, i)
            continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def match_brace(text, start):
    """Index just after the brace that closes the one at text[start] ('{' or '('); len(text) when none does."""
    end = _close(text, start)
    return len(text) if end is None else end


def balanced(text, start):
    """The text from the '{' at start to its matching '}' (inclusive); ValueError when it is not closed."""
    end = _close(text, start)
    if end is None:
        raise ValueError('unbalanced braces')
    return text[start:end]


def split_top(body):
    """Top-level comma-separated items of an initialiser body as (offset, text), blank items left out;
    commas inside (), {}, [] or a literal do not split."""
    items, depth, i, n = [], 0, 0, len(body)
    start = 0
    while i < n:
        c = body[i]
        if c == '"' or c == "'":
            i = _skip_literal(body, i)
            continue
        if c in '{([':
            depth += 1
        elif c in '})]':
            depth -= 1
        elif c == ',' and depth == 0:
            items.append((start, body[start:i]))
            start = i + 1
        i += 1
    items.append((start, body[start:]))
    return [(s, t) for s, t in items if t.strip()]


def split_top_texts(body):
    """split_top without the offsets."""
    return [t for _, t in split_top(body)]
