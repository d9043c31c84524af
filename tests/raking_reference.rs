//! An independent check of raking: the weights of `stats::rake` agree within 1e-6 with
//! those of Python's `ipfn` package on deterministic synthetic fixtures.
//!
//! Needs `python3` with `ipfn` and `pandas` (`pip install ipfn pandas`; `.ci/run`
//! installs them). Without them the test says SKIPPED on stderr and passes, unless
//! `KLANKBORD_REQUIRE_PYTHON` is set (CI sets it): then it fails. `KLANKBORD_PYTHON`
//! names another interpreter.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use klankbord::stats::{Margin, RakeOptions, rake};

/// The reference: reads respondents and targets as CSV, rakes with ipfn to a relative
/// tolerance of 1e-13, writes `id,total` sorted by id.
const REFERENCE: &str = r#"
import sys
import pandas as pd
from ipfn.ipfn import ipfn

units = pd.read_csv(sys.argv[1], dtype=str)
units["id"] = units["id"].astype(int)
units["total"] = 1.0
targets = pd.read_csv(sys.argv[2], dtype={"variable": str, "category": str, "share": float})
n = len(units)
variables = list(dict.fromkeys(targets["variable"]))
aggregates = []
for v in variables:
    t = targets[targets["variable"] == v]
    totals = t["share"] / t["share"].sum() * n
    aggregates.append(pd.Series(totals.values, index=pd.Index(t["category"].values, name=v)))
fit = ipfn(units, aggregates, [[v] for v in variables], convergence_rate=1e-13,
           max_iteration=5000, rate_tolerance=0.0, verbose=1)
weighted, converged = fit.iteration()
if not converged:
    sys.exit("ipfn did not converge")
weighted.sort_values("id")[["id", "total"]].to_csv(sys.argv[3], index=False, float_format="%.17g")
"#;

/// SplitMix64: the same fixture on every machine, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An index drawn with the given relative weights.
    fn pick(&mut self, weights: &[u64]) -> usize {
        let mut draw = self.next() % weights.iter().sum::<u64>();
        for (i, w) in weights.iter().enumerate() {
            if draw < *w {
                return i;
            }
            draw -= w;
        }
        unreachable!("draw below the total")
    }
}

struct Fixture {
    margins: Vec<Margin>,
    units: Vec<Vec<String>>,
}

fn margin(variable: &str, targets: &[(&str, f64)]) -> Margin {
    Margin {
        variable: variable.to_owned(),
        targets: targets.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect(),
    }
}

/// 400 respondents over the example panel's rol, leeftijd and regio, skewed against
/// the targets and with age depending on role, so raking needs many sweeps.
fn three_variables() -> Fixture {
    let margins = vec![
        margin("rol", &[("ervaring", 0.75), ("naaste", 0.25)]),
        margin(
            "leeftijd",
            &[("18-34", 0.30), ("35-54", 0.40), ("55+", 0.30)],
        ),
        margin(
            "regio",
            &[
                ("noord", 0.10),
                ("oost", 0.22),
                ("west", 0.47),
                ("zuid", 0.21),
            ],
        ),
    ];
    let mut rng = Rng(7);
    let units = (0..400)
        .map(|_| {
            let rol = rng.pick(&[55, 45]);
            let age = rng.pick(if rol == 0 { &[5, 3, 2] } else { &[1, 3, 6] });
            let region = rng.pick(&[3, 2, 4, 1]);
            [(0, rol), (1, age), (2, region)]
                .iter()
                .map(|(m, k)| margins[*m].targets[*k].0.clone())
                .collect()
        })
        .collect();
    Fixture { margins, units }
}

