//! One run at a time per output folder (issue 18): two real runs on one
//! folder. The first is paused (SIGSTOP) while it holds the lock, so the
//! second always meets it, however fast the machine.

mod common;
use common::{read_parquet, root};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;
use torikumi::lock::LOCK_FILE;

/// An input folder: the samples and 8 altered copies of a text sample, so a
/// run has work enough to be caught holding the lock.
fn inputs(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir(&input).unwrap();
    for f in std::fs::read_dir(root().join("samples")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read(root().join("samples/gunma_dx_kobetsu.sjis.txt")).unwrap();
    for i in 0..8 {
        let mut copy = text.clone();
        copy.extend_from_slice(format!("\nmemo\t{i}\n").as_bytes());
        std::fs::write(input.join(format!("copy{i:02}.txt")), copy).unwrap();
    }
    input
}

fn ingest_command(input: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = common::torikumi_command();
    c.args(["ingest", "--mappings"])
        .arg(root().join("mappings"))
        .arg("--out")
        .arg(out)
        .arg(input)
        .args(extra);
    c
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: sends a signal to our own child process; touches no memory.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(rc, 0, "kill({}, {sig})", child.id());
}

/// Starts a run and pauses it once its pid is in the lock file (it holds the lock).
fn start_and_pause_holder(input: &Path, out: &Path) -> Child {
    let child = ingest_command(input, out, &["-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let signed = format!("pid={}\n", child.id());
    let start = Instant::now();
    while !std::fs::read_to_string(out.join(LOCK_FILE)).is_ok_and(|t| t.contains(&signed)) {
        assert!(start.elapsed() < Duration::from_secs(60), "the run never took the lock");
        std::thread::sleep(Duration::from_millis(1));
    }
    signal(&child, libc::SIGSTOP);
    // Still signed after the pause: it was caught holding the lock, not after releasing it.
    let text = std::fs::read_to_string(out.join(LOCK_FILE)).unwrap();
    assert!(text.contains(&signed), "the run finished before it could be paused: {text}");
    child
}

fn finish(child: Child) -> Output {
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A key of a Parquet file's key-value metadata.
fn parquet_meta(path: &Path, key: &str) -> Option<String> {
    let mut reader = ParquetReader::new(std::fs::File::open(path).unwrap());
    let meta = reader.get_metadata().unwrap();
    meta.key_value_metadata
        .as_ref()?
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.clone())
}

/// A custom document property of a workbook (docProps/custom.xml).
fn workbook_property(path: &Path, name: &str) -> Option<String> {
    let mut zip = ::zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("docProps/custom.xml").ok()?.read_to_string(&mut xml).unwrap();
    let at = xml.find(&format!("name=\"{name}\""))?;
    let rest = &xml[at..];
    let open = rest.find("<vt:lpwstr>")? + "<vt:lpwstr>".len();
    let close = rest[open..].find("</vt:lpwstr>")?;
    Some(rest[open..open + close].to_string())
}

/// Every table file, the workbook and every `sources` row name one run;
/// returns its id.
fn assert_one_run(out: &Path) -> String {
    let sources = read_parquet(&out.join("parquet/sources.parquet"));
    let ids: Vec<Option<&str>> = sources.column("run_id").unwrap().str().unwrap().iter().collect();
    let run = ids[0].expect("a run id").to_string();
    assert!(ids.iter().all(|i| *i == Some(run.as_str())), "{ids:?}");
    let started: Vec<Option<&str>> = sources.column("run_started").unwrap().str().unwrap().iter().collect();
    let started = started[0].expect("a start time").to_string();
    for t in torikumi::table::all_tables().map(|t| t.name) {
        let path = out.join("parquet").join(format!("{t}.parquet"));
        assert_eq!(parquet_meta(&path, "torikumi.run_id").as_deref(), Some(run.as_str()), "{t}");
        assert_eq!(
            parquet_meta(&path, "torikumi.run_started").as_deref(),
            Some(started.as_str()),
            "{t}"
        );
    }
    let book = out.join("consolidated.xlsx");
    assert_eq!(workbook_property(&book, "torikumi.run_id").as_deref(), Some(run.as_str()));
    assert_eq!(workbook_property(&book, "torikumi.run_started").as_deref(), Some(started.as_str()));
    run
}

#[test]
fn a_second_run_into_the_same_folder_is_refused_and_the_first_stays_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path());
    let out = dir.path().join("out");
    let first = start_and_pause_holder(&input, &out);
    let pid = first.id();

    let second = ingest_command(&input, &out, &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("is in use by torikumi ingest (pid {pid} on host ")),
        "names the holder: {stderr}"
    );
    assert!(stderr.contains("pass --wait"), "{stderr}");
    assert!(!stderr.contains("total:"), "the second run read nothing: {stderr}");
    // render reads the folder only when no ingest is writing it.
    let render = common::torikumi_command()
        .args(["render", "--mappings"])
        .arg(root().join("mappings"))
        .arg("--from")
        .arg(&out)
        .arg("--out")
        .arg(dir.path().join("rendered"))
        .output()
        .unwrap();
    let rstderr = String::from_utf8_lossy(&render.stderr);
    assert_eq!(render.status.code(), Some(2), "{rstderr}");
    assert!(rstderr.contains(&format!("(pid {pid} ")), "{rstderr}");

    signal(&first, libc::SIGCONT);
    finish(first);
    let run = assert_one_run(&out);
    assert!(run.ends_with(&format!("Z-{pid}")), "the first run's outputs: {run}");
    assert_eq!(std::fs::read_to_string(out.join(LOCK_FILE)).unwrap(), "", "released");
    // Now free: render reads it.
    let render = common::torikumi_command()
        .args(["render", "-q", "--mappings"])
        .arg(root().join("mappings"))
        .arg("--from")
        .arg(&out)
        .arg("--out")
        .arg(dir.path().join("rendered"))
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(0), "{}", String::from_utf8_lossy(&render.stderr));
}

