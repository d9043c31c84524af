//! Benchmark for answering (issue 4): starts the real server on a fresh SQLite file
//! with the demo data plus synthetic members, all invited to the demo survey of the
//! reference questionnaire, and drives it over loopback the way browsers do: open the
//! invitation link, read each page, post real answers with the page's CSRF token,
//! follow the redirects, check and send.
//!
//! 1. One respondent at a time: the server time of a question page (target < 2 ms).
//! 2. 200 respondents at once for a fixed time: answer submissions (every form post:
//!    who answers, each question, sending) per second (target ≥ 2,000/s) and their
//!    latency over loopback (target p99 < 50 ms).
//!
//! Server time is measured inside the server, from the web layer's `request` span.
//! `cargo bench --bench answering`.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use klankbord::app::App;
use klankbord::clock::SystemClock;
use klankbord::config::{Config, Secret};
use klankbord::domain::member::MemberStatus;
use klankbord::domain::response::Channel;
use klankbord::store::entities::{invitation, member};
use klankbord::store::responses;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use reqwest::redirect::Policy;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use support::timing::ServerTimes;
use support::{Samples, figure, ms};

/// Respondents answering at the same moment in the load phase.
const CONCURRENT: usize = 200;
/// Load before measuring (connections, caches), then the measured time.
const WARM_UP: Duration = Duration::from_secs(3);
const MEASURE: Duration = Duration::from_secs(15);
/// The single-respondent phase.
const SINGLE: Duration = Duration::from_secs(4);
/// Synthetic members added to the demo's 4,000, so no invitation is answered twice.
const EXTRA_MEMBERS: u32 = 36_000;

const QUESTION_PAGE: &str = "GET /vragenlijst/{invitation}/vraag/{question}";

fn main() {
    let server_times = ServerTimes::install();
    let dir = tempfile::tempdir().expect("temporary folder");
    // Server and browsers each get their own runtime, as if they were two programs.
    let server_rt = runtime("server");
    let server = server_rt.block_on(start_server(dir.path()));
    let client_rt = runtime("browsers");
    client_rt.block_on(drive(&server, &server_times));
    let _ = server
        .stop
        .lock()
        .expect("stop lock")
        .take()
        .map(|s| s.send(()));
    let handle = server.handle.lock().expect("handle lock").take();
    if let Some(handle) = handle {
        let _ = server_rt.block_on(handle);
    }
}

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("runtime")
}

struct Server {
    base: String,
    /// Invitation links not used yet, shared by the respondents.
    tokens: Arc<Mutex<Vec<String>>>,
    members: usize,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    handle: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// The demo data (panel, 4,000 members, the published reference questionnaire and an
/// open survey of it), more synthetic members, an invitation for every active member,
/// and the server on a free port.
async fn start_server(dir: &Path) -> Server {
    let (url, db) = support::database(dir).await;
    let now = Utc::now();
    klankbord::demo::seed(&db, now).await.expect("demo data");
    let txn = db.begin().await.expect("begin");
    let mut rng = StdRng::seed_from_u64(4);
    support::data::members(&txn, 100_001, EXTRA_MEMBERS, &mut rng, now)
        .await
        .expect("synthetic members");
    txn.commit().await.expect("commit");
    let survey = responses::surveys(&db, "ggz-panel")
        .await
        .expect("surveys")
        .into_iter()
        .next()
        .expect("the demo survey");
    let invited = Query::select()
        .column(invitation::Column::MemberId)
        .from(invitation::Entity)
        .and_where(invitation::Column::SurveyId.eq(survey.id))
        .to_owned();
    let ids: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Status.eq(MemberStatus::Active))
        .filter(member::Column::Id.not_in_subquery(invited))
        .into_tuple()
        .all(&db)
        .await
        .expect("members");
    let txn = db.begin().await.expect("begin");
    let mut tokens = Vec::with_capacity(ids.len());
    for id in &ids {
        let (_, token) = responses::invite(&txn, survey.id, *id, Channel::Email, now)
            .await
            .expect("invite");
        tokens.push(token);
    }
    txn.commit().await.expect("commit");
    tokens.reverse();

    let mut config = Config::local_defaults();
    config.database_url = Secret::new(url);
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.base_url = "http://127.0.0.1:0".to_owned();
    config.outbox_dir = dir.join("outbox");
    let app = App::with_db(config, Arc::new(SystemClock), db)
        .await
        .expect("server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let _ = app
            .run_until_stopped(async {
                let _ = stopped.await;
            })
            .await;
    });
    Server {
        base,
        members: 4_000 + EXTRA_MEMBERS as usize,
        tokens: Arc::new(Mutex::new(tokens)),
        stop: Mutex::new(Some(stop)),
        handle: Mutex::new(Some(handle)),
    }
}

/// What the browsers saw: one entry per request, with when it ended.
#[derive(Default)]
struct Log {
    posts: Vec<(Instant, Instant)>,
    gets: Vec<(Instant, Instant)>,
    question_pages: Vec<Duration>,
    finished: u64,
}

