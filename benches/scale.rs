//! Scale benchmark: writes a corpus of N division workbooks with the real layouts
//! (copies of the three sample workbooks, numbers perturbed per file), then times in
//! the same run
//!
//! - the floor: calamine alone opening every file and touching every cell, one thread;
//! - `torikumi ingest CORPUS --formats parquet` (read + recognise + normalise + Parquet);
//! - `torikumi ingest CORPUS` (the full default job: Parquet and consolidated.xlsx);
//! - the Python peer `../shared/tools/peers.py polars` when polars and fastexcel import.
//!
//! Every step runs as a child process: wall time from spawn to exit, peak memory from
//! `ru_maxrss` of `libc::wait4` on that child.
//!
//! ```sh
//! cargo bench --bench scale -- --files 1000 [--runs 3] [--keep DIR] [--seed 1]
//! cargo bench --bench scale -- --files 1000,10000      # time per file at each size
//! cargo bench --bench scale -- --threads 1,2           # torikumi on 1 and on 2 worker threads
//! ```
//! See `benches/README.md`.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Reader};
use regex::Regex;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use torikumi::source::{self, CellValue, Grid, Limits};

const BIN: &str = env!("CARGO_BIN_EXE_torikumi");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The three families, cycled through file by file.
const SAMPLES: &[&str] = &[
    "samples/gunma_dx_kobetsu.xlsx",
    "samples/saitama_program.xlsx",
    "samples/gunma_reform_plan_sheet.xlsx",
];
/// Argument that makes this binary the floor's child process.
const FLOOR_CHILD: &str = "--floor-child";

struct Args {
    sizes: Vec<usize>,
    /// Worker threads torikumi runs with (`RAYON_NUM_THREADS`, `POLARS_MAX_THREADS`).
    threads: Vec<usize>,
    runs: usize,
    keep: Option<PathBuf>,
    seed: u64,
}

fn usage() -> ! {
    eprintln!("usage: cargo bench --bench scale -- [--files N[,N...]] [--threads T[,T...]] [--runs R] [--keep DIR] [--seed S]");
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        sizes: vec![1000],
        threads: vec![std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)],
        runs: 1,
        keep: None,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            // cargo bench passes --bench to harness = false targets.
            "--bench" => {}
            "--files" => args.sizes = list(&value()),
            "--threads" => args.threads = list(&value()),
            "--runs" => args.runs = value().parse().unwrap_or_else(|_| usage()),
            "--keep" => args.keep = Some(PathBuf::from(value())),
            "--seed" => args.seed = value().parse().unwrap_or_else(|_| usage()),
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown argument '{other}'");
                usage()
            }
        }
    }
    if args.sizes.is_empty() || args.sizes.contains(&0) || args.threads.is_empty() || args.threads.contains(&0) || args.runs == 0 {
        usage()
    }
    args
}

/// `1000,10_000` → [1000, 10000].
fn list(s: &str) -> Vec<usize> {
    s.split(',')
        .map(|s| s.trim().replace('_', "").parse().unwrap_or_else(|_| usage()))
        .collect()
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some(FLOOR_CHILD) {
        floor_child(Path::new(&argv[2]));
        return;
    }
    let args = parse_args();
    let temp;
    let base = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).expect("create --keep DIR");
            dir.clone()
        }
        None => {
            temp = tempfile::Builder::new()
                .prefix("torikumi-scale-")
                .tempdir()
                .expect("temporary folder");
            temp.path().to_path_buf()
        }
    };
    let peer = peer_available();
    let templates = load_templates();

    println!("## torikumi scale benchmark\n");
    println!("{}\n", machine());
    let mut all: Vec<(usize, Vec<Step>)> = Vec::new();
    for &n in &args.sizes {
        let corpus = base.join(format!("corpus-{n}"));
        let t = Instant::now();
        let bytes = write_corpus(&templates, &corpus, n, args.seed);
        eprintln!(
            "corpus: {n} workbooks, {:.1} MiB, written in {:.1} s to {}",
            bytes as f64 / 1048576.0,
            t.elapsed().as_secs_f64(),
            corpus.display()
        );
        let steps = measure(&corpus, &base.join(format!("out-{n}")), n, &args.threads, args.runs, peer.is_ok());
        print_table(n, args.runs, bytes, &steps, peer.as_ref().err());
        all.push((n, steps));
    }
    if all.len() > 1 {
        print_linearity(&all);
    }
    if args.keep.is_some() {
        println!("\nCorpus and outputs kept in `{}`.", base.display());
    }
}

