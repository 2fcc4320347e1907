//! The mapping language: shipped mappings compile and pass their own cases;
//! broken mappings report every problem at once, with file and key.

mod common;
use common::root;

use std::path::Path;

use torikumi::layout::run_mapping_tests;
use torikumi::mapping::Mappings;

#[test]
fn shipped_mappings_compile_and_pass_their_cases() {
    let m = Mappings::load(&root().join("mappings")).expect("mappings compile");
    let names: Vec<&str> = m.layouts.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["gunma_dx_kobetsu", "gunma_dx_kpi_list", "gunma_reform_plan", "saitama_program"]
    );
    // One case each in the DX and KPI-list layouts.
    let cases: Vec<usize> = m.layouts.iter().map(|l| l.tests.len()).collect();
    assert_eq!(cases, [1, 1, 0, 0]);
    let failures: Vec<String> = m.layouts.iter().flat_map(|l| run_mapping_tests(l, &m.vocabulary)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A mappings folder with the shipped vocabulary and one broken layout.
fn broken_dir(layout: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("mappings/vocabulary.toml"), dir.path().join("vocabulary.toml")).unwrap();
    std::fs::write(dir.path().join("broken.toml"), layout).unwrap();
    dir
}

const BROKEN: &str = r#"
[layout]
name = "broken"
plan = "x"
colour = "blue"

[recognise]
all_labels = ["実施項目"]

[item]
anchor_labels = ["実施項目"]
number_pattern = '(['

[[fields]]
field = "initiative"
labels = ["実施項目"]
lables = ["typo"]
"#;

#[test]
fn broken_mapping_reports_every_problem_with_file_and_key() {
    let dir = broken_dir(BROKEN);
    let err = Mappings::load(dir.path()).unwrap_err();
    let text: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
    let joined = text.join("\n");
    assert!(err.0.iter().all(|e| e.file.ends_with("broken.toml")), "{joined}");
    assert!(
        err.0.iter().any(|e| e.key == "layout.colour" && e.message.contains("unknown key")),
        "{joined}"
    );
    assert!(
        err.0
            .iter()
            .any(|e| e.key == "fields.0.lables" && e.message.contains("unknown key")),
        "{joined}"
    );
    assert!(
        err.0
            .iter()
            .any(|e| e.key == "item.number_pattern" && e.message.contains("bad regular expression")),
        "{joined}"
    );
    assert!(err.0.iter().any(|e| e.message.contains("missing block")), "{joined}");
    assert!(err.0.len() >= 4, "{joined}");
}

#[test]
fn broken_mapping_exits_2_and_writes_nothing() {
    let dir = broken_dir(BROKEN);
    let out = tempfile::tempdir().unwrap();
    let o = common::torikumi_command()
        .args(["ingest", "--mappings"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path().join("o"))
        .arg(root().join("samples"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("broken.toml: layout.colour: unknown key"), "{stderr}");
    assert!(stderr.contains("item.number_pattern"), "{stderr}");
    assert!(!Path::new(&out.path().join("o")).exists());
}

const BAD_BRACKETS: &str = r#"
[layout]
name = "bad_brackets"
plan = "x"

[recognise]
all_labels = ["目標"]

[item]
anchor_pattern = '^No\.(\d+)\s+(.+)$'
anchor_description = "No.1 のような番号と項目名"

[[fields]]
field = "goal"
labels = ["目標"]
inline_kpi = { marker = "〔KPI〕", name_separators = ["…", "："], other_brackets = [["【【", "】"], ["|", "|"], ["【", "】"]] }
"#;

/// An `anchor_pattern` without its `anchor_description` is an error naming
/// the key: the messages about item headings name the description, and
/// before they printed the regular expression to division staff.
#[test]
fn an_anchor_pattern_needs_its_description() {
    let dir = broken_dir(
        &BAD_BRACKETS
            .replace("anchor_description = \"No.1 のような番号と項目名\"\n", "")
            .replace("【【", "【"),
    );
    let err = Mappings::load(dir.path()).unwrap_err();
    let keys: Vec<&str> = err.0.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"item.anchor_description"), "{err:?}");
}

/// `other_brackets` pairs are one character each: a longer one, or a pair
/// opening with what it closes, is an error naming its key, not a pair
/// silently never matched.
#[test]
fn inline_kpi_bracket_pairs_are_single_characters() {
    let dir = broken_dir(BAD_BRACKETS);
    let err = Mappings::load(dir.path()).unwrap_err();
    let keys: Vec<&str> = err.0.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        ["fields[0].inline_kpi.other_brackets[0]", "fields[0].inline_kpi.other_brackets[1]"],
        "{err:?}"
    );
}