impl Log {
    fn merge(&mut self, other: Log) {
        self.posts.extend(other.posts);
        self.gets.extend(other.gets);
        self.question_pages.extend(other.question_pages);
        self.finished += other.finished;
    }

    /// Latencies of requests that started and ended within `[from, to]`.
    fn within(entries: &[(Instant, Instant)], from: Instant, to: Instant) -> Samples {
        let mut samples = Samples::default();
        for (start, end) in entries {
            if *start >= from && *end <= to {
                samples.push(*end - *start);
            }
        }
        samples
    }
}

async fn drive(server: &Server, times: &ServerTimes) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let invitations = server.tokens.lock().expect("tokens").len();
    println!("answering benchmark (SQLite, {cores} cores, server and browsers on this machine)");
    println!(
        "  data: {} members, {invitations} open invitations to one survey of the reference questionnaire",
        server.members
    );
    let errors = Arc::new(AtomicU64::new(0));

    // 1. One respondent at a time.
    let until = Instant::now() + SINGLE;
    let mut single = Log::default();
    let mut rng = StdRng::seed_from_u64(1);
    times.take();
    while Instant::now() < until {
        let Some(token) = next_token(server) else {
            break;
        };
        single.merge(respond(&server.base, &token, &mut rng, until, &errors).await);
    }
    let mut server_single = times.take();
    let mut page_server = server_single.remove(QUESTION_PAGE).unwrap_or_default();
    let mut page_client = Samples::default();
    for d in &single.question_pages {
        page_client.push(*d);
    }
    println!(
        "  one respondent at a time: {} question pages; server time {}",
        page_server.len(),
        page_server.summary()
    );
    println!(
        "    over loopback, as the browser saw it: {}",
        page_client.summary()
    );

    // 2. Many respondents at once.
    let start = Instant::now();
    let measure_from = start + WARM_UP;
    let measure_to = measure_from + MEASURE;
    let log = Arc::new(Mutex::new(Log::default()));
    let server_load = Arc::new(Mutex::new(BTreeMap::new()));
    let mut tasks = Vec::new();
    for i in 0..CONCURRENT {
        let base = server.base.clone();
        let log = log.clone();
        let errors = errors.clone();
        let tokens = server.tokens.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(1000 + i as u64);
            let mut own = Log::default();
            while Instant::now() < measure_to {
                let Some(token) = tokens.lock().expect("tokens").pop() else {
                    break;
                };
                own.merge(respond(&base, &token, &mut rng, measure_to, &errors).await);
            }
            log.lock().expect("log").merge(own);
        }));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    times.take();
    tokio::time::sleep_until(measure_to.into()).await;
    server_load
        .lock()
        .expect("server times")
        .extend(times.take());
    for task in tasks {
        let _ = task.await;
    }
    let log = std::mem::take(&mut *log.lock().expect("log"));
    let mut posts = Log::within(&log.posts, measure_from, measure_to);
    let gets = Log::within(&log.gets, measure_from, measure_to);
    let seconds = MEASURE.as_secs_f64();
    let submissions = posts.len() as f64 / seconds;
    let requests = (posts.len() + gets.len()) as f64 / seconds;
    println!(
        "  {CONCURRENT} respondents at once, {:.0} s measured after {:.0} s warm-up:",
        seconds,
        WARM_UP.as_secs_f64()
    );
    println!(
        "    {submissions:.0} submissions/s ({requests:.0} requests/s with the pages in between), {} respondents sent their answers, {} errors",
        log.finished,
        errors.load(Ordering::Relaxed)
    );
    println!("    submission latency over loopback: {}", posts.summary());
    println!("    server time by route:");
    for (route, samples) in server_load.lock().expect("server times").iter_mut() {
        println!(
            "      {route:<52} n={:<6} {}",
            samples.len(),
            samples.summary()
        );
    }

    println!("figures:");
    let page = page_server.percentile(50.0);
    figure(
        "question page, server time (p50)",
        ms(page),
        "< 2 ms",
        page < Duration::from_millis(2),
    );
    figure(
        "answer submissions/s, 200 respondents",
        format!("{submissions:.0}/s"),
        ">= 2,000/s",
        submissions >= 2_000.0,
    );
    figure(
        "submission latency p50",
        ms(posts.percentile(50.0)),
        "",
        true,
    );
    let p99 = posts.percentile(99.0);
    figure(
        "submission latency p99",
        ms(p99),
        "< 50 ms",
        p99 < Duration::from_millis(50),
    );
}

fn next_token(server: &Server) -> Option<String> {
    server.tokens.lock().expect("tokens").pop()
}

/// One member answering the questionnaire through their invitation link, in a new
/// browser, until sent or `until`. Unexpected answers from the server count as errors.
async fn respond(
    base: &str,
    token: &str,
    rng: &mut StdRng,
    until: Instant,
    errors: &AtomicU64,
) -> Log {
    let mut browser = Browser {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client"),
        base: base.to_owned(),
        log: Log::default(),
    };
    if let Err(e) = browser.answer(token, rng, until).await {
        errors.fetch_add(1, Ordering::Relaxed);
        eprintln!("  respondent stopped: {e}");
    }
    browser.log
}

