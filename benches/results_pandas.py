#!/usr/bin/env python3
"""The results benchmark's comparison: klankbord's full results summary done in pandas.

Usage: python3 benches/results_pandas.py DIR

DIR holds what `cargo bench --bench results` writes: responses.csv (one row per
finished response: respondent, background variables, then the answers: a single
choice's value, a scale point or "dk" for "weet ik niet", a mark or number, and for
multiple choice a 0/1 column per option `id.value` and `id._other`; empty when not
given), questionnaire.json, panel.json and job.json (variables to weight and split by,
raking's limits, the smallest group that may be shown).

It does the same work as klankbord (src/stats, src/service/results.rs), step by step:
raking to the panel's targets (the same sweeps, convergence limit and trimming), every
question summarised with 95% intervals unweighted and weighted, the crosstabs by the
three variables, and the public view (small cells hidden, complementary suppression).
Reading the CSV is timed apart from the work. The last line printed is JSON: times and
the headline figures the benchmark compares.
"""

import json
import math
import sys
import time

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
T_TABLE = [
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
    2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
    2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
    2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
]
BOUND_SLACK = 1e-9
DONT_KNOW = "dk"
OTHER = "_other"


# ---- intervals (src/stats/interval.rs, weighted.rs) ----

def fpc_variance(n, population):
    if population is not None and population > 1 and n < population:
        return (population - n) / (population - 1)
    if population is not None and population > 0 and n >= population:
        return 0.0
    return 1.0


def wilson_score(p, n):
    z2 = Z95 * Z95
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = Z95 / denominator * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return (max(centre - half, 0.0), min(centre + half, 1.0))


def wilson(successes, n, population):
    if n == 0 or successes > n:
        return None
    p = successes / n
    fpc = fpc_variance(n, population)
    if fpc == 0.0:
        return (p, p)
    return wilson_score(p, n / fpc)


def t975(df):
    if df == 0:
        return math.inf
    if df <= 30:
        return T_TABLE[df - 1]
    z, v = Z95, float(df)
    z3, z5, z7, z9 = z**3, z**5, z**7, z**9
    return (z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v**3)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v**4))


def mean_interval(mean, sd, n, population):
    if n < 2 or not math.isfinite(mean) or not math.isfinite(sd):
        return None
    se = sd / math.sqrt(n) * math.sqrt(fpc_variance(n, population))
    half = t975(n - 1) * se
    return (mean - half, mean + half)


def weight_sums(n, s, s2):
    valid = n > 0 and math.isfinite(s) and s > 0 and math.isfinite(s2) and s2 > 0
    return {"n": n, "sum": s, "sum_squares": s2,
            "effective_n": s * s / s2 if valid else None,
            "design_effect": n * s2 / (s * s) if valid else None}


def weighted_share(hits, base, population):
    if base is None or base["effective_n"] is None:
        return None
    if not math.isfinite(hits) or hits < 0 or hits > base["sum"] + base["sum"] * 1e-12:
        return None
    share = min(hits / base["sum"], 1.0)
    fpc = fpc_variance(base["n"], population)
    interval = (share, share) if fpc == 0.0 else wilson_score(share, base["effective_n"] / fpc)
    return {"weight": hits, "share": share, "effective_n": base["effective_n"], "interval": interval}


def weighted_mean_of(sums, mean, squares, population):
    n_eff = sums["effective_n"]
    if n_eff is None or not math.isfinite(mean) or not math.isfinite(squares):
        return None
    n = sums["n"]
    sd = math.sqrt(max(squares, 0.0) / sums["sum"] * n / (n - 1)) if n >= 2 else None
    interval = None
    if sd is not None and n_eff >= 2:
        se = sd / math.sqrt(n_eff) * math.sqrt(fpc_variance(n, population))
        half = t975(int(math.floor(n_eff)) - 1) * se
        interval = (mean - half, mean + half)
    return {"n": n, "effective_n": n_eff, "mean": mean, "sd": sd, "interval": interval}


