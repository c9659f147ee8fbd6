#!/usr/bin/env bash
# e2e: elv creative-analyze against a demo run, on pictures drawn by build/make_creatives
# (tests/tools/make_creatives.cpp): four families of colour and layout plus a near-duplicate
# of one picture. The near-duplicate is its twin's first neighbour; with --clusters 4 the
# clusters are the families; the npz reads back with numpy; each cluster's predicted ELV in
# creative_cluster_summary.csv is the sum of its ads' elv in predictions.csv, and its spend the
# sum of its ads' spend in ads.csv over the scored leads' dates; bad rows (missing file, a
# path leaving the media folder, a corrupt file) are skipped and listed in creative_errors.csv;
# a second analysis replaces <run>/creatives; report.html is rebuilt; a map of which nothing
# decodes fails with exit 1 and writes nothing; repeated ad_ids are refused by name; a video
# (sampled frames), a decompression bomb and a tiny ONNX encoder; the same outputs on 1 and 2
# threads.
# Usage: bash tests/e2e/test_creative_analyze.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

MAKE="$(dirname "$ELV")/make_creatives"
[ -x "$MAKE" ] || { fail "make_creatives not built beside elv ($MAKE)"; finish; }
PY=/usr/bin/python3

RUN="$TMP/run"
"$ELV" demo --out-dir "$RUN" >/dev/null 2>&1 || { fail "demo run"; finish; }
MEDIA="$TMP/media"
mkdir -p "$MEDIA/sub"
"$MAKE" families "$MEDIA/sub" 4 5 || { fail "make_creatives"; finish; }
head -c 3000 /dev/urandom >"$MEDIA/sub/corrupt.png"
printf '\x89PNG\r\n\x1a\n' | cat - <(head -c 500 /dev/zero) >"$MEDIA/sub/truncated.png"
echo "outside" >"$TMP/outside.png"

# creative_media.csv: the demo's first 21 ad ids get the 20 family pictures and the
# near-duplicate; three more get bad rows.
$PY - "$RUN/predictions.csv" "$MEDIA/creative_media.csv" <<'PY'
import csv, sys
ads = sorted({r["ad_id"] for r in csv.DictReader(open(sys.argv[1]))})
rows = []
k = 0
for f in range(4):
    for i in range(5):
        rows.append((ads[k], f"sub/f{f}_{i}.png", "image")); k += 1
rows.append((ads[k], "sub/near_dup.jpg", "image")); k += 1
rows.append((ads[k], "sub/missing.png", "image")); k += 1
rows.append((ads[k], "../outside.png", "image")); k += 1
rows.append((ads[k], "sub/corrupt.png", "image")); k += 1
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["ad_id", "media_path", "creative_type"])
    w.writerows(rows)
PY

touch -d "2000-01-01" "$RUN/report.html"
expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
  --run-dir "$RUN" --clusters 4 --neighbors 5 && pass "creative-analyze ran"
OUT="$RUN/creatives"
for f in creative_embeddings.npz creative_neighbors.csv creative_clusters.csv creative_assets.csv \
         creative_errors.csv creative_cluster_summary.csv creative_clusters.png metadata.json \
         thumbnails/0.jpg thumbnails/20.jpg; do
  [ -s "$OUT/$f" ] && pass "$f written" || fail "$f missing"
done
expect_in_output "run: $OUT"
expect_in_output "creative_media.csv:23: ad .*: file not found — skipped"
expect_in_output "creative_media.csv:24: ad .*leaves the media folder"
expect_in_output "21 analysed, 3 skipped, 4 clusters"
expect_in_output "rebuilt: $RUN/report.html"
[ "$(json_get "$OUT/metadata.json" 'd["run_kind"]')" = "creative-analyze" ] && pass "run_kind" || fail "run_kind"
[ "$(json_get "$OUT/metadata.json" 'd["source_run"]["run_id"]')" = "run" ] && pass "source run recorded" || fail "source run"