// ---------------------------------------------------------------- corpus

/// One sample workbook read through torikumi's own reader.
struct Template {
    stem: String,
    grids: Vec<Grid>,
}

fn load_templates() -> Vec<Template> {
    SAMPLES
        .iter()
        .map(|rel| {
            let path = Path::new(ROOT).join(rel);
            let doc = source::read(&path, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sample").to_string();
            Template { stem, grids: doc.grids }
        })
        .collect()
}

/// splitmix64: a small deterministic generator, enough to vary numbers.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a string, to key perturbation factors by value.
fn fnv(s: &str) -> u64 {
    s.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Per-file perturbation: the same printed number maps to the same new number within
/// one file (so a final target repeated in two tables stays equal), and differently
/// from file to file.
struct Perturb {
    seed: u64,
    changed: usize,
}

impl Perturb {
    /// A factor in [0.7, 1.3) for the number `v` as displayed.
    fn factor(&self, v: f64) -> f64 {
        let u = mix(self.seed ^ fnv(&format!("{v:.6}"))) >> 11;
        0.7 + 0.6 * (u as f64 / (1u64 << 53) as f64)
    }

    /// A number scaled by its factor. `base` is the value in base units (`1,500万回` →
    /// 15,000,000), `unit` the multiplier it is printed in (10⁴ for 万), `decimals` the
    /// places printed; returns the new printed number. Round multiples of 10⁴ move in
    /// steps of 10⁴, so `1,500万回` and a typed 15,000,000 stay equal. Percentages
    /// stay within 0..=100 when they started there; counts stay at least 1.
    fn scale(&mut self, base: f64, unit: f64, decimals: usize, percent: bool) -> f64 {
        let p = 10f64.powi(decimals as i32);
        let step = if base >= 1e4 && base % 1e4 == 0.0 {
            unit.max(1e4)
        } else {
            unit / p
        };
        let mut new = (base * self.factor(base) / step).round() * step;
        if percent && base <= 100.0 && new > 100.0 {
            new = 100.0;
        }
        if base >= 1.0 && new < 1.0 {
            new = 1.0;
        }
        if new != base {
            self.changed += 1;
        }
        (new / unit * p).round() / p
    }
}

/// Units after which a number inside a text cell is a quantity (not an item number,
/// a year such as R5, a list marker such as `1.` or a quarter such as 1四半期).
const UNITS: &[&str] = &[
    "%",
    "％",
    "件",
    "人",
    "回",
    "課所",
    "カ所",
    "ヵ所",
    "ケ所",
    "か所",
    "箇所",
    "所属",
    "円",
    "時間",
    "日",
    "台",
    "団体",
    "校",
    "社",
    "本",
    "枚",
    "冊",
    "名",
    "者",
    "ポイント",
    "pt",
    "GB",
    "TB",
    "部",
    "割",
    "分",
    "頁",
    "ページ",
    "項目",
    "手続",
    "市町村",
    "事業",
    "種類",
    "回線",
    "機関",
];

struct TextNumbers {
    token: Regex,
}

impl TextNumbers {
    fn new() -> Self {
        TextNumbers {
            token: Regex::new(r"[0-9][0-9,]*(?:\.[0-9]+)?").expect("regex"),
        }
    }

    /// Perturbs the quantities of a text cell (`1,266件`, `88.7%`, `受講者数：3,000人`,
    /// `1,500万回`); everything else is left as it is.
    fn perturb(&self, text: &str, p: &mut Perturb) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in self.token.find_iter(text) {
            let s = m.as_str().trim_end_matches(',');
            let end = m.start() + s.len();
            let before = text[..m.start()].chars().next_back();
            let after = &text[end..];
            let spaced = after.trim_start_matches(' ');
            let mult = match spaced.chars().next() {
                Some('万') => 1e4,
                Some('千') => 1e3,
                Some('億') => 1e8,
                _ => 1.0,
            };
            let rest = spaced.trim_start_matches(['万', '千', '億']);
            let unit = UNITS.iter().find(|u| rest.starts_with(*u));
            let lone = text.trim() == s && (s.contains(',') || s.contains('.'));
            let letter_before = before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/' || c == '／');
            if letter_before || (unit.is_none() && !lone) || after.starts_with('.') {
                continue;
            }
            let Ok(v) = s.replace(',', "").parse::<f64>() else { continue };
            let decimals = s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
            let percent = unit.is_some_and(|u| *u == "%" || *u == "％");
            let new = p.scale(v * mult, mult, decimals, percent);
            out.push_str(&text[last..m.start()]);
            out.push_str(&render(new, decimals, s.contains(',')));
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
}

/// A number with `decimals` places, with thousands separators when `grouped`.
fn render(v: f64, decimals: usize, grouped: bool) -> String {
    let s = format!("{v:.decimals$}");
    if !grouped {
        return s;
    }
    let (int, frac) = s.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((&s, None));
    let mut g = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            g.push(',');
        }
        g.push(ch);
    }
    match frac {
        Some(f) => format!("{g}.{f}"),
        None => g,
    }
}

/// Decimal places a number format shows (`0.0%` → 1, `#,##0"件"` → 0).
fn format_decimals(fmt: &str) -> usize {
    let section = fmt.split(';').next().unwrap_or(fmt);
    section
        .split('.')
        .nth(1)
        .map(|d| d.chars().take_while(|c| *c == '0').count())
        .unwrap_or(0)
}

/// A typed number: perturbed when it is a quantity (a percent or unit format, a
/// fraction, or at least 100), kept when it looks like an item number or a flag.
fn perturb_number(v: f64, fmt: Option<&str>, p: &mut Perturb) -> f64 {
    let unquoted: String = fmt.map(|f| f.split('"').step_by(2).collect()).unwrap_or_default();
    let percent_fmt = unquoted.contains('%');
    let unit_fmt = fmt.is_some_and(|f| f.contains('"'));
    if !(percent_fmt || unit_fmt || v.fract() != 0.0 || v.abs() >= 100.0) {
        return v;
    }
    if percent_fmt {
        let d = format_decimals(fmt.unwrap_or(""));
        p.scale(v * 100.0, 1.0, d, true) / 100.0
    } else {
        let d = match fmt {
            Some(f) => format_decimals(f),
            None => format!("{v}").split_once('.').map(|(_, d)| d.len().min(6)).unwrap_or(0),
        };
        let percent = fmt.is_some_and(|f| f.contains("\"%\""));
        p.scale(v, 1.0, d, percent)
    }
}

/// Writes `n` workbooks into `dir` (`division_00000.xlsx` …), family i % 3, file i
/// perturbed with seed (seed, i). Returns the corpus size in bytes.
fn write_corpus(templates: &[Template], dir: &Path, n: usize, seed: u64) -> u64 {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clear the corpus folder");
    }
    std::fs::create_dir_all(dir).expect("create the corpus folder");
    let texts = TextNumbers::new();
    // A fixed creation time: the same seed gives the same bytes.
    let created = ExcelDateTime::from_ymd(2024, 4, 1).expect("date");
    let props = DocProperties::new().set_creation_datetime(&created);
    let mut hashes = HashSet::new();
    let mut bytes = 0u64;
    for i in 0..n {
        let t = &templates[i % templates.len()];
        let mut p = Perturb {
            seed: mix(seed.wrapping_mul(0x1000_0000_01b3) ^ mix(i as u64)),
            changed: 0,
        };
        let mut book = Workbook::new();
        book.set_properties(&props);
        let mut formats: HashMap<String, Format> = HashMap::new();
        for g in &t.grids {
            write_sheet(&mut book, g, &texts, &mut p, &mut formats).unwrap_or_else(|e| panic!("{} sheet {}: {e}", t.stem, g.name));
        }
        assert!(p.changed > 0, "file {i} ({}) has no number to vary", t.stem);
        let path = dir.join(format!("division_{i:05}.xlsx"));
        book.save(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let data = std::fs::read(&path).expect("read back");
        bytes += data.len() as u64;
        assert!(
            hashes.insert(source::sha256_hex(&data)),
            "file {i} repeats an earlier file; change the perturbation"
        );
    }
    bytes
}

fn write_sheet(
    book: &mut Workbook,
    g: &Grid,
    texts: &TextNumbers,
    p: &mut Perturb,
    formats: &mut HashMap<String, Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(&g.name)?;
    let plain = Format::new();
    for m in &g.merges {
        if (m.first_row, m.first_col) != (m.last_row, m.last_col) {
            ws.merge_range(m.first_row, m.first_col as u16, m.last_row, m.last_col as u16, "", &plain)?;
        }
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for c in g.cells() {
        let (row, col) = (c.row, c.col as u16);
        match &c.value {
            CellValue::Text => {
                ws.write_string(row, col, texts.perturb(&c.raw, p))?;
            }
            CellValue::Number(v) => {
                let new = perturb_number(*v, c.format.as_deref(), p);
                match &c.format {
                    Some(f) => {
                        let fmt = formats.entry(f.clone()).or_insert_with(|| Format::new().set_num_format(f));
                        ws.write_number_with_format(row, col, new, fmt)?;
                    }
                    None => {
                        ws.write_number(row, col, new)?;
                    }
                }
            }
            CellValue::Bool(b) => {
                ws.write_boolean(row, col, *b)?;
            }
            CellValue::Date(d) => {
                use chrono::{Datelike, Timelike};
                let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?.and_hms(
                    d.hour() as u16,
                    d.minute() as u8,
                    d.second() as f64,
                )?;
                ws.write_datetime_with_format(row, col, &dt, &date_fmt)?;
            }
            CellValue::Error(e) => {
                ws.write_string(row, col, e)?;
            }
            CellValue::Uncomputed => {
                ws.write_formula(row, col, c.raw.as_str())?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- measuring

/// What a step runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Floor,
    Parquet,
    Full,
    Peer,
}

/// One measured step: the median wall time and the largest peak RSS over the runs.
struct Step {
    name: String,
    kind: Kind,
    /// Worker threads torikumi was given; None for the floor (one thread) and the peer.
    threads: Option<usize>,
    command: String,
    wall: Option<Duration>,
    max_rss_kib: u64,
    /// Median CPU time (user + system) of the child: unlike wall time, it
    /// barely moves when other processes share the cores.
    cpu: Option<Duration>,
    note: Option<String>,
    /// `timing:` lines of torikumi's last run (`TORIKUMI_TIMINGS`): wall time per phase.
    phases: Vec<String>,
}

/// What one child run took.
struct Run {
    wall: Duration,
    /// User + system CPU time.
    cpu: Duration,
    /// Peak RSS, KiB.
    kib: u64,
    code: i32,
}

/// Runs `cmd` as a child; returns wall time, its CPU time and peak RSS (from
/// `wait4`'s rusage) and its exit status.
fn run_child(cmd: &mut Command) -> Run {
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child `pid`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall = start.elapsed();
    assert_eq!(r, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    // The child is reaped; dropping the handle does not wait again.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        kib: usage.ru_maxrss as u64,
        code,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let k = v.len();
    if k % 2 == 1 { v[k / 2] } else { (v[k / 2 - 1] + v[k / 2]) / 2 }
}

/// The table's name of a step.
fn step_name(kind: Kind, threads: Option<usize>) -> String {
    let t = match threads {
        Some(1) => ", 1 thread".to_string(),
        Some(t) => format!(", {t} threads"),
        None => String::new(),
    };
    match kind {
        Kind::Floor => "calamine floor (1 thread)".into(),
        Kind::Parquet => format!("torikumi ingest, Parquet only{t}"),
        Kind::Full => format!("torikumi ingest, full default job{t}"),
        Kind::Peer => "Python peer (polars + fastexcel)".into(),
    }
}

fn measure(corpus: &Path, out: &Path, n: usize, threads: &[usize], runs: usize, peer: bool) -> Vec<Step> {
    let files: Vec<PathBuf> = {
        let mut f: Vec<PathBuf> = std::fs::read_dir(corpus)
            .expect("corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        f.sort();
        f
    };
    assert_eq!(files.len(), n);
    let me = std::env::current_exe().expect("current exe");
    let peers_py = Path::new(ROOT).join("../shared/tools/peers.py");
    type Make = Box<dyn Fn(&Path) -> Command>;
    let mut plan: Vec<(Kind, Option<usize>, String, Make)> = vec![(
        Kind::Floor,
        None,
        "open_workbook_auto + worksheet_range of every sheet, every cell touched".into(),
        Box::new({
            let me = me.clone();
            let corpus = corpus.to_path_buf();
            move |_| {
                let mut c = Command::new(&me);
                c.arg(FLOOR_CHILD).arg(&corpus);
                c
            }
        }),
    )];
    for &t in threads {
        for kind in [Kind::Parquet, Kind::Full] {
            let corpus = corpus.to_path_buf();
            let (command, formats): (String, &[&str]) = match kind {
                Kind::Parquet => (
                    "torikumi ingest CORPUS --formats parquet --out X -q".into(),
                    &["--formats", "parquet"],
                ),
                _ => ("torikumi ingest CORPUS --out Y -q".into(), &[]),
            };
            let make: Make = Box::new(move |o| {
                let mut c = Command::new(BIN);
                c.arg("ingest").arg(&corpus).args(formats).arg("--out").arg(o).arg("-q");
                // rayon's pool (reading, extraction, sheets) and polars' (Parquet encoding).
                c.env("RAYON_NUM_THREADS", t.to_string()).env("POLARS_MAX_THREADS", t.to_string());
                c
            });
            plan.push((
                kind,
                Some(t),
                format!("RAYON_NUM_THREADS={t} POLARS_MAX_THREADS={t} {command}"),
                make,
            ));
        }
    }
    if peer {
        plan.push((
            Kind::Peer,
            None,
            "python3 ../shared/tools/peers.py polars OUT.parquet FILE...".into(),
            Box::new(move |o| {
                let mut c = Command::new("python3");
                c.arg(&peers_py).arg("polars").arg(o.join("peer.parquet")).args(&files);
                c
            }),
        ));
    }
    let mut steps = Vec::new();
    for (k, (kind, threads, command, make)) in plan.into_iter().enumerate() {
        let name = step_name(kind, threads);
        let dir = out.join(format!("step{k}"));
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut rss = 0;
        let mut note = None;
        let mut phases = Vec::new();
        for run in 0..runs {
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("clear output folder");
            }
            std::fs::create_dir_all(&dir).expect("output folder");
            // The child's stderr goes to a file beside its output, for the note on failure.
            let log = out.join(format!("step{k}.stderr"));
            let mut cmd = make(&dir);
            cmd.env("TORIKUMI_TIMINGS", "1");
            cmd.stderr(std::fs::File::create(&log).expect("stderr file"));
            let Run { wall, cpu, kib, code } = run_child(&mut cmd);
            phases = std::fs::read_to_string(&log)
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.strip_prefix("timing: ").map(str::to_string))
                .collect();
            eprintln!(
                "{n} files, {name}, run {}: {:.2} s, {:.0} MiB, exit {code}",
                run + 1,
                wall.as_secs_f64(),
                kib as f64 / 1024.0
            );
            // ingest exits 1 when some input gave error-level diagnostics; 2 means nothing written.
            if code != 0 {
                let err = std::fs::read_to_string(&log).unwrap_or_default();
                let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                eprintln!("  {}: {last}", log.display());
                let short: String = last.replace('|', "/").chars().take(160).collect();
                note = Some(if short.is_empty() {
                    format!("exit status {code}")
                } else {
                    format!("exit status {code}: {short}")
                });
            }
            if code > 1 {
                break;
            }
            walls.push(wall);
            cpus.push(cpu);
            rss = rss.max(kib);
        }
        steps.push(Step {
            name,
            kind,
            threads,
            command,
            wall: (!walls.is_empty()).then(|| median(walls)),
            max_rss_kib: rss,
            cpu: (!cpus.is_empty()).then(|| median(cpus)),
            note,
            phases,
        });
    }
    steps
}

/// The floor, run in a child process of its own: calamine only, one thread.
fn floor_child(corpus: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut cells, mut chars) = (0u64, 0u64);
    for f in &files {
        let mut book = calamine::open_workbook_auto(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for name in book.sheet_names().to_vec() {
            let range = book.worksheet_range(&name).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            for (_, _, d) in range.used_cells() {
                match d {
                    Data::Empty => {}
                    Data::String(s) => {
                        cells += 1;
                        chars += s.len() as u64;
                    }
                    Data::Float(v) => {
                        cells += 1;
                        chars += v.to_bits() & 1;
                    }
                    other => {
                        cells += 1;
                        black_box(other);
                    }
                }
            }
        }
    }
    black_box((cells, chars));
}

/// Whether the Python peer can run, or why not.
fn peer_available() -> Result<(), String> {
    let script = Path::new(ROOT).join("../shared/tools/peers.py");
    if !script.exists() {
        return Err(format!("{} not found", script.display()));
    }
    match Command::new("python3")
        .args(["-c", "import polars, fastexcel"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => Ok(()),
        Ok(_) => Err("`python3 -c \"import polars, fastexcel\"` failed (pip install polars fastexcel)".into()),
        Err(e) => Err(format!("python3 not runnable: {e}")),
    }
}

// ---------------------------------------------------------------- report

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        })
        .map(|kib| format!(", {:.0} GiB RAM", kib / 1048576.0))
        .unwrap_or_default();
    format!("Machine: {model}, nproc = {cpus}{mem}.")
}

fn print_table(n: usize, runs: usize, bytes: u64, steps: &[Step], peer_missing: Option<&String>) {
    let floor = steps[0].wall;
    let floor_cpu = steps[0].cpu;
    println!(
        "### {n} workbooks ({:.1} MiB; families cycled: DX 個別取組票, 埼玉 program, 実施計画 sheet), median of {runs} run{}\n",
        bytes as f64 / 1048576.0,
        if runs == 1 { "" } else { "s" }
    );
    println!("| step | wall (s) | × floor | files/s | ms/file | CPU (s) | CPU × floor | peak RSS (MiB) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for s in steps {
        let Some(w) = s.wall else {
            println!("| {} | failed ({}) | | | | | | |", s.name, s.note.as_deref().unwrap_or("?"));
            continue;
        };
        let secs = w.as_secs_f64();
        let ratio = floor.map(|f| format!("{:.2}", secs / f.as_secs_f64())).unwrap_or_default();
        let mut name = s.name.to_string();
        if let Some(note) = &s.note {
            name.push_str(&format!(" ({note})"));
        }
        let cpu = s.cpu.map(|c| c.as_secs_f64()).unwrap_or(0.0);
        let cpu_ratio = floor_cpu.map(|f| format!("{:.2}", cpu / f.as_secs_f64())).unwrap_or_default();
        println!(
            "| {name} | {secs:.2} | {ratio} | {:.0} | {:.2} | {cpu:.2} | {cpu_ratio} | {:.0} |",
            n as f64 / secs,
            secs * 1000.0 / n as f64,
            s.max_rss_kib as f64 / 1024.0
        );
    }
    println!();
    print_goals(steps);
    if let Some(why) = peer_missing {
        println!("Python peer skipped: {why}.\n");
    }
    for s in steps.iter().filter(|s| !s.phases.is_empty()) {
        println!("Phases of {} (last run): {}.\n", s.name, s.phases.join("; "));
    }
    for s in steps {
        println!("- {}: `{}`", s.name, s.command);
    }
    println!("- CPU: user + system time of each child from the same `wait4` (median over the runs); the floor's is one core's");
    println!(
        "- peak RSS: `ru_maxrss` of each child process from `libc::wait4` (largest over the runs; it covers the child's own children too)\n"
    );
}

/// The issue's figures, each as a ratio measured in this run: Parquet only ÷
/// the floor (goal ≤ 1.5), the peer ÷ the full job (goal ≥ 10), and how much
/// a second thread gives.
fn print_goals(steps: &[Step]) {
    let wall = |kind: Kind, t: Option<usize>| {
        steps
            .iter()
            .find(|s| s.kind == kind && s.threads == t)
            .and_then(|s| s.wall)
            .map(|w| w.as_secs_f64())
    };
    let cpu = |kind: Kind, t: Option<usize>| {
        steps
            .iter()
            .find(|s| s.kind == kind && s.threads == t)
            .and_then(|s| s.cpu)
            .map(|c| c.as_secs_f64())
    };
    let cpu_ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("; CPU time {:.2}×", a / b),
        _ => String::new(),
    };
    let met = |ok: bool| if ok { "met" } else { "not met" };
    let floor = wall(Kind::Floor, None);
    let peer = wall(Kind::Peer, None);
    let mut threads: Vec<usize> = steps.iter().filter_map(|s| s.threads).collect();
    threads.dedup();
    for &t in &threads {
        let label = step_name(Kind::Parquet, Some(t)).replace("torikumi ingest, Parquet only, ", "");
        if let (Some(p), Some(f)) = (wall(Kind::Parquet, Some(t)), floor) {
            let r = p / f;
            println!(
                "- {label}: Parquet only ÷ floor = {r:.2} (goal ≤ 1.50: {}{})",
                met(r <= 1.5),
                cpu_ratio(cpu(Kind::Parquet, Some(t)), cpu(Kind::Floor, None))
            );
        }
        if let (Some(p), Some(full)) = (peer, wall(Kind::Full, Some(t))) {
            let r = p / full;
            println!(
                "- {label}: Python peer ÷ full job = {r:.2} (goal ≥ 10: {}{}; the peer only unpivots and parses numbers, no layouts)",
                met(r >= 10.0),
                cpu_ratio(cpu(Kind::Peer, None), cpu(Kind::Full, Some(t)))
            );
        }
    }
    if let (Some(&lo), Some(&hi)) = (threads.first(), threads.last())
        && lo != hi
    {
        for kind in [Kind::Parquet, Kind::Full] {
            if let (Some(a), Some(b)) = (wall(kind, Some(lo)), wall(kind, Some(hi))) {
                let name = step_name(kind, None).replace("torikumi ingest, ", "");
                println!("- {name}: {lo} → {hi} threads speeds it up {:.2}×", a / b);
            }
        }
    }
    println!();
}

fn print_linearity(all: &[(usize, Vec<Step>)]) {
    println!("### Time per file by corpus size\n");
    let header: Vec<String> = all.iter().map(|(n, _)| format!("ms/file @ {n}")).collect();
    let largest = all.last().map(|(n, _)| *n).unwrap_or(0);
    println!(
        "| step | {} | largest ÷ smallest | peak RSS @ {largest} (MiB) |",
        header.join(" | ")
    );
    println!("| --- |{} ---: | ---: |", " ---: |".repeat(all.len()));
    for (k, s) in all[0].1.iter().enumerate() {
        let per: Vec<Option<f64>> = all
            .iter()
            .map(|(n, steps)| steps.get(k).and_then(|s| s.wall).map(|w| w.as_secs_f64() * 1000.0 / *n as f64))
            .collect();
        let cells: Vec<String> = per
            .iter()
            .map(|p| p.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into()))
            .collect();
        let ratio = match (per.first().copied().flatten(), per.last().copied().flatten()) {
            (Some(a), Some(b)) => format!("{:.2}", b / a),
            _ => "—".into(),
        };
        let rss = all
            .last()
            .and_then(|(_, steps)| steps.get(k))
            .map(|s| s.max_rss_kib as f64 / 1024.0)
            .unwrap_or(0.0);
        println!("| {} | {} | {ratio} | {rss:.0} |", s.name, cells.join(" | "));
    }
    println!("\nA ratio near 1.00 means time grows linearly with the number of files.");
}