# ---- raking (src/stats/weight.rs) ----

def rake(df, panel, job):
    margins = []
    for variable in job["weight_by"]:
        targets = {c: s for c, s in panel["targets"][variable].items() if s > 0}
        total = sum(panel["targets"][variable].values())
        categories = list(targets)
        codes = pd.Categorical(df[variable], categories=categories).codes
        if (codes < 0).any():
            raise SystemExit(f"respondents without a target category in {variable}")
        shares = np.array([targets[c] / total for c in categories])
        if (np.bincount(codes, minlength=len(categories)) == 0).any():
            raise SystemExit(f"a target category of {variable} has no respondents")
        margins.append((codes.astype(np.intp), shares))
    n = len(df)

    def gap(w):
        s = w.sum()
        g = 0.0
        for codes, shares in margins:
            totals = np.bincount(codes, weights=w, minlength=len(shares))
            g = max(g, np.abs(totals / s - shares).max())
        return g if math.isfinite(g) else 1.0

    def sweeps(w, budget, tolerance):
        done = 0
        while gap(w) > tolerance:
            if done == budget:
                return done, False
            for codes, shares in margins:
                totals = np.bincount(codes, weights=w, minlength=len(shares))
                with np.errstate(divide="ignore", invalid="ignore"):
                    factors = shares * n / totals
                if not (np.isfinite(factors).all() and (factors > 0).all()):
                    return done, False
                w *= factors[codes]
            done += 1
        return done, True

    def cap(w, low, high, capped):
        lo, hi = low / w.max(), high / max(w.min(), sys.float_info.min)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if np.clip(mid * w, low, high).sum() / n < 1.0:
                lo = mid
            else:
                hi = mid
        scaled = 0.5 * (lo + hi) * w
        capped |= (scaled < low) | (scaled > high)
        np.clip(scaled, low, high, out=w)

    w = np.ones(n)
    capped = np.zeros(n, dtype=bool)
    budget, iterations = job["max_iterations"], 0
    trim = job["trim"]
    while True:
        done, converged = sweeps(w, budget, job["tolerance"])
        iterations += done
        budget -= done
        if trim is None:
            break
        low, high = trim
        within = ((w >= low * (1 - BOUND_SLACK)) & (w <= high * (1 + BOUND_SLACK))).all()
        if converged and within:
            converged = True
            break
        cap(w, low, high, capped)
        if not converged or budget == 0:
            converged = False
            break
    w *= n / w.sum()
    if not converged:
        raise SystemExit("raking did not converge")
    sums = weight_sums(n, w.sum(), (w * w).sum())
    return w, {"iterations": iterations, "design_effect": sums["design_effect"],
               "effective_n": sums["effective_n"], "trimmed": int(capped.sum())}


# ---- the questions: routing, who answered, values ----

def asked_masks(df, questions, given):
    """Whether each question was shown to each respondent (src/domain/questionnaire/routing.rs),
    for the `equals`, `in` and `answered` conditions."""
    shown = {}
    for q in questions:
        cond = q.get("show_if")
        if cond is None:
            shown[q["id"]] = np.ones(len(df), dtype=bool)
            continue
        ref = cond["question"]
        visible_answer = shown[ref] & given[ref]
        if "equals" in cond or "in" in cond:
            values = [cond["equals"]] if "equals" in cond else cond["in"]
            ref_q = next(x for x in questions if x["id"] == ref)
            if ref_q["type"] == "multiple_choice":
                hit = df[[f"{ref}.{v}" for v in values]].to_numpy().any(axis=1)
            else:
                hit = df[ref].isin(values).to_numpy()
            shown[q["id"]] = visible_answer & hit
        elif "answered" in cond:
            shown[q["id"]] = visible_answer == cond["answered"]
        else:
            raise SystemExit(f"condition of {q['id']} not supported here")
    return shown