# Neighbours, clusters and families, assets and errors, checked in one script.
check() {
  if out="$($PY - "$OUT" "$MEDIA/creative_media.csv" "$RUN" 2>&1 <<'PY'
import csv, sys, os
import numpy as np
out, mapping, run = sys.argv[1:4]
def rows(name): return list(csv.DictReader(open(os.path.join(out, name), newline="")))
media = {r["ad_id"]: r["media_path"] for r in csv.DictReader(open(mapping))}
family = {a: (p.split("/")[1][1] if "/f" in p else ("0" if "near_dup" in p else None)) for a, p in media.items()}
twin = next(a for a, p in media.items() if p == "sub/f0_0.png")
dup = next(a for a, p in media.items() if p == "sub/near_dup.jpg")
nb = rows("creative_neighbors.csv")
first = {r["ad_id"]: r["neighbor_ad_id"] for r in nb if r["rank"] == "1"}
assert first[twin] == dup and first[dup] == twin, ("near-duplicate not rank 1", first[twin], first[dup])
assert len(nb) == 21 * 5, len(nb)
sims = [float(r["similarity"]) for r in nb if r["ad_id"] == twin]
assert sims == sorted(sims, reverse=True) and sims[0] > 0.95, sims
cl = {r["ad_id"]: r["cluster_id"] for r in rows("creative_clusters.csv")}
pairs = {(family[a], c) for a, c in cl.items()}
assert len(pairs) == 4 and len({c for _, c in pairs}) == 4, ("clusters are not the families", sorted(pairs))
sizes = sorted((list(cl.values()).count(c), c) for c in set(cl.values()))
assert sizes[-1] == (6, "0"), sizes  # the family with the near-duplicate is the largest: cluster 0
z = np.load(os.path.join(out, "creative_embeddings.npz"))
ids, emb = z["ad_id"], z["embedding"]
assert emb.dtype == np.float32 and emb.shape[0] == 21 and ids.shape == (21,), (emb.shape, ids.shape)
assert list(ids) == [r["ad_id"] for r in rows("creative_clusters.csv")]
assert np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-4)
i, j = list(ids).index(twin), list(ids).index(dup)
assert abs(float(emb[i] @ emb[j]) - float(next(r["similarity"] for r in nb if r["ad_id"] == twin and r["rank"] == "1"))) < 1e-5
assets = rows("creative_assets.csv")
assert list(assets[0].keys()) == ["ad_id","media_path","media_type","cluster_id","frames_used","width","height","thumbnail"], assets[0].keys()
for k, a in enumerate(assets):
    assert a["thumbnail"] == f"thumbnails/{k}.jpg" and os.path.getsize(os.path.join(out, a["thumbnail"])) > 0
    assert a["media_path"] == media[a["ad_id"]] and a["cluster_id"] == cl[a["ad_id"]]
    assert a["frames_used"] == "1" and int(a["width"]) > 200
assert {a["media_type"] for a in assets} == {"image/png", "image/jpeg"}, {a["media_type"] for a in assets}
err = rows("creative_errors.csv")
assert [e["media_path"] for e in err] == ["sub/missing.png", "../outside.png", "sub/corrupt.png"], err
assert [e["line"] for e in err] == ["23", "24", "25"], err
assert "not found" in err[0]["reason"] and "media folder" in err[1]["reason"] and err[2]["reason"], err
PY
)"; then pass "neighbours, clusters = families, npz, assets, errors"; else fail "artifacts: $out"; fi
}
check

# The summary: ELV and leads per cluster from predictions.csv; spend from ads.csv over the
# scored leads' date range; low volume at the run's min_segment_leads (30).
if out="$($PY - "$OUT" "$RUN" 2>&1 <<'PY'
import csv, sys, os, math, json
out, run = sys.argv[1:3]
cl = {r["ad_id"]: int(r["cluster_id"]) for r in csv.DictReader(open(os.path.join(out, "creative_clusters.csv")))}
elv, leads, p, days = {}, {}, {}, []
lab, pos = {}, {}
outside = 0
for r in csv.DictReader(open(os.path.join(run, "predictions.csv"))):
    days.append(r["created_time"][:10])
    c = cl.get(r["ad_id"])
    if c is None:
        outside += 1; continue
    elv[c] = elv.get(c, 0) + float(r["elv"]); leads[c] = leads.get(c, 0) + 1
    p[c] = p.get(c, 0) + float(r["p_qualified_14d"])
    if r["label_status"] != "unknown" and r["is_mature"] == "1":
        lab[c] = lab.get(c, 0) + 1; pos[c] = pos.get(c, 0) + (r["label_status"] == "positive")
