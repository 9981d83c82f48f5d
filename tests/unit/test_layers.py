#!/usr/bin/env python3
"""test_layers.py — the dependency rule of DESIGN.md (Layout), checked on
the tree's #include lines, and the public-header list of CMakeLists.txt.

    core depends on nothing; models and curves only on core; fit and
    analytics on those; io on the types it fills; cli on the public headers
    alone. No folder depends on one above it.

"Depends on" is read from includes: a library file's quoted include ("x.h")
is found by name in the layer folders; an angled <lsdopt/x.h> or <x.h> of a
library header from inside the library is refused (it would bypass the
rule). The layers a folder may include from:

    core       core
    models     core, models
    curves     core, curves
    fit        core, models, curves, fit
    analytics  core, models, curves, analytics
    io         core, curves, fit, io   (the types it fills: curves, tokens,
               chains)
    cli        <lsdopt/...> public headers and its own cli headers only

and pricing/lsdopt.h (the umbrella) with pricing/version.c may include any
public header. The build enforces the same table (CMakeLists.txt,
set(LSDOPT_LAYER_<layer> folder uses...): each layer compiles with only those
folders on its include path); this test also checks that the table there is
this one. Also: every installed header (LSDOPT_PUBLIC_HEADERS) includes only
installed headers, so the install tree is self-contained; and no file
includes a header that does not exist. Each violation is printed with its
file and line; the test fails if there is any.
"""
import os
import re
import sys

ROOT = os.environ.get("LSDOPT_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))

LAYERS = {
    "core": "pricing/core",
    "models": "pricing/models",
    "curves": "curves",
    "fit": "pricing/fit",
    "analytics": "pricing/analytics",
    "io": "pricing/io",
}
ALLOWED = {
    "core": {"core"},
    "models": {"core", "models"},
    "curves": {"core", "curves"},
    "fit": {"core", "models", "curves", "fit"},
    "analytics": {"core", "models", "curves", "analytics"},
    "io": {"core", "curves", "fit", "io"},
}
# Generated into the build tree by CMake (export macros): any layer may use it.
GENERATED = {"lsdopt_export.h"}

QUOTED = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
ANGLED = re.compile(r'^\s*#\s*include\s+<lsdopt/([^>]+)>')
ANY_ANGLED = re.compile(r'^\s*#\s*include\s+<(?:lsdopt/)?([^>]+)>')


def sources(folder):
    path = os.path.join(ROOT, folder)
    return sorted(os.path.join(folder, f) for f in os.listdir(path)
                  if f.endswith((".c", ".h", ".cc")))


def includes(relpath, pattern):
    with open(os.path.join(ROOT, relpath), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = pattern.match(line)
            if m:
                yield number, m.group(1)


def public_headers():
    """Base names of LSDOPT_PUBLIC_HEADERS in CMakeLists.txt."""
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"set\(LSDOPT_PUBLIC_HEADERS\s+(.*?)\)", text, re.S)
    if not m:
        sys.exit("test_layers: no set(LSDOPT_PUBLIC_HEADERS ...) in CMakeLists.txt")
    return {os.path.basename(p): p for p in m.group(1).split()}


def build_layers():
    """The layer table of CMakeLists.txt: {layer: (folder, {layers it uses})}."""
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        text = f.read()
    table = {}
    for m in re.finditer(r"^set\(LSDOPT_LAYER_([a-z]+)\s+([^)]*)\)", text, re.M):
        folder, *uses = m.group(2).split()
        table[m.group(1)] = (folder, set(uses))
    return table


def main():
    where = {}  # header base name -> layer
    problems = []
    for layer, folder in LAYERS.items():
        for path in sources(folder):
            name = os.path.basename(path)
            if name.endswith(".h"):
                if name in where:
                    problems.append(f"{path}: header name also in layer {where[name]}")
                where[name] = layer
    built = build_layers()
    for layer, folder in LAYERS.items():
        want = (folder, ALLOWED[layer] - {layer})
        if built.get(layer) != want:
            problems.append(f"CMakeLists.txt: set(LSDOPT_LAYER_{layer} ...) is {built.get(layer)}, "
                            f"the rule says {want}")
    for layer in set(built) - set(LAYERS):
        problems.append(f"CMakeLists.txt: LSDOPT_LAYER_{layer} is not a layer of DESIGN.md")
    public = public_headers()
    for name, path in public.items():
        if not os.path.exists(os.path.join(ROOT, path)):
            problems.append(f"CMakeLists.txt: public header {path} does not exist")

    checked = 0
    for layer, folder in LAYERS.items():
        for path in sources(folder):
            for line, header in includes(path, QUOTED):
                checked += 1
                if header in GENERATED:
                    continue
                if header not in where:
                    problems.append(f"{path}:{line}: includes \"{header}\", not a library header")
                    continue
                if where[header] not in ALLOWED[layer]:
                    problems.append(f"{path}:{line}: {layer} includes \"{header}\" of layer "
                                    f"{where[header]} (a {layer} file may use only "
                                    f"{', '.join(sorted(ALLOWED[layer]))})")
                if os.path.basename(path) in public and header not in public \
                        and header not in GENERATED:
                    problems.append(f"{path}:{line}: installed header includes \"{header}\", "
                                    "which is not installed")

            for line, header in includes(path, ANY_ANGLED):
                checked += 1
                if header in where:
                    problems.append(f"{path}:{line}: <{header}> is a library header: include it "
                                    f"as \"{header}\" so the layer rule applies")

    for path in ["pricing/lsdopt.h", "pricing/version.c"]:
        for line, header in includes(path, QUOTED):
            checked += 1
            if header not in public and header not in GENERATED:
                problems.append(f"{path}:{line}: includes \"{header}\", not a public header")

    cli_own = {os.path.basename(p) for p in sources("pricing/cli") if p.endswith(".h")}
    for path in sources("pricing/cli"):
        for line, header in includes(path, QUOTED):
            checked += 1
            if header not in cli_own:
                problems.append(f"{path}:{line}: cli includes \"{header}\"; it sees the library "
                                "through <lsdopt/...> public headers alone")
        for line, header in includes(path, ANGLED):
            checked += 1
            if header not in public and header not in GENERATED:
                problems.append(f"{path}:{line}: <lsdopt/{header}> is not a public header")

    for p in problems:
        print("layers:", p)
    print(f"test_layers: {checked} includes checked, {len(problems)} violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