struct Browser {
    client: reqwest::Client,
    base: String,
    log: Log,
}

type Step<T> = Result<T, String>;

impl Browser {
    async fn answer(&mut self, token: &str, rng: &mut StdRng, until: Instant) -> Step<()> {
        let intro = self.get_redirect(&format!("/uitnodiging/{token}")).await?;
        let page = self.get_page(&intro).await?;
        let start = attribute_after(&page, "class=\"button\" href=\"").ok_or("no start link")?;
        let page = self.get_page(&start).await?;
        let form = Form::parse(&page).ok_or("no form on the proxy page")?;
        let mut next = self
            .post(
                &form.action,
                &[("csrf", form.csrf.as_str()), ("proxy", "alone")],
            )
            .await?;
        while Instant::now() < until {
            if next.contains("/vraag/") {
                let started = Instant::now();
                let page = self.get_page(&next).await?;
                self.log.question_pages.push(started.elapsed());
                let form = Form::parse(&page).ok_or("no form on a question page")?;
                let fields = form.answers(rng);
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                next = self.post(&form.action, &fields).await?;
            } else if next.ends_with("/controleren") {
                let page = self.get_page(&next).await?;
                let form = Form::parse(&page).ok_or("no form on the check page")?;
                let done = self
                    .post(&form.action, &[("csrf", form.csrf.as_str())])
                    .await?;
                self.get_page(&done).await?;
                self.log.finished += 1;
                return Ok(());
            } else {
                return Err(format!("unexpected page {next}"));
            }
        }
        Ok(())
    }

    /// GET a page that must answer 200; its HTML.
    async fn get_page(&mut self, path: &str) -> Step<String> {
        let started = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.text().await.map_err(|e| e.to_string())?;
        self.log.gets.push((started, Instant::now()));
        if status != 200 {
            return Err(format!("GET {path}: {status}"));
        }
        Ok(body)
    }

    /// GET that must redirect; where to.
    async fn get_redirect(&mut self, path: &str) -> Step<String> {
        let started = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let location = location(&response);
        let status = response.status();
        let _ = response.bytes().await;
        self.log.gets.push((started, Instant::now()));
        location.ok_or_else(|| format!("GET link: {status}"))
    }

    /// POST a form that must redirect (303); where to.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Step<String> {
        let started = Instant::now();
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let location = location(&response);
        let status = response.status();
        let _ = response.bytes().await;
        self.log.posts.push((started, Instant::now()));
        location.ok_or_else(|| format!("POST {path}: {status}"))
    }
}

fn location(response: &reqwest::Response) -> Option<String> {
    (response.status() == 303)
        .then(|| response.headers().get("location")?.to_str().ok())
        .flatten()
        .map(str::to_owned)
}

/// The text after `marker` up to the next `"`.
fn attribute_after(html: &str, marker: &str) -> Option<String> {
    let rest = &html[html.find(marker)? + marker.len()..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

/// A form's inputs as a browser reads them: `(tag, type, name, value)`.
struct Form {
    action: String,
    csrf: String,
    inputs: Vec<(String, String, String, String)>,
}

impl Form {
    fn parse(html: &str) -> Option<Form> {
        let form = &html[html.find("<form method=\"post\"")?..];
        let action = attribute_after(form, "action=\"")?;
        let csrf = attribute_after(form, "name=\"csrf\" value=\"")?;
        let mut inputs = Vec::new();
        let mut rest = form;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..tag_end];
            let name = tag.split_whitespace().next().unwrap_or("");
            if name == "/form" {
                break;
            }
            if name == "input" || name == "textarea" {
                let attr = |a: &str| attribute_after(tag, &format!(" {a}=\"")).unwrap_or_default();
                inputs.push((name.to_owned(), attr("type"), attr("name"), attr("value")));
            }
        }
        Some(Form {
            action,
            csrf,
            inputs,
        })
    }

    /// A plausible answer to the question on the page: one of the choices at random,
    /// a number that fits every number question of the reference questionnaire, or a
    /// line of text.
    fn answers(&self, rng: &mut StdRng) -> Vec<(&'static str, String)> {
        let mut fields = vec![("csrf", self.csrf.clone())];
        let answer: Vec<_> = self
            .inputs
            .iter()
            .filter(|(_, _, name, value)| name == "answer" && value != "_other")
            .collect();
        match answer.first() {
            Some((_, kind, _, _)) if kind == "radio" || kind == "checkbox" => {
                let (_, _, _, value) = answer[rng.random_range(0..answer.len())];
                fields.push(("answer", value.clone()));
            }
            Some((tag, _, _, _)) if tag == "textarea" => {
                fields.push(("answer", "Meer begrip en vaste afspraken.".to_owned()));
            }
            Some(_) => fields.push(("answer", rng.random_range(1..=10).to_string())),
            None => {}
        }
        fields
    }
}