def dummies(q):
    cols = [f"{q['id']}.{o['value']}" for o in q["options"]]
    if q.get("other"):
        cols.append(f"{q['id']}.{OTHER}")
    return cols


def values_of(q):
    """The counted values of a question, in the order of its rows."""
    kind = q["type"]
    if kind == "single_choice":
        return [o["value"] for o in q["options"]]
    if kind == "scale":
        return [str(i + 1) for i in range(len(q["labels"]))] + ([DONT_KNOW] if q.get("dont_know") else [])
    if kind == "multiple_choice":
        return [o["value"] for o in q["options"]] + ([OTHER] if q.get("other") else [])
    if kind == "grade":
        return [str(g) for g in range(q.get("min", 1), q.get("max", 10) + 1)]
    return []


def given_masks(df, questions):
    given = {}
    for q in questions:
        if q["type"] == "multiple_choice":
            given[q["id"]] = df[dummies(q)].to_numpy().any(axis=1)
        else:
            given[q["id"]] = df[q["id"]].notna().to_numpy()
    return given


# ---- the summary (src/stats/summary.rs, frame.rs) ----

def count(label, n, base, population, hits, wbase):
    return {"label": label, "n": int(n), "share": n / base if base > 0 else None,
            "interval": wilson(int(n), int(base), population),
            "weighted": weighted_share(float(hits), wbase, population) if wbase else None}


def moments(x, w, population):
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return None, 0, 0.0
    s = pd.Series(x)
    mean, sd = s.mean(), s.std(ddof=1) if n > 1 else None
    wx = w
    sw = wx.sum()
    wmean = (wx * x).sum() / sw
    wsq = (wx * (x - wmean) * (x - wmean)).sum()
    below = x < 6
    m = {"n": n, "mean": mean, "sd": sd,
         "interval": mean_interval(mean, sd, n, population) if sd is not None else None,
         "median": s.median(), "q1": s.quantile(0.25), "q3": s.quantile(0.75),
         "min": s.min(), "max": s.max(),
         "weighted": weighted_mean_of(weight_sums(n, sw, (wx * wx).sum()), wmean, wsq, population)}
    return m, int(below.sum()), float(wx[below].sum())


def summarise(df, w, questions, shown, given, population):
    out = []
    for q in questions:
        qid, kind = q["id"], q["type"]
        answered = given[qid] & shown[qid]
        base = int(answered.sum())
        wa = w[answered]
        wbase = weight_sums(base, wa.sum(), (wa * wa).sum())
        item = {"id": qid, "asked": int(shown[qid].sum()), "answered": base,
                "no_answer": int(shown[qid].sum()) - base}
        if kind in ("single_choice", "scale"):
            col = df[qid][answered]
            n = col.value_counts()
            hits = pd.Series(wa, index=col.index).groupby(col, observed=True).sum()
            counts = [count(v, n.get(v, 0), base, population, hits.get(v, 0.0), wbase)
                      for v in values_of(q)]
            if kind == "scale" and q.get("dont_know"):
                item["figures"] = {"options": counts[:-1], "dont_know": counts[-1]}
            else:
                item["figures"] = {"options": counts, "dont_know": None}
        elif kind == "multiple_choice":
            chosen = df.loc[answered, dummies(q)]
            n = chosen.sum()
            hits = chosen.mul(wa, axis=0).sum()
            counts = [count(v, n[c], base, population, hits[c], wbase)
                      for v, c in zip(values_of(q), dummies(q))]
            item["figures"] = {"options": counts[:-1] if q.get("other") else counts,
                               "other": counts[-1] if q.get("other") else None}
        elif kind == "grade":
            col = df[qid][answered]
            n = col.value_counts()
            hits = pd.Series(wa, index=col.index).groupby(col).sum()
            marks = [count(v, n.get(float(v), 0), base, population, hits.get(float(v), 0.0), wbase)
                     for v in values_of(q)]
            m, below, wbelow = moments(col.to_numpy(), wa, population)
            item["figures"] = {"marks": marks, "moments": m,
                               "below_six": count("", below, base, population, wbelow, wbase)}
        elif kind == "number":
            m, _, _ = moments(df[qid][answered].to_numpy(), wa, population)
            item["figures"] = {"moments": m, "unit": q.get("unit")}
        else:
            continue
        item["kind"] = kind
        out.append(item)
    return out