first, last = min(days), max(days)
spend = {}
for r in csv.DictReader(open(os.path.join(run, "data", "ads.csv"))):
    c = cl.get(r["ad_id"])
    if c is not None and first <= r["date"] <= last:
        spend[c] = spend.get(c, 0) + float(r["spend"])
rows = list(csv.DictReader(open(os.path.join(out, "creative_cluster_summary.csv"))))
# The demo counts its money in EUR, so the summary ends with the currency column.
assert list(rows[0].keys()) == ["cluster_id","creatives","leads","mean_p_qualified","predicted_elv","spend","elv_per_spend","labeled_leads","qualified_rate_labeled","low_volume","currency"], rows[0].keys()
assert all(r["currency"] == "EUR" for r in rows), [r["currency"] for r in rows]
assert [int(r["cluster_id"]) for r in rows] == [0, 1, 2, 3]
for r in rows:
    c = int(r["cluster_id"])
    assert abs(float(r["predicted_elv"]) - elv[c]) < 1e-6 * max(1, elv[c]), (c, r["predicted_elv"], elv[c])
    assert int(r["leads"]) == leads[c]
    assert abs(float(r["mean_p_qualified"]) - p[c] / leads[c]) < 1e-9
    assert abs(float(r["spend"]) - spend[c]) < 0.006, (c, r["spend"], spend[c])
    assert abs(float(r["elv_per_spend"]) - elv[c] / float(r["spend"])) < 1e-6
    assert int(r["labeled_leads"]) == lab.get(c, 0)
    assert abs(float(r["qualified_rate_labeled"]) - pos[c] / lab[c]) < 1e-9
    assert r["low_volume"] == ("true" if leads[c] < 30 else "false")
    assert int(r["creatives"]) == list(cl.values()).count(c)
m = json.load(open(os.path.join(out, "metadata.json")))
assert m["summary"]["leads_without_creative"] == outside and outside > 0, (m["summary"], outside)
print("ok")
PY
)"; then pass "summary ELV, leads, spend and labeled rate match predictions.csv and ads.csv"; else fail "summary: $out"; fi
expect_in_output "leads in predictions.csv came from ads with no analysed creative"
[ "$(find "$RUN/report.html" -newer "$RUN/predictions.csv")" ] && pass "report.html rebuilt" || fail "report.html not rebuilt"

# A second analysis replaces <run>/creatives (an elv folder) and the run stays overwritable.
FIRST_AT="$(json_get "$OUT/metadata.json" 'd["counts"]["clusters"]')"
expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
  --run-dir "$RUN" --clusters 3 --quiet && pass "second analysis"
[ "$FIRST_AT" = 4 ] && [ "$(json_get "$OUT/metadata.json" 'd["counts"]["clusters"]')" = "3" ] \
  && pass "creatives replaced (k 4 -> 3)" || fail "creatives not replaced"
[ "$(cut -d, -f2 "$OUT/creative_clusters.csv" | tail -n +2 | sort -u | wc -l)" = 3 ] && pass "3 clusters written" || fail "cluster ids"
[ ! -s "$TMP/out" ] || ! grep -q warning "$TMP/out" && pass "--quiet prints no warnings" || fail "--quiet printed warnings"
ls "$RUN" | grep -q '^\.' && fail "temporary folder left in the run" || pass "no temporary folder left"

# A creatives folder elv did not write is never replaced.
STRANGE="$TMP/run2"
cp -a "$RUN" "$STRANGE"
rm -rf "$STRANGE/creatives" && mkdir "$STRANGE/creatives" && echo mine >"$STRANGE/creatives/notes.txt"
expect_exit 1 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --run-dir "$STRANGE" \
  && pass "a folder elv did not write is refused"
[ "$(cat "$STRANGE/creatives/notes.txt")" = "mine" ] && pass "user's file kept" || fail "user's file touched"

# Without --run-dir: a new folder under runs_root, no summary.
expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
  --out-dir "$TMP/alone" --clusters 2 --threads 1 && pass "without --run-dir"