#[test]
fn wait_queues_behind_the_holder_and_writes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path());
    let out = dir.path().join("out");
    let first = start_and_pause_holder(&input, &out);
    let pid = first.id();

    let second = ingest_command(&input, &out, &["--wait"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let second_pid = second.id();
    std::thread::sleep(Duration::from_millis(500));
    let mut second = second;
    assert!(second.try_wait().unwrap().is_none(), "the second run waits");
    let text = std::fs::read_to_string(out.join(LOCK_FILE)).unwrap();
    assert!(text.contains(&format!("pid={pid}\n")), "{text}");

    signal(&first, libc::SIGCONT);
    finish(first);
    let o = finish(second);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("waiting: {} is in use by torikumi ingest (pid {pid} ", out.display())),
        "{stderr}"
    );
    assert!(stderr.contains("reused 16 unchanged"), "it ran after the first: {stderr}");
    let run = assert_one_run(&out);
    assert!(run.ends_with(&format!("Z-{second_pid}")), "the second run's outputs, whole: {run}");
}

#[test]
fn a_run_stopped_by_ctrl_c_leaves_a_stale_lock_the_next_run_takes_over() {
    let dir = tempfile::tempdir().unwrap();
    let input = inputs(dir.path());
    let out = dir.path().join("out");
    let first = start_and_pause_holder(&input, &out);
    let pid = first.id();
    // Ctrl-C: SIGINT, delivered when the run continues.
    signal(&first, libc::SIGINT);
    signal(&first, libc::SIGCONT);
    let o = first.wait_with_output().unwrap();
    assert_eq!(o.status.code(), None, "ended by the signal");
    let text = std::fs::read_to_string(out.join(LOCK_FILE)).unwrap();
    assert!(text.contains(&format!("pid={pid}\n")), "the lock file stays: {text}");

    let next = ingest_command(&input, &out, &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert_eq!(next.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("note: torikumi ingest (pid {pid} ")) && stderr.contains("did not finish"),
        "{stderr}"
    );
    assert_one_run(&out);
    assert_eq!(std::fs::read_to_string(out.join(LOCK_FILE)).unwrap(), "");
}
