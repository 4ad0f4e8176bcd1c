#!/usr/bin/env python3
"""What dominates a wasm file, without twiggy: code bytes per crate (from the `name`
section, so give it the un-optimised cargo output, e.g.
target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm), data bytes, and the
largest functions. Sizes are pre-wasm-opt, so read them as shares, not final bytes.

Usage: wasm_top.py FILE.wasm [TOP_N]
"""
import re
import sys
from collections import Counter


def leb(buf, i):
    result = shift = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def legacy_idents(sym):
    """Path identifiers of a legacy-mangled Rust symbol `_ZN...E`."""
    if not sym.startswith("_ZN"):
        return None
    i, out = 3, []
    while i < len(sym) and sym[i].isdigit():
        j = i
        while sym[j].isdigit():
            j += 1
        n = int(sym[i:j])
        out.append(sym[j:j + n])
        i = j + n
    return out


def crate_of(sym):
    idents = legacy_idents(sym)
    if idents:
        first = idents[0]
        if first.startswith("_$LT$"):  # <Type as Trait>::method: the type's crate
            m = re.match(r"_\$LT\$(?:\$RF\$|\*const\$u20\$|\*mut\$u20\$|mut\$u20\$|\$u5b\$|\$LP\$)*([A-Za-z_][A-Za-z0-9_]*)", first)
            crate = m.group(1) if m else ""
            if len(crate) <= 2 or crate[0].isupper():  # a generic type or tuple: the trait's crate
                t = re.search(r"\$u20\$as\$u20\$([a-z_][a-z0-9_]*)\.\.", first)
                return (t.group(1) + " (generic impl)") if t else "<impl>"
            return crate
        return first
    if sym.startswith("_R"):  # v0 mangling: crate name follows a 'C' + optional disambiguator
        m = re.search(r"C(?:s[0-9a-zA-Z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)", sym)
        if m:
            return m.group(2)[: int(m.group(1))]
    if "::" in sym:
        return sym.split("::")[0].lstrip("<&*")
    return "(other: " + (sym[:24] if sym else "?") + ")"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    buf = open(path, "rb").read()
    assert buf[:4] == b"\0asm", "not a wasm file"
    i = 8
    sections = Counter()
    imported_funcs = 0
    bodies = []
    names = {}
    data_bytes = 0
    while i < len(buf):
        sid = buf[i]
        size, j = leb(buf, i + 1)
        end = j + size
        if sid == 0:
            nlen, k = leb(buf, j)
            cname = buf[k:k + nlen].decode("utf-8", "replace")
            sections["custom:" + cname] += size
            if cname == "name":
                p = k + nlen
                while p < end:
                    sub = buf[p]
                    slen, q = leb(buf, p + 1)
                    if sub == 1:
                        count, r = leb(buf, q)
                        for _ in range(count):
                            idx, r = leb(buf, r)
                            ln, r = leb(buf, r)
                            names[idx] = buf[r:r + ln].decode("utf-8", "replace")
                            r += ln
                    p = q + slen
        else:
            sections[{1: "type", 2: "import", 3: "function", 5: "memory", 6: "global", 7: "export",
                      9: "element", 10: "code", 11: "data", 12: "datacount"}.get(sid, f"id{sid}")] += size
        if sid == 2:
            count, k = leb(buf, j)
            for _ in range(count):
                for _ in range(2):
                    ln, k = leb(buf, k)
                    k += ln
                kind = buf[k]
                k += 1
                if kind == 0:
                    _, k = leb(buf, k)
                    imported_funcs += 1
                elif kind == 1:
                    k += 1
                    flags, k = leb(buf, k)
                    _, k = leb(buf, k)
                    if flags & 1:
                        _, k = leb(buf, k)
                elif kind == 2:
                    flags, k = leb(buf, k)
                    _, k = leb(buf, k)
                    if flags & 1:
                        _, k = leb(buf, k)
                elif kind == 3:
                    k += 2
                else:
                    k += 1
        if sid == 10:
            count, k = leb(buf, j)
            for n in range(count):
                bsize, k2 = leb(buf, k)
                bodies.append((imported_funcs + n, bsize))
                k = k2 + bsize
        if sid == 11:
            data_bytes = size
        i = end

    total = len(buf)
    print(f"{path}: {total / 1024:.1f} KiB")
    for name, size in sections.most_common(8):
        print(f"  section {name:<28} {size / 1024:9.1f} KiB  {100 * size / total:5.1f}%")
    code = sum(s for _, s in bodies) or 1
    by_crate = Counter()
    for idx, size in bodies:
        name = names.get(idx, "")
        if name.startswith("__wbindgen_describe"):
            continue  # removed by wasm-bindgen
        by_crate[crate_of(name)] += size
    print(f"  code by crate ({len(bodies)} functions, {len(names)} named):")
    for crate, size in by_crate.most_common(top):
        print(f"    {crate:<32} {size / 1024:9.1f} KiB  {100 * size / code:5.1f}% of code")
    print("  largest functions:")
    for idx, size in sorted(bodies, key=lambda b: -b[1])[:top]:
        print(f"    {size / 1024:7.1f} KiB  {names.get(idx, f'func[{idx}]')[:110]}")


if __name__ == "__main__":
    main()
