#!/usr/bin/env python3
"""Derive twlint's per-release Kubernetes sysctl facts (kb/kubernetes/releases.xml).

For every Kubernetes minor release from 1.22 to the newest tag, the table records:

  * the kubelet's safe sysctls and their kernel gates
      (pkg/kubelet/sysctl/safe_sysctls.go, pkg/util/kernel/constants.go);
  * the namespace classes the kubelet and API server use (exact names and prefixes)
      (component-helpers node/util/sysctl/namespace.go from 1.29; before that the
      kubelet's pkg/kubelet/sysctl/namespace.go);
  * the Pod Security baseline sysctl list (pod-security-admission policy/check_sysctls.go);
  * whether the API server rejects namespaced sysctls together with hostNetwork/hostIPC
      (kubernetes PR #118705, mirrored into component-helpers as the commit that
      introduces AllowNamespacedSysctlsForHostNetAndHostIPC);
  * whether KEP-5996 (UTS and user namespace classes: kernel.domainname, user.*) is in
    the release's component-helpers.

Each fact names the tag and the commit it was read at.

Inputs (all local, the script never uses the network):

  --helpers GITDIR   a git directory of github.com/kubernetes/component-helpers
                     (tags v0.X.Y = Kubernetes 1.X.Y)
  --psa GITDIR       a git directory of github.com/kubernetes/pod-security-admission
  --kubelet DIR      copies of kubelet source files of github.com/kubernetes/kubernetes,
                     laid out as DIR/<commit>/<path in the repository>.  The main repository
                     is too large to clone here, so the copies are taken from stored file
                     versions at the commits listed in KUBELET_SOURCES below.
  -o FILE            output (default kb/kubernetes/releases.xml)

A kubelet file version is placed in the first release whose pod-security-admission or
component-helpers tag contains the mirror commit carrying "Kubernetes-commit: <commit>"
(the upstream pull request changed both trees in the same commit).  A version that no
mirror commit names is placed by the release stated in KUBELET_SOURCES, and the table
marks it placed="stated".  The kubelet's safe list in a release is that of the newest
placed version at or before it, together with the names the same release's Pod Security
baseline adds (the two lists were changed together in every release so far; those entries
say source="pod-security-admission").

Known limits of the kubelet part (the two mirrors are read completely, by tag):
  * Only two kubelet safe_sysctls.go versions could be read at commits a mirror names (1.27: ca4022c4,
    1.29: 1132fd0a).  A kubelet version merged later in the same cycle, or in a later release without a
    mirror change, is not seen: e.g. stored copies show a kernel gate for ip_local_reserved_ports in a
    version between those two (release not established; the table shows the gate from 1.29), and a later rework that keeps the 1.29 keepalive
    names safe on every kernel ("legacySafeSysctls"; release not established, the table keeps their 4.5 gate).
    For the manifest rules neither changes an outcome: on kernels below those gates the keys are not per
    network namespace at all, so TW301 reports them before any safe-set question arises.
  * 1.22 to 1.26 take the kubelet's list from the same release's Pod Security baseline (source=
    "pod-security-admission"): the 1.0 baseline was written as the kubelet's safe set, and the kubelet
    copy at 1.27 (ca4022c4) is that list plus the one name both gained in 1.27.
  * The kernel gate of tcp_rmem/tcp_wmem comes from a stored constants.go whose commit the store does
    not record (placed="stated", PR #127489).

Usage:
  scripts/k8s-facts.py --helpers /work/.mirror/kubernetes+component-helpers/repo \\
      --psa /work/.mirror/kubernetes+pod-security-admission/repo \\
      --kubelet /work/k8s-cache/kubernetes -o kb/kubernetes/releases.xml

Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
from xml.sax.saxutils import quoteattr

FIRST_MINOR = 22

# Kubelet file versions read from kubernetes/kubernetes: (commit, path, stated release or None, note).
KUBELET_SOURCES = [
    ("ca4022c4dad23dc793b624c7f3a6814bccaae7a8", "pkg/kubelet/sysctl/safe_sysctls.go", None,
     "adds net.ipv4.ip_local_reserved_ports"),
    ("1132fd0afdf051318d9a5e5c2077ce09d8e179fc", "pkg/kubelet/sysctl/safe_sysctls.go", None,
     "adds tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes with kernel gates"),
    ("index-197729270", "pkg/util/kernel/constants.go", "1.32",
     "TCPReceiveMemory/TCPTransmitMemoryNamespacedKernelVersion 4.15; PR #127489 (merged for 1.32, "
     "release note: 4.15 gate); commit not recorded by the file store"),
]
KUBELET_NAMESPACE = ("00d7068d939c4fbc40da44209908e0832792dcee", "pkg/kubelet/sysctl/namespace.go")
HOST_NS_MARK = "AllowNamespacedSysctlsForHostNetAndHostIPC"


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True,
                          text=True).stdout


def show(gitdir, tag, path):
    r = subprocess.run(["git", "--git-dir", gitdir, "show", f"{tag}:{path}"], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def tags(gitdir):
    """{(minor): (first release tag vX.Y.0, commit)} and the pre-release tags by minor."""
    released, pre = {}, {}
    for t in git(gitdir, "tag").split():
        m = re.fullmatch(r"v0\.(\d+)\.(\d+)(-.+)?", t)
        if not m:
            continue
        minor, patch, suffix = int(m[1]), int(m[2]), m[3]
        if suffix:
            pre.setdefault(minor, []).append(t)
        elif patch == 0:
            released[minor] = t
    return released, pre


def commit_of(gitdir, tag):
    return git(gitdir, "rev-list", "-n", "1", tag).strip()


def first_tag_with_trailer(gitdirs, upstream):
    """The minor of the first release tag containing a mirror commit made from `upstream`."""
    best = None
    for g in gitdirs:
        out = git(g, "log", "--all", "--format=%H", f"--grep=Kubernetes-commit: {upstream}")
        for c in out.split():
            for t in git(g, "tag", "--contains", c).split():
                m = re.fullmatch(r"v0\.(\d+)\.0", t)
                if m and (best is None or int(m[1]) < best[0]):
                    best = (int(m[1]), g, c)
    return best


def parse_constants(text):
    """{constant: (version, sysctl)} from pkg/util/kernel/constants.go."""
    out = {}
    for m in re.finditer(r"// (\w+) is the kernel version in which ([\w.]+) was namespaced[^\n]*\n"
                         r"(?://[^\n]*\n)*const (\w+) = \"([\d.]+)\"", text):
        out[m[3]] = (m[4], m[2])
    return out


def parse_safe(text, constants):
    """[(name, gate or None, gate constant or None)] from safe_sysctls.go (list or struct form)."""
    items = []
    structs = re.findall(r"\{([^{}]*?name:\s*\"([\w.]+)\"[^{}]*?)\}", text)
    if structs:
        for body, name in structs:
            gate = re.search(r"kernel:\s*(?:\"([\d.]+)\"|utilkernel\.(\w+))", body)
            if gate and gate[1]:
                items.append((name, gate[1], None))
            elif gate:
                items.append((name, constants.get(gate[2], (None,))[0], gate[2]))
            else:
                items.append((name, None, None))
        return items
    block = re.search(r"return \[\]string\{(.*?)\}", text, re.S)
    return [(n, None, None) for n in re.findall(r"\"([\w.]+)\"", block[1] if block else "")]


def parse_namespaces(text):
    """[(name, match, namespace)] from either namespace.go layout."""
    out = []
    exact = re.search(r"var (?:namespaces|nameToNamespace) = map\[string\]Namespace\{(.*?)\n\}", text, re.S)
    prefix = re.search(r"var (?:prefixNamespaces|prefixToNamespace) = map\[string\]Namespace\{(.*?)\n\}", text, re.S)
    new_layout = "prefixToNamespace" in text
    for body, kind in ((exact, "exact"), (prefix, "prefix")):
        for name, ns in re.findall(r"\"([\w.]+)\":\s*(\w+)", body[1] if body else ""):
            ns = {"IpcNamespace": "ipc", "IPCNamespace": "ipc", "NetNamespace": "net",
                  "UTSNamespace": "uts", "UserNamespace": "user"}.get(ns, ns)
            if kind == "prefix":
                # the new layout matches "p." ; the old one matches the literal string
                pattern = name + "." if new_layout else name
                out.append((pattern, "prefix", ns))
            elif new_layout and name in ("kernel.shm", "kernel.msg"):
                # kept for backward compatibility: only the pattern kernel.shm* / kernel.msg* resolves to it
                out.append((name, "pattern-only", ns))
            else:
                out.append((name, "exact", ns))
    return sorted(out)


def parse_baseline(text):
    """{policy minor: set(names)} from check_sysctls.go (cumulative sets)."""
    sets_ = {}
    for m in re.finditer(r"(\w+)\s*=\s*(?:(\w+)\.Union\()?sets\.New(?:String)?(?:\[string\])?\((.*?)\)", text, re.S):
        var, base, body = m[1], m[2], m[3]
        names = set(re.findall(r"\"([\w.]+)\"", body))
        if base:
            names |= sets_.get(base, (None, set()))[1]
        v = re.search(r"(\d+)(?:_|Dot)(\d+)$", var)
        if v:
            sets_[var] = ((int(v[1]), int(v[2])), names)
    return {ver: names for ver, names in sets_.values()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--helpers", required=True)
    ap.add_argument("--psa", required=True)
    ap.add_argument("--kubelet", required=True)
    ap.add_argument("-o", "--output", default="kb/kubernetes/releases.xml")
    a = ap.parse_args()

    h_rel, h_pre = tags(a.helpers)
    p_rel, p_pre = tags(a.psa)
    minors = sorted(m for m in h_rel if m >= FIRST_MINOR and m in p_rel)
    newest_released = minors[-1]
    pre_minor = max(set(h_pre) | set(p_pre))
    releases = [(m, "released") for m in minors]
    if pre_minor > newest_released:
        releases.append((pre_minor, "pre-release"))

    def read_kubelet(commit, path):
        with open(os.path.join(a.kubelet, commit, path), encoding="utf-8") as f:
            return f.read()

    # Kubelet versions placed in releases.
    placed = []
    constants = {}
    for commit, path, stated, note in KUBELET_SOURCES:
        text = read_kubelet(commit, path)
        hit = first_tag_with_trailer([a.psa, a.helpers], commit) if not commit.startswith("index-") else None
        if hit:
            minor, how = hit[0], "mirror"
        elif stated:
            minor, how = int(stated.split(".")[1]), "stated"
        else:
            sys.exit(f"{commit}: no mirror commit names it and no release is stated")
        if path.endswith("constants.go"):
            for const, (ver, name) in parse_constants(text).items():
                constants[name] = (ver, const, commit, minor, how)
        else:
            placed.append((minor, commit, how, note, text))
    placed.sort()
    kubelet_ns = parse_namespaces(read_kubelet(*KUBELET_NAMESPACE))

    def latest(minor, tags_rel, tags_pre):
        if minor in tags_rel:
            return tags_rel[minor]
        return sorted(tags_pre.get(minor, []), key=lambda t: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", t)])[-1]

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- Generated by scripts/k8s-facts.py from the Kubernetes sources; do not edit by hand. -->",
           '<kubernetes-releases xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:noNamespaceSchemaLocation="../../schema/kb.xsd" newest-released="1.{newest_released}">']
    for minor, status in releases:
        htag, ptag = latest(minor, h_rel, h_pre), latest(minor, p_rel, p_pre)
        hcommit, pcommit = commit_of(a.helpers, htag), commit_of(a.psa, ptag)
        out.append(f'  <release version="1.{minor}" status="{status}" helpers-tag="{htag}" helpers-commit="{hcommit}" '
                   f'psa-tag="{ptag}" psa-commit="{pcommit}">')
        # baseline
        psa_text = show(a.psa, ptag, "policy/check_sysctls.go") or ""
        baseline = parse_baseline(psa_text)
        since = {}
        for ver in sorted(baseline):
            for n in baseline[ver]:
                since.setdefault(n, ver)
        current = baseline[max(v for v in baseline if v <= (1, minor))] if baseline else set()
        # kubelet safe list
        kv = [p for p in placed if p[0] <= minor]
        safe = {}
        if kv:
            kmin, kcommit, how, _, text = kv[-1]
            for name, gate, const in parse_safe(text, {}):
                safe[name] = dict(source="kubelet", commit=kcommit, placed=how, gate=gate, const=const)
        for n in sorted(current - set(safe)):
            safe[n] = dict(source="pod-security-admission", commit=pcommit, placed="mirror", gate=None, const=None)
        for n, info in safe.items():
            c = constants.get(n)
            if info["gate"] is None and c and c[3] <= minor and n not in (kv[-1][4] if kv else ""):
                info.update(gate=c[0], const=c[1], gate_commit=c[2], gate_placed=c[4])
        for n in sorted(safe):
            i = safe[n]
            attrs = f'key="{n}" source="{i["source"]}" commit="{i["commit"]}" placed="{i["placed"]}"'
            if i["gate"]:
                attrs += f' min-kernel="{i["gate"]}"'
                if i.get("gate_commit"):
                    attrs += f' gate-commit="{i["gate_commit"]}" gate-placed="{i["gate_placed"]}"'
            out.append(f"    <safe {attrs}/>")
        for n in sorted(current):
            out.append(f'    <baseline key="{n}" policy-since="{since[n][0]}.{since[n][1]}" commit="{pcommit}"/>')
        # namespace classes
        ns_text = show(a.helpers, htag, "node/util/sysctl/namespace.go")
        if ns_text:
            classes, src, scommit = parse_namespaces(ns_text), "component-helpers", hcommit
        else:
            classes, src, scommit = kubelet_ns, "kubelet", KUBELET_NAMESPACE[0]
        for name, match, ns in classes:
            out.append(f'    <namespace name="{name}" match="{match}" ns="{ns}" source="{src}" commit="{scommit}"/>')
        # host-namespace rejection (PR #118705)
        mark = git(a.helpers, "log", "--format=%H", f"--grep={HOST_NS_MARK}", htag).split()
        if mark:
            out.append(f'    <host-namespace-rejection pr="118705" source="component-helpers" commit="{mark[-1]}"/>')
        if ns_text and "UTSNamespace" in ns_text:
            out.append(f'    <feature name="kep-5996" source="component-helpers" commit="{hcommit}"/>')
        out.append("  </release>")
    # KEP-5996 on the default branch, in no tag yet
    head = git(a.helpers, "rev-parse", "HEAD").strip()
    head_ns = show(a.helpers, "HEAD", "node/util/sysctl/namespace.go") or ""
    if "UTSNamespace" in head_ns:
        kep = git(a.helpers, "log", "--format=%H", "-S", "UTSNamespace", "HEAD", "--", "node/util/sysctl/namespace.go").split()
        tagged = git(a.helpers, "tag", "--contains", kep[-1]).split() if kep else []
        if not tagged:
            out.append(f'  <unreleased ref="HEAD" helpers-commit="{head}">')
            out.append(f'    <feature name="kep-5996" source="component-helpers" commit="{kep[-1]}"/>')
            for name, match, ns in parse_namespaces(head_ns):
                if ns in ("uts", "user"):
                    out.append(f'    <namespace name="{name}" match="{match}" ns="{ns}" source="component-helpers" commit="{kep[-1]}"/>')
            out.append("  </unreleased>")
    out.append("</kubernetes-releases>")
    os.makedirs(os.path.dirname(a.output) or ".", exist_ok=True)
    with open(a.output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"{a.output}: releases 1.{minors[0]} .. 1.{newest_released} (+ pre-release 1.{pre_minor})" if pre_minor > newest_released
          else f"{a.output}: releases 1.{minors[0]} .. 1.{newest_released}")


if __name__ == "__main__":
    main()