# The same neighbours and clusters whatever the thread count (the run above used all cores).
expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
  --out-dir "$TMP/alone2" --clusters 2 --threads 2 && pass "with 2 threads"
for f in creative_neighbors.csv creative_clusters.csv creative_assets.csv; do
  cmp -s "$TMP/alone/$f" "$TMP/alone2/$f" && pass "$f the same on 1 and 2 threads" || fail "$f differs with the thread count"
done
$PY -c "import numpy as np, sys; a, b = np.load(sys.argv[1]), np.load(sys.argv[2]); assert (a['embedding'] == b['embedding']).all() and (a['ad_id'] == b['ad_id']).all()" \
  "$TMP/alone/creative_embeddings.npz" "$TMP/alone2/creative_embeddings.npz" && pass "embeddings the same" || fail "embeddings differ"
# With SOURCE_DATE_EPOCH the archive itself is byte-identical.
for d in p1 p2; do
  SOURCE_DATE_EPOCH=1780000000 "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
    --out-dir "$TMP/$d" --clusters 2 --quiet >/dev/null 2>&1 || fail "pinned run $d"
done
cmp -s "$TMP/p1/creative_embeddings.npz" "$TMP/p2/creative_embeddings.npz" && pass "npz pinned by SOURCE_DATE_EPOCH" || fail "npz differs under SOURCE_DATE_EPOCH"
[ ! -e "$TMP/alone/creative_cluster_summary.csv" ] && [ -s "$TMP/alone/creative_clusters.png" ] \
  && pass "no summary without a run" || fail "summary without a run"

# A video (frames sampled, mean-pooled) and a decompression bomb (a PNG whose header claims
# 100000 x 100000 pixels: refused before decoding).
$PY - "$MEDIA/sub/bomb.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
PY
if command -v ffmpeg >/dev/null; then
  ffmpeg -loglevel error -f lavfi -i testsrc=duration=2:size=160x120:rate=10 -pix_fmt yuv420p "$MEDIA/sub/clip.mp4"
  printf 'ad_id,media_path\nV1,sub/clip.mp4\nB1,sub/bomb.png\nP1,sub/f1_0.png\n' >"$MEDIA/extra.csv"
  expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/extra.csv" --out-dir "$TMP/extra" \
    --num-video-frames 3 --clusters 2 && pass "video and bomb"
  expect_in_output "extra.csv:3: ad B1: the picture is 100000x100000 pixels"
  if out="$($PY - "$TMP/extra" 2>&1 <<'PY'
import csv, sys, os
out = sys.argv[1]
a = {r["ad_id"]: r for r in csv.DictReader(open(os.path.join(out, "creative_assets.csv")))}
assert a["V1"]["media_type"] == "video/mp4" and a["V1"]["frames_used"] == "3", a["V1"]
assert (a["V1"]["width"], a["V1"]["height"]) == ("160", "120"), a["V1"]
e = list(csv.DictReader(open(os.path.join(out, "creative_errors.csv"))))
assert [r["ad_id"] for r in e] == ["B1"] and "over the limit" in e[0]["reason"], e
PY
)"; then pass "video: 3 frames, video/mp4; bomb in creative_errors.csv"; else fail "video/bomb: $out"; fi
else
  echo "skip: no ffmpeg for the video case"
fi

# The ONNX encoder with a tiny model built here (Conv 3->8, GlobalAveragePool, Flatten; opset 11,
# IR 8), its preprocessing in the JSON beside it: the output's 8 values are the embedding.
if $PY -c "import onnx" 2>/dev/null; then
  $PY - "$TMP/tiny.onnx" <<'PY'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper
w = np.array([[[[((o * 27 + c * 9 + i * 3 + j) % 7 - 3) / 10.0 for j in range(3)]
                for i in range(3)] for c in range(3)] for o in range(8)], dtype=np.float32)
b = np.array([0.05 * o - 0.2 for o in range(8)], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Conv", ["input", "w", "b"], ["conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
     helper.make_node("GlobalAveragePool", ["conv"], ["pooled"]),
     helper.make_node("Flatten", ["pooled"], ["embedding"], axis=1)],
    "tiny", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 32, 32])],
    [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 8])],
    [helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.flatten().tolist()),
     helper.make_tensor("b", TensorProto.FLOAT, b.shape, b.flatten().tolist())])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
