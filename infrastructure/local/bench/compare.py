"""The counts as OpenMetrics for promtool, and ebm's burn rates against Prometheus's sums (see prometheus.sh)."""
import csv
import datetime
import glob
import json
import os
import sys

import yaml

WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]
COLUMN = {"30d": "window"}


def openmetrics(data, out):
    series = {"ebm_good": [], "ebm_total": []}
    with open(data) as f:
        rows = csv.reader(f)
        next(rows)
        for ts, slo, good, total in rows:
            t = int(datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp())
            series["ebm_good"].append('ebm_good{slo="%s"} %s %d\n' % (slo, good, t))
            series["ebm_total"].append('ebm_total{slo="%s"} %s %d\n' % (slo, total, t))
    with open(out, "w") as f:
        for name, lines in series.items():
            f.write("# TYPE %s gauge\n" % name)
            f.writelines(lines)
        f.write("# EOF\n")


def comparable(slos_dir):
    """Occurrences SLOs on a rolling 30-day window, with one ratio: their targets by name."""
    targets = {}
    for path in glob.glob(os.path.join(slos_dir, "*.yaml")):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "SLO":
                    continue
                spec = doc["spec"]
                objectives = spec.get("objectives", [])
                window = spec.get("timeWindow", [{}])[0]
                if (spec.get("budgetingMethod") == "Occurrences" and len(objectives) == 1
                        and window.get("isRolling") and window.get("duration") == "30d"
                        and "indicator" in spec):
                    targets[doc["metadata"]["name"]] = float(objectives[0]["target"])
    return targets


def burn(good, total, target):
    return None if total == 0 else (1 - good / total) / (1 - target)


def compare(work):
    targets = comparable(os.path.join(work, "slos"))
    worst = 0.0
    checked = 0
    # one instant: evaluate's report
    report = json.load(open(os.path.join(work, "evaluate.json")))
    sums = {}
    for w in WINDOWS:
        for m in ("ebm_good", "ebm_total"):
            for r in json.load(open(os.path.join(work, "instant-%s-%s.json" % (m, w))))["data"]["result"]:
                sums[(r["metric"]["slo"], w, m)] = float(r["value"][1])
    for s in report["slos"]:
        if s["name"] not in targets:
            continue
        for w in WINDOWS:
            ours = s["burnRates"][COLUMN.get(w, w)]
            theirs = burn(sums[(s["name"], w, "ebm_good")], sums[(s["name"], w, "ebm_total")], targets[s["name"]])
            worst = max(worst, abs(ours - theirs) / max(1.0, abs(theirs)))
            checked += 1
    # every minute of the day: series' rows
    steps = {}
    for w in WINDOWS:
        for m in ("ebm_good", "ebm_total"):
            for r in json.load(open(os.path.join(work, "range-%s-%s.json" % (m, w))))["data"]["result"]:
                for t, v in r["values"]:
                    steps[(r["metric"]["slo"], round(t) + 1, w, m)] = float(v)
    with open(os.path.join(work, "series.csv")) as f:
        for row in csv.DictReader(f):
            name = row["slo"]
            if name not in targets:
                continue
            t = int(datetime.datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00")).timestamp())
            for w in WINDOWS:
                ours = row["burn_" + COLUMN.get(w, w)]
                theirs = burn(steps[(name, t, w, "ebm_good")], steps[(name, t, w, "ebm_total")], targets[name])
                if theirs is None:
                    assert ours == "", (name, t, w, ours)
                    continue
                worst = max(worst, abs(float(ours) - theirs) / max(1.0, abs(theirs)))
                checked += 1
    print("compared %d burn rates of %d SLOs: largest difference %.1e (relative, or absolute below 1)"
          % (checked, len(targets), worst))
    if worst > 1e-12:
        sys.exit("burn rates differ")


if __name__ == "__main__":
    if sys.argv[1] == "openmetrics":
        openmetrics(sys.argv[2], sys.argv[3])
    else:
        compare(sys.argv[2])