/// 250 respondents over two variables with targets that do not add up to 1.
fn two_variables() -> Fixture {
    let margins = vec![
        margin("a", &[("a1", 2.0), ("a2", 1.0), ("a3", 1.0)]),
        margin("b", &[("b1", 0.6), ("b2", 0.4)]),
    ];
    let mut rng = Rng(2024);
    let units = (0..250)
        .map(|_| {
            let a = rng.pick(&[1, 2, 3]);
            let b = rng.pick(if a == 2 { &[1, 4] } else { &[3, 2] });
            vec![format!("a{}", a + 1), format!("b{}", b + 1)]
        })
        .collect();
    Fixture { margins, units }
}

/// Runs the reference on a fixture: ipfn's weight per respondent.
fn reference(python: &str, fixture: &Fixture, dir: &Path) -> Vec<f64> {
    let mut units = String::from("id");
    for m in &fixture.margins {
        write!(units, ",{}", m.variable).unwrap();
    }
    for (id, unit) in fixture.units.iter().enumerate() {
        write!(units, "\n{id},{}", unit.join(",")).unwrap();
    }
    let mut targets = String::from("variable,category,share");
    for m in &fixture.margins {
        for (category, share) in &m.targets {
            write!(targets, "\n{},{category},{share:?}", m.variable).unwrap();
        }
    }
    let (units_csv, targets_csv, out_csv) = (
        dir.join("units.csv"),
        dir.join("targets.csv"),
        dir.join("weights.csv"),
    );
    std::fs::write(&units_csv, units + "\n").unwrap();
    std::fs::write(&targets_csv, targets + "\n").unwrap();
    let run = Command::new(python)
        .arg("-c")
        .arg(REFERENCE)
        .args([&units_csv, &targets_csv, &out_csv])
        .output()
        .expect("the interpreter was found before");
    assert!(
        run.status.success(),
        "the ipfn reference failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out_csv).unwrap();
    text.lines()
        .skip(1)
        .enumerate()
        .map(|(i, line)| {
            let (id, weight) = line.split_once(',').unwrap();
            assert_eq!(id.parse::<usize>().unwrap(), i, "rows in id order");
            weight.parse().unwrap()
        })
        .collect()
}

/// Whether `python` runs and has ipfn and pandas.
fn python_with_ipfn(python: &str) -> bool {
    Command::new(python)
        .args(["-c", "import ipfn.ipfn, pandas, numpy"])
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn raking_agrees_with_the_ipfn_package() {
    let python = std::env::var("KLANKBORD_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    if !python_with_ipfn(&python) {
        let required = std::env::var("KLANKBORD_REQUIRE_PYTHON").is_ok_and(|v| !v.is_empty());
        assert!(
            !required,
            "KLANKBORD_REQUIRE_PYTHON is set but `{python}` with ipfn was not found — install with `pip install ipfn pandas`"
        );
        eprintln!("SKIPPED: python3 with ipfn not found — install with `pip install ipfn pandas`");
        return;
    }
    let options = RakeOptions {
        max_iterations: 10_000,
        tolerance: 1e-13,
        trim: None,
    };
    for (name, fixture) in [("three", three_variables()), ("two", two_variables())] {
        let dir = tempfile::tempdir().unwrap();
        let expected = reference(&python, &fixture, dir.path());
        let weights = rake(&fixture.units, &fixture.margins, &options).unwrap();
        assert!(weights.converged, "{name}: {weights:?}");
        assert!(
            weights.iterations > 3,
            "{name}: the fixture needs several sweeps"
        );
        assert_eq!(weights.values.len(), expected.len());
        let worst = weights
            .values
            .iter()
            .zip(&expected)
            .map(|(w, e)| (w - e).abs())
            .fold(0.0, f64::max);
        eprintln!(
            "{name} variables: {} sweeps, largest difference from ipfn {worst:e}",
            weights.iterations
        );
        assert!(worst < 1e-6, "{name}: weights differ from ipfn by {worst}");
        // The weights are not all alike: the check compares something.
        let spread = expected.iter().copied().fold(0.0, f64::max)
            - expected.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(spread > 0.5, "{name}: spread {spread}");
    }
}
