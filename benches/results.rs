//! Benchmark for the results (issue 7): the full results summary of 1,000,000 finished
//! responses to 20 questions, as the results page computes it (`service::results`):
//! every question summarised, weighted by raking to the panel's targets over three
//! background variables, crosstabs by three background variables, and what outsiders
//! may see (small cells and complementary suppression). Target: under 5 s, and at
//! least 5 times faster than the same work in pandas (`benches/results_pandas.py`, run
//! on the same data written as CSV, when python3 with pandas is there).
//!
//! `cargo bench --bench results`; `KLANKBORD_BENCH_RESPONSES=100000` for a quicker run;
//! `KLANKBORD_BENCH_DATA_DIR=folder` keeps the CSV and the files beside it there.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use klankbord::domain::grouping::GroupBy;
use klankbord::domain::ids::VariableId;
use klankbord::domain::panel::PanelDefinition;
use klankbord::domain::questionnaire::Answers;
use klankbord::domain::questionnaire::{Question, parse_questionnaire};
use klankbord::i18n::Lang;
use klankbord::service::results::{ResponseBackgrounds, grouping, weights};
use klankbord::stats::{self, AnswerColumns, PublicCrosstab, RakeOptions};
use klankbord::store::results::FinishedResponse;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use support::headline::{self, Results};
use support::responses::{self, Backgrounds, QUESTIONNAIRE};
use support::{data, figure};

/// The seed of the synthetic responses: the same data on every run.
const SEED: u64 = 7;
/// Raked to the panel's targets over these (every respondent answered them).
const WEIGHT_BY: [&str; 3] = ["leeftijd", "regio", "rol"];
/// Crosstabs by these; 2% never answered `situatie` ("onbekend").
const CROSS_BY: [&str; 3] = ["leeftijd", "situatie", "regio"];
const TARGET: Duration = Duration::from_secs(5);
const SPEEDUP: f64 = 5.0;