PY
  expect_exit 1 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --out-dir "$TMP/onnx" \
    --encoder onnx --onnx-model "$TMP/tiny.onnx" && pass "ONNX without its preprocessing JSON refused"
  [ ! -e "$TMP/onnx" ] && pass "nothing written" || fail "$TMP/onnx written"
  echo '{"input_size": [32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}' >"$TMP/tiny.json"
  expect_exit 0 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --out-dir "$TMP/onnx" \
    --encoder onnx --onnx-model "$TMP/tiny.onnx" --clusters 4 --quiet && pass "ONNX encoder ran"
  if out="$($PY - "$TMP/onnx" 2>&1 <<'PY'
import json, sys, os
import numpy as np
out = sys.argv[1]
m = json.load(open(os.path.join(out, "metadata.json")))
assert m["encoder"] == "onnx:tiny.onnx" and m["dimension"] == 8, (m["encoder"], m["dimension"])
e = np.load(os.path.join(out, "creative_embeddings.npz"))["embedding"]
assert e.shape == (21, 8) and np.isfinite(e).all() and np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5), e.shape
PY
)"; then pass "ONNX: encoder recorded, 8-dim unit embeddings"; else fail "ONNX: $out"; fi
else
  echo "skip: no python3-onnx for the ONNX case"
fi

# Nothing decodes: exit 1, the reasons in the message, nothing written.
printf 'ad_id,media_path\nA1,sub/missing.png\nA2,sub/corrupt.png\n' >"$MEDIA/bad.csv"
expect_exit 1 -- "$ELV" creative-analyze --creative-map "$MEDIA/bad.csv" --out-dir "$TMP/none" \
  && pass "nothing decodes: exit 1"
expect_in_output "none of the 2 creatives could be read"
expect_in_output "line 2 (ad A1): .*not found"
[ ! -e "$TMP/none" ] && pass "nothing written" || fail "$TMP/none exists"

# Repeated ad ids are refused, naming them.
printf 'ad_id,media_path\nX9,sub/f0_0.png\nX9,sub/f1_0.png\nY1,sub/f2_0.png\n' >"$MEDIA/dup.csv"
expect_exit 1 -- "$ELV" creative-analyze --creative-map "$MEDIA/dup.csv" --out-dir "$TMP/dup" \
  && pass "repeated ad_id refused"
expect_in_output "X9"

# Usage errors: exit 2.
expect_exit 2 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --clusters 0 \
  && pass "--clusters 0 is a usage error"
expect_exit 2 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --encoder onnx \
  && pass "--encoder onnx without a model is a usage error"
# A run without predictions.csv.
mkdir -p "$TMP/empty_run"
expect_exit 1 -- "$ELV" creative-analyze --creative-map "$MEDIA/creative_media.csv" --run-dir "$TMP/empty_run" \
  && pass "run without predictions.csv refused"
expect_in_output "predictions.csv not found"

# The run itself can still be replaced: its creatives folder counts as elv's.
expect_exit 0 -- "$ELV" demo --out-dir "$RUN" --overwrite && pass "the run's --overwrite still works"
[ ! -e "$RUN/creatives" ] && pass "old creatives went with the old run" || fail "creatives survived the overwrite"

# The codecs live in libelv_codecs.so beside elv (src/creative/codecs.h): an elv copied alone
# refuses the analysis at once, naming the module and where it looked, and writes nothing.
mkdir -p "$TMP/alone"
cp "$ELV" "$TMP/alone/elv"
expect_exit 1 -- "$TMP/alone/elv" creative-analyze --creative-map "$MEDIA/creative_media.csv" \
  --run-dir "$RUN" --out-dir "$TMP/alone-out" &&
  expect_in_output "libelv_codecs.so, which is not installed beside this elv (looked at $TMP/alone/libelv_codecs.so"
[ ! -e "$TMP/alone-out" ] && pass "nothing written without the codecs" || fail "alone-out written"
# ...and every other command runs without it.
expect_exit 0 -- "$TMP/alone/elv" validate --config "$RUN/config.yaml" && pass "validate runs without the codecs"

finish