# ---- crosstabs (src/stats/crosstab.rs) ----

def group_codes(df, panel, variable):
    var = next(v for v in panel["background_variables"] if v["id"] == variable)
    categories = [c["value"] for c in var["categories"]]
    codes = pd.Categorical(df[variable], categories=categories).codes.astype(np.int64)
    labels = [c["label"] for c in var["categories"]]
    codes[codes < 0] = len(categories)
    if (codes == len(categories)).any():
        labels.append("Onbekend")
    return codes, labels


def crosstab(df, questions, shown, given, codes, labels):
    groups = range(len(labels))
    g = pd.Series(codes, index=df.index, name="g")
    out = []
    for q in questions:
        qid, kind = q["id"], q["type"]
        answered = given[qid] & shown[qid]
        bases = g[answered].value_counts().reindex(groups, fill_value=0).tolist()
        # Answers left on a question that was not shown do not count.
        routed = q.get("show_if") is not None
        means = None
        if kind in ("single_choice", "scale"):
            col = df[qid].where(shown[qid]) if routed else df[qid]
            table = col.groupby([g, col], observed=True).size().unstack(fill_value=0)
            table = table.reindex(index=groups, columns=values_of(q), fill_value=0)
            rows = [table[v].tolist() for v in values_of(q)]
            exclusive = True
        elif kind == "multiple_choice":
            chosen = df[dummies(q)]
            chosen = chosen[shown[qid]] if routed else chosen
            table = chosen.groupby(g).sum().reindex(groups, fill_value=0)
            rows = [table[c].tolist() for c in dummies(q)]
            exclusive = False
        elif kind in ("grade", "number"):
            x = df[qid].where(shown[qid]) if routed else df[qid]
            stats = x.groupby(g).agg(["count", "mean"]).reindex(groups)
            means = [None if pd.isna(c) or c == 0 else (int(c), float(m))
                     for c, m in zip(stats["count"], stats["mean"])]
            rows = []
            if kind == "grade":
                rows = [(x < 6).groupby(g).sum().reindex(groups, fill_value=0).astype(int).tolist()]
            exclusive = False
        else:
            continue
        out.append({"id": qid, "bases": bases, "rows": rows, "exclusive": exclusive, "means": means})
    return out


# ---- what outsiders see (src/stats/suppress.rs, cross_public.rs) ----

def hidden_cells(counts, k):
    if sum(counts) < k:
        return [True] * len(counts)
    hidden = [0 < n < k for n in counts]
    while True:
        picked = [n for n, h in zip(counts, hidden) if h]
        if not picked or (len(picked) >= 2 and sum(picked) >= k):
            return hidden
        rest = [i for i in range(len(counts)) if not hidden[i]]
        if not rest:
            return hidden
        hidden[min(rest, key=lambda i: (counts[i] == 0, counts[i], i))] = True


def public_counts(counts, base, k):
    hidden = hidden_cells([c["n"] for c in counts], k)
    return [None if h or base < k else (c["n"], c["share"]) for c, h in zip(counts, hidden)]


def public_share(c, base, k):
    hidden = hidden_cells([c["n"], max(base - c["n"], 0)], k)
    return None if hidden[0] or base < k else (c["n"], c["share"])