fn main() {
    let count: usize = std::env::var("KLANKBORD_BENCH_RESPONSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let panel = PanelDefinition::from_json(data::PANEL).expect("reference panel");
    let questionnaire = parse_questionnaire(QUESTIONNAIRE.as_bytes()).expect("questionnaire");
    let questions = questionnaire.with_appendix(Lang::Nl);
    // The machine may be shared: the load before the run puts the times in context.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "results benchmark ({} questions, {} cores, load average {})",
        questions.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace().next().unwrap_or("?")
    );

    let t = Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let (finished, backgrounds) = responses::generate(&questions, count, &mut rng);
    println!(
        "  data: {count} responses made in memory in {:.1} s (seed {SEED})",
        t.elapsed().as_secs_f64()
    );
    // A temporary folder, or one to keep the data in for a look afterwards.
    let temporary = tempfile::tempdir().expect("temporary folder");
    let keep = std::env::var_os("KLANKBORD_BENCH_DATA_DIR").map(PathBuf::from);
    let dir: &Path = keep.as_deref().unwrap_or(temporary.path());
    std::fs::create_dir_all(dir).expect("data folder");
    let t = Instant::now();
    let variables: Vec<&str> = panel
        .background_variables
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    let bytes = responses::write_csv(dir, &questions, &variables, &finished, &backgrounds)
        .expect("write the CSV");
    write_job(dir, &panel).expect("write the job");
    println!(
        "  written as CSV ({:.0} MB) in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let (results, timing) = klankbord(&panel, &questions, finished, &backgrounds);
    let ours = timing.compute;
    println!(
        "  klankbord: answers and backgrounds put in columns in {} ({:.2} s of CPU), then {} ({:.2} s of CPU; groupings {}, raking {} in {} sweeps, summary and crosstabs {}, suppression {})",
        secs(timing.columns),
        timing.columns_cpu,
        secs(ours),
        timing.cpu,
        secs(timing.groupings),
        secs(timing.raking),
        results.weights.iterations,
        secs(timing.analyse),
        secs(timing.public),
    );
    figure(
        &format!("full results summary, {count} responses (columns included)"),
        secs(timing.columns + ours),
        "< 5 s",
        timing.columns + ours < TARGET,
    );

    let ours_checks = headline::checks(&results, &CROSS_BY);
    match pandas(dir) {
        Err(why) => println!("  pandas: not compared — {why}"),
        Ok(theirs) => {
            let load = theirs["load_s"].as_f64().unwrap_or(f64::NAN);
            let compute = theirs["compute_s"].as_f64().unwrap_or(f64::NAN);
            let cpu = theirs["cpu_s"].as_f64().unwrap_or(f64::NAN);
            println!(
                "  pandas {}: {compute:.2} s ({cpu:.2} s of CPU) after reading the CSV in {load:.1} s ({})",
                theirs["pandas"].as_str().unwrap_or("?"),
                theirs["phases"].as_str().unwrap_or("")
            );
            let ratio = compute / ours.as_secs_f64();
            figure(
                "faster than pandas on the same work",
                format!("{ratio:.1}×"),
                ">= 5×",
                ratio >= SPEEDUP,
            );
            headline::compare(&ours_checks, &theirs["checks"]);
        }
    }
}

/// How long the phases took.
struct Timing {
    /// Putting the answers and the backgrounds in columns, as pandas reads its CSV.
    columns: Duration,
    columns_cpu: f64,
    /// The work from the columns, as pandas' from its data frame.
    compute: Duration,
    /// CPU seconds used, on all cores.
    cpu: f64,
    groupings: Duration,
    raking: Duration,
    analyse: Duration,
    public: Duration,
}

/// The figures, as `service::results::load_weighted` computes them from the rows it
/// read: the answers put in columns and the background values looked up once per
/// response (the counterpart of reading the CSV into pandas' typed columns), then the
/// groupings, raking weights, every question summarised with the crosstabs, and what
/// outsiders see, as the public pages and reports derive it. Timed from the rows in
/// memory, the columns apart from the rest.
fn klankbord(
    panel: &PanelDefinition,
    questions: &[Question],
    mut finished: Vec<FinishedResponse>,
    backgrounds: &Backgrounds,
) -> (Results, Timing) {
    let k = panel.reporting.min_cell_size;
    let by: Vec<GroupBy> = CROSS_BY
        .iter()
        .map(|v| GroupBy::Background(id(v)))
        .collect();
    let weight_by: Vec<VariableId> = WEIGHT_BY.iter().map(|v| id(v)).collect();
    let cpu_before = cpu();
    let started = Instant::now();
    // The variables to weight by, then those to split by, as `load_weighted` asks.
    let mut variables = weight_by.clone();
    variables.extend(
        CROSS_BY
            .iter()
            .map(|v| id(v))
            .filter(|v| !weight_by.contains(v)),
    );
    let each = ResponseBackgrounds::new(panel, &variables, &finished, backgrounds);
    let answers: Vec<Answers> = finished
        .iter_mut()
        .map(|r| std::mem::take(&mut r.answers))
        .collect();
    let columns = AnswerColumns::new(questions, &answers);
    let t_columns = started.elapsed();
    let columns_cpu = cpu() - cpu_before;
    let cpu_before = cpu();
    let started = Instant::now();
    let groupings: Vec<_> = by
        .iter()
        .map(|b| grouping(b, panel, &finished, &each, Lang::Nl))
        .collect();
    let t_groupings = started.elapsed();
    let t = Instant::now();
    let weights = weights(panel, &weight_by, &each).expect("raking converges");
    let t_raking = t.elapsed();
    let t = Instant::now();
    let (summary, crosstabs) =
        stats::analyse_columns(questions, &columns, None, &groupings, Some(&weights.values))
            .expect("analyse");
    let t_analyse = t.elapsed();
    let t = Instant::now();
    let public = stats::public(&summary, k);
    let public_crosstabs: Vec<PublicCrosstab> = crosstabs
        .iter()
        .map(|c| stats::public_crosstab(c, k))
        .collect();
    let t_public = t.elapsed();
    let timing = Timing {
        columns: t_columns,
        columns_cpu,
        compute: started.elapsed(),
        cpu: cpu() - cpu_before,
        groupings: t_groupings,
        raking: t_raking,
        analyse: t_analyse,
        public: t_public,
    };
    let results = Results {
        summary,
        crosstabs,
        weights,
        public,
        public_crosstabs,
    };
    (results, timing)
}

/// CPU seconds this process used so far (user and system), from /proc.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn id(v: &str) -> VariableId {
    VariableId::parse(v).expect("variable id")
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// The panel and questionnaire beside the CSV, and what to compute: the variables to
/// weight and split by, raking's limits and the smallest group that may be shown.
fn write_job(dir: &Path, panel: &PanelDefinition) -> std::io::Result<()> {
    let options = RakeOptions::default();
    let job = json!({
        "weight_by": WEIGHT_BY,
        "cross_by": CROSS_BY,
        "max_iterations": options.max_iterations,
        "tolerance": options.tolerance,
        "trim": options.trim.map(|(low, high)| [low, high]),
        "min_cell_size": panel.reporting.min_cell_size,
        "population": null,
    });
    std::fs::write(dir.join("job.json"), job.to_string())?;
    std::fs::write(dir.join("panel.json"), data::PANEL)?;
    std::fs::write(dir.join("questionnaire.json"), QUESTIONNAIRE)
}

/// Run the pandas script on `dir`; its last output line is JSON with its times and
/// figures. `Err` says why it could not run.
fn pandas(dir: &Path) -> Result<Value, String> {
    let probe = Command::new("python3")
        .args(["-c", "import pandas, numpy"])
        .output();
    match probe {
        Err(_) => return Err("python3 is missing".to_owned()),
        Ok(o) if !o.status.success() => {
            return Err("python3 has no pandas or numpy (pip install pandas numpy)".to_owned());
        }
        Ok(_) => {}
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/results_pandas.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .output()
        .map_err(|e| format!("could not run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the script failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("unreadable output ({e}): {last}"))
}