def public_summary(summary, respondents, k):
    questions = []
    for item in summary:
        base, f = item["answered"], item["figures"]
        if item["kind"] in ("single_choice", "scale"):
            cells = f["options"] + ([f["dont_know"]] if f["dont_know"] else [])
            shown = {"counts": public_counts(cells, base, k)}
        elif item["kind"] == "multiple_choice":
            cells = f["options"] + ([f["other"]] if f["other"] else [])
            shown = {"counts": [public_share(c, base, k) for c in cells]}
        elif item["kind"] == "grade":
            m = f["moments"]
            ok = m is not None and m["n"] >= k
            shown = {"counts": public_counts(f["marks"], base, k) + [public_share(f["below_six"], base, k)],
                     "mean": m["mean"] if ok else None, "median": m["median"] if ok else None}
        else:
            m = f["moments"]
            ok = m is not None and m["n"] >= k
            shown = {"counts": [], **{key: (m[key] if ok else None) for key in ("mean", "median", "q1", "q3")}}
        shown["answered"] = base if base >= k else None
        questions.append(shown)
    return {"respondents": respondents if respondents >= k else None, "questions": questions}


def complete_line(values, hidden, k):
    picked = [v for v, h in zip(values, hidden) if h]
    if not picked or (len(picked) >= 2 and sum(picked) >= k):
        return False
    rest = [i for i in range(len(values)) if not hidden[i]]
    if not rest:
        return False
    hidden[min(rest, key=lambda i: (values[i] == 0, values[i], i))] = True
    return True


def hidden_table(rows, bases, k):
    groups = len(bases)
    base_hidden = [0 < b < k for b in bases]
    if sum(bases) < k:
        base_hidden = [True] * groups
    cells = [[0 < n < k for n in row] for row in rows]
    while True:
        changed = complete_line(bases, base_hidden, k)
        for g in range(groups):
            if base_hidden[g]:
                for row in cells:
                    changed |= not row[g]
                    row[g] = True
        for r, row in enumerate(rows):
            changed |= complete_line(row, cells[r], k)
        for g in range(groups):
            if not base_hidden[g]:
                column = [row[g] for row in rows]
                line = [row[g] for row in cells]
                if complete_line(column, line, k):
                    changed = True
                    for row, h in zip(cells, line):
                        row[g] = h
        if not changed:
            return cells, base_hidden


def public_crosstab(tab, k):
    out = []
    for q in tab:
        bases = q["bases"]
        exclusive_rows = q["rows"] if q["exclusive"] else []
        hidden, base_hidden = hidden_table(exclusive_rows, bases, k)
        rows = []
        for i, row in enumerate(q["rows"]):
            if q["exclusive"]:
                h = hidden[i]
            else:
                rest = [max(b - n, 0) for n, b in zip(row, bases)]
                cells, _ = hidden_table([row, rest], bases, k)
                h = [c or b for c, b in zip(cells[0], base_hidden)]
            rows.append([None if hh or b == 0 else (n, n / b) for n, hh, b in zip(row, h, bases)])
        means = None
        if q["means"] is not None:
            means = [m[1] if m is not None and not bh and m[0] >= k else None
                     for m, bh in zip(q["means"], base_hidden)]
        out.append({"id": q["id"], "bases": [None if h else b for b, h in zip(bases, base_hidden)],
                    "rows": rows, "means": means})
    return out


# ---- the benchmark ----

def read(folder):
    with open(f"{folder}/questionnaire.json", encoding="utf-8") as f:
        questionnaire = json.load(f)
    with open(f"{folder}/panel.json", encoding="utf-8") as f:
        panel = json.load(f)
    with open(f"{folder}/job.json", encoding="utf-8") as f:
        job = json.load(f)
    questions = [q for q in questionnaire["questions"] if q["type"] != "open_text"]
    dtypes = {v["id"]: pd.CategoricalDtype([c["value"] for c in v["categories"]])
              for v in panel["background_variables"]}
    dtypes["respondent"] = "str"
    for q in questions:
        if q["type"] in ("single_choice", "scale"):
            dtypes[q["id"]] = pd.CategoricalDtype(values_of(q))
        elif q["type"] in ("grade", "number"):
            dtypes[q["id"]] = "float64"
        else:
            dtypes.update({c: "int8" for c in dummies(q)})
    df = pd.read_csv(f"{folder}/responses.csv", dtype=dtypes, keep_default_na=False,
                     na_values={c: [""] for c in dtypes if c != "respondent"})
    return df, questions, panel, job


def checks(weighting, summary, tabs, public, public_tabs, job):
    by_id = {item["id"]: item for item in summary}
    f = lambda qid: by_id[qid]["figures"]
    ja = f("werk_nu")["options"][0]
    leeftijd, situatie = tabs[job["cross_by"].index("leeftijd")], tabs[job["cross_by"].index("situatie")]
    eens = next(q for q in situatie if q["id"] == "eens_zeker")
    leven = next(q for q in leeftijd if q["id"] == "cijfer_leven")
    ns = [c for q in public["questions"] for c in q["counts"]]
    out = {
        "design effect of the weights": weighting["design_effect"],
        "werk_nu = ja: respondents": ja["n"],
        "werk_nu = ja: weighted %": 100 * ja["weighted"]["share"],
        "eens_zeker weet ik niet: weighted %": 100 * f("eens_zeker")["dont_know"]["weighted"]["share"],
        "steun_helpt jobcoach: weighted %": 100 * f("steun_helpt")["options"][2]["weighted"]["share"],
        "cijfer_leven: weighted mean": f("cijfer_leven")["moments"]["weighted"]["mean"],
        "cijfer_leven: below 6, weighted %": 100 * f("cijfer_leven")["below_six"]["weighted"]["share"],
        "uren_week: q1": f("uren_week")["moments"]["q1"],
        "uren_week: sd": f("uren_week")["moments"]["sd"],
        "crosstab situatie: dagbesteding, eens_zeker = 4": eens["rows"][3][1],
        "crosstab leeftijd: 55+, cijfer_leven mean": leven["means"][2][1],
        "public summary: counts shown": sum(c is not None for c in ns),
        "public summary: counts hidden": sum(c is None for c in ns),
    }
    for name, tab in zip(job["cross_by"], public_tabs):
        hidden = 0
        for q in tab:
            hidden += sum(c is None for row in q["rows"] for c in row)
            hidden += sum(b is None for b in q["bases"])
            hidden += sum(m is None for m in (q["means"] or []))
        out[f"public crosstab {name}: cells hidden"] = hidden
    return {k: float(v) for k, v in out.items()}


def main():
    folder = sys.argv[1]
    started = time.perf_counter()
    df, questions, panel, job = read(folder)
    loaded = time.perf_counter()
    cpu = time.process_time()
    k, population = job["min_cell_size"], job["population"]
    w, weighting = rake(df, panel, job)
    raked = time.perf_counter()
    given = given_masks(df, questions)
    shown = asked_masks(df, questions, given)
    summary = summarise(df, w, questions, shown, given, population)
    summarised = time.perf_counter()
    tabs = []
    for variable in job["cross_by"]:
        codes, labels = group_codes(df, panel, variable)
        tabs.append(crosstab(df, questions, shown, given, codes, labels))
    crossed = time.perf_counter()
    public = public_summary(summary, len(df), k)
    public_tabs = [public_crosstab(tab, k) for tab in tabs]
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    phases = (f"raking {raked - loaded:.2f} s in {weighting['iterations']} sweeps, "
              f"summary {summarised - raked:.2f} s, crosstabs {crossed - summarised:.2f} s, "
              f"suppression {done - crossed:.2f} s")
    print(json.dumps({
        "pandas": pd.__version__,
        "load_s": loaded - started,
        "compute_s": done - loaded,
        "cpu_s": cpu,
        "phases": phases,
        "checks": checks(weighting, summary, tabs, public, public_tabs, job),
    }))


if __name__ == "__main__":
    main()
