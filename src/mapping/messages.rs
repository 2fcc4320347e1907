//! Messages for people, in Japanese and English, through Project Fluent.
//!
//! The catalogues are files beside the mappings (`mappings/messages/en.ftl`,
//! `mappings/messages/ja.ftl`), built in like them and replaced the same way by
//! a user's folder. A message is named by an id: a diagnostic code's own
//! string (`slid_target_repaired`) for a diagnostic, a [`Ui`] id
//! (`summary-total`) for a line of a run summary. Diagnostics carry named
//! arguments, not text ([`crate::model::Args`]), so one run's diagnostics can
//! be shown in either language: the `diagnostics` table keeps them as JSON
//! (`message_args`) for the workbook and the report to render again.
//!
//! Fluent rather than a table of format strings: arguments are named (a
//! translation may put them in any order), a language chooses its own wording
//! per case with selectors (`{ $case -> … }`), and translators edit plain
//! `.ftl` files with no Rust.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::RwLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::MappingError;
use super::files::{FileKind, MappingFiles};
use super::render::{RenderEra, eras_of};
use super::vocabulary::Vocabulary;
use crate::model::{DiagCode, Diagnostic};

/// The folder of a mappings folder that holds the catalogues.
pub const MESSAGES_FOLDER: &str = "messages";

/// A language torikumi speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Japanese (`ja.ftl`).
    Ja,
    /// English (`en.ftl`).
    En,
}

impl Lang {
    /// Every language, each with its catalogue.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The language's code, also its catalogue's file stem (`ja`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language of a code (`ja`, `en`), as `--lang` takes it.
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s.trim().to_ascii_lowercase())
    }

    /// The language of a locale value (`ja_JP.UTF-8` → Japanese); `C`,
    /// `POSIX` and every other value → English.
    pub fn of_locale(value: &str) -> Lang {
        if value.trim().to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| format!("unknown language '{s}' (ja or en)"))
    }
}

/// The terminal's language: `explicit` (`--lang`), else the first of
/// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not empty (a value
/// starting `ja` is Japanese, anything else English), else English.
/// `env` reads a variable (`|k| std::env::var(k).ok()`), so tests pass their own.
pub fn terminal_language(explicit: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
    explicit.unwrap_or_else(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| env(k).filter(|v| !v.trim().is_empty()))
            .map_or(Lang::En, |v| Lang::of_locale(&v))
    })
}

/// A document's language (the workbook, the HTML report): `explicit`, else
/// Japanese, as the office that reads them does.
pub fn document_language(explicit: Option<Lang>) -> Lang {
    explicit.unwrap_or(Lang::Ja)
}

/// Defines [`Ui`] from `Variant => "id"` lines.
macro_rules! ui_messages {
    ($($(#[$m:meta])* $v:ident => $id:literal),+ $(,)?) => {
        /// A message of a run summary or of `check`, by its catalogue id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Ui { $($(#[$m])* $v),+ }

        impl Ui {
            /// Every summary message.
            pub const ALL: &'static [Ui] = &[$(Ui::$v),+];

            /// The message's id in the catalogues.
            pub fn id(self) -> &'static str {
                match self { $(Ui::$v => $id),+ }
            }
        }
    };
}

ui_messages! {
    /// One file's line of a run summary.
    SummaryFile => "summary-file",
    /// The layout of a file none recognised, in its summary line.
    SummaryNoLayout => "summary-no-layout",
    /// The total line of a run summary.
    SummaryTotal => "summary-total",
    /// ", N value cells NOT read": appended to a summary line.
    SummaryUnread => "summary-unread",
    /// The mappings in force.
    MappingsInForce => "mappings-in-force",
    /// Every `[[tests]]` case passed.
    MappingTestsPass => "mapping-tests-pass",
    /// Some `[[tests]]` expectations failed.
    MappingTestsFailed => "mapping-tests-failed",
    /// One failed `[[tests]]` expectation.
    MappingTestFailed => "mapping-test-failed",
    /// The built-in mappings alone.
    MappingsBuiltIn => "mappings-built-in",
    /// A user folder laid over the built-ins, with what it changes.
    MappingsOverlay => "mappings-overlay",
    /// The user files that replace a built-in.
    MappingsOverrides => "mappings-overrides",
    /// The user files added.
    MappingsAdded => "mappings-added",
    /// A user folder that changes nothing.
    MappingsSame => "mappings-same",
    /// How many files were re-read and reused.
    IngestReread => "ingest-reread",
    /// Where the outputs were written.
    IngestWritten => "ingest-written",
    /// A diagnostic's severity as `check` prints it.
    Severity => "severity",
    /// `error: TEXT`: the prefix of a fatal problem, the text (an error's own) as it is.
    Error => "error",
    /// Another run holds the output folder; this one waits (`--wait`).
    Waiting => "waiting",
    /// A run that did not finish left its lock; this one takes it over.
    LockTakenOver => "lock-taken-over",
    /// A single run removed the parts of earlier shard runs.
    ShardPartsRemoved => "shard-parts-removed",
    /// A plain progress line (stderr not a terminal).
    Progress => "progress",
    /// The word after the counts of the progress bar (files).
    ProgressBarFiles => "progress-bar-files",
    /// What a shard writes and what to run after it.
    ShardStart => "shard-start",
    /// `merge` put the shards' parts together.
    Merged => "merged",
    /// `render --division`: no item lists the division.
    RenderNoDivision => "render-no-division",
    /// `render`: no plan has a render layout.
    RenderNoLayout => "render-no-layout",
    /// One workbook `render` wrote.
    RenderWritten => "render-written",
    /// Values a rendered workbook has no cell for.
    RenderUnplaced => "render-unplaced",
    /// The page `report` wrote and what it holds.
    ReportWritten => "report-written",
    /// `inspect --suggest-mapping` drafts with the built-in mappings.
    InspectBuiltInFallback => "inspect-built-in-fallback",
    /// `inspect --sheet` names no sheet of the file.
    InspectNoSheet => "inspect-no-sheet",
}

/// One language's catalogue.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
}

/// The catalogues of every language, checked: each holds a message for every
/// diagnostic code and every [`Ui`] id, and nothing else.
pub struct Messages {
    ja: Catalogue,
    en: Catalogue,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Messages")
    }
}

/// Every id a catalogue must hold: the diagnostic codes, then the summary lines.
pub fn required_ids() -> Vec<&'static str> {
    DiagCode::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(Ui::ALL.iter().map(|u| u.id()))
        .collect()
}

/// 1-based line of byte `pos` in `text`.
fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Parses and checks one catalogue file; `label` names it in problems.
fn compile(label: &str, lang: Lang, text: &str, years: &FiscalYears) -> Result<Catalogue, Vec<MappingError>> {
    let err = |key: &str, message: String| MappingError {
        file: label.to_string(),
        key: key.to_string(),
        message,
    };
    let resource = FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
        errors
            .iter()
            .map(|e| err("", format!("line {}: {}", line_of(text, e.pos.start), e.kind)))
            .collect::<Vec<_>>()
    })?;
    let ids: BTreeSet<String> = resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    let required = required_ids();
    let mut problems: Vec<MappingError> = required
        .iter()
        .filter(|id| !ids.contains(**id))
        .map(|id| err(id, format!("message missing from the {} catalogue", lang.code())))
        .collect();
    problems.extend(
        ids.iter()
            .filter(|id| !required.contains(&id.as_str()))
            .map(|id| err(id, "unknown message id (no diagnostic code or summary line has it)".into())),
    );
    let mut bundle = FluentBundle::new_concurrent(vec![lang_id(lang)]);
    // No Unicode isolation marks around arguments: they would end up in cells and files.
    bundle.set_use_isolating(false);
    let years = years.clone();
    if let Err(e) = bundle.add_function(FY_FUNCTION, move |args, _| years.function(lang, args)) {
        problems.push(err("", e.to_string()));
    }
    if let Err(errors) = bundle.add_resource(resource) {
        problems.extend(errors.iter().map(|e| err("", e.to_string())));
    }
    if problems.is_empty() {
        Ok(Catalogue { bundle })
    } else {
        Err(problems)
    }
}

/// The Fluent function that shows a fiscal year: `{ FY($fy) }`.
pub const FY_FUNCTION: &str = "FY";

/// How messages show a fiscal year: in Japanese in the era form the documents
/// use (令和5年度, 令和元年度, 平成30年度), from the vocabulary's eras, first-year
/// word and first year suffix; in English as `FY2023`.
#[derive(Debug, Clone, Default)]
pub struct FiscalYears {
    /// The eras, by start year.
    eras: Vec<RenderEra>,
    /// After the year: 年度 (the vocabulary's first `period.year_suffixes`).
    suffix: String,
}

impl FiscalYears {
    /// The eras and year suffix of `vocabulary`.
    pub fn of(vocabulary: &Vocabulary) -> Self {
        FiscalYears {
            eras: eras_of(vocabulary),
            suffix: vocabulary.year_suffixes.first().cloned().unwrap_or_default(),
        }
    }

    /// The eras of the mapping files' vocabulary; none (plain years) when it
    /// is missing or does not compile (loading the mappings reports that).
    fn of_files(files: &MappingFiles) -> Self {
        files
            .get(super::VOCABULARY_FILE)
            .and_then(|f| Vocabulary::from_toml_str(&f.text).ok())
            .map(|v| FiscalYears::of(&v))
            .unwrap_or_default()
    }

    /// Fiscal year `fy` (its Gregorian start year) as `lang` writes it: in
    /// Japanese the era it falls in (the latest started by then), year 1 as
    /// the first-year word; a year before every era as `2023年度`.
    pub fn show(&self, lang: Lang, fy: i32) -> String {
        match lang {
            Lang::En => format!("FY{fy}"),
            Lang::Ja => {
                let era = self.eras.iter().filter(|e| e.first_year <= fy).max_by_key(|e| e.first_year);
                match era {
                    Some(e) => {
                        let n = fy - e.first_year + 1;
                        let year = match (&e.first_year_label, n) {
                            (Some(word), 1) => word.clone(),
                            _ => n.to_string(),
                        };
                        format!("{}{year}{}", e.name, self.suffix)
                    }
                    None => format!("{fy}{}", self.suffix),
                }
            }
        }
    }

    /// `FY($fy)`: a whole number (a diagnostic's `"2023"` or a number) shown
    /// by [`FiscalYears::show`]; any other text as it is, with the language's
    /// year wording around it, so nothing is lost.
    fn function<'a>(&self, lang: Lang, args: &[FluentValue<'a>]) -> FluentValue<'a> {
        let text = match args.first() {
            Some(FluentValue::String(s)) => s.to_string(),
            Some(FluentValue::Number(n)) => n.as_string().into_owned(),
            _ => String::new(),
        };
        let shown = match text.trim().parse::<i32>() {
            Ok(fy) => self.show(lang, fy),
            Err(_) if lang == Lang::En => format!("FY{text}"),
            Err(_) => format!("{text}{}", self.suffix),
        };
        FluentValue::from(shown)
    }
}

fn lang_id(lang: Lang) -> unic_langid::LanguageIdentifier {
    lang.code().parse().unwrap_or_default()
}

/// `name=value` arguments of a message as Fluent takes them.
fn fluent_args<'a>(args: impl IntoIterator<Item = (&'a str, &'a str)>) -> FluentArgs<'a> {
    let mut out = FluentArgs::new();
    for (k, v) in args {
        out.set(k, FluentValue::from(v));
    }
    out
}

impl Messages {
    /// Compiles the catalogues among `files` (`messages/<lang>.ftl`).
    ///
    /// # Errors
    /// Every problem at once, each naming its file: a syntax error with its
    /// line, a message missing in a language with its id, an unknown id, a
    /// catalogue missing or of an unknown language.
    pub fn from_files(files: &MappingFiles) -> Result<Messages, Vec<MappingError>> {
        let mut problems = Vec::new();
        let mut found: Vec<(Lang, Catalogue)> = Vec::new();
        let years = FiscalYears::of_files(files);
        for f in files.of_kind(FileKind::Messages) {
            let stem = f.path.rsplit('/').next().unwrap_or(&f.path).trim_end_matches(".ftl");
            let Some(lang) = Lang::parse(stem) else {
                problems.push(MappingError {
                    file: f.label(),
                    key: String::new(),
                    message: format!("no language '{stem}': torikumi speaks ja and en (README, \"Language\")"),
                });
                continue;
            };
            match compile(&f.label(), lang, &f.text, &years) {
                Ok(c) => found.push((lang, c)),
                Err(mut e) => problems.append(&mut e),
            }
        }
        let mut take = |lang: Lang| match found.iter().position(|(l, _)| *l == lang) {
            Some(i) => Some(found.swap_remove(i).1),
            None => {
                problems.push(MappingError {
                    file: format!("{}/{MESSAGES_FOLDER}/{}.ftl", files.describe(), lang.code()),
                    key: String::new(),
                    message: "no such catalogue".into(),
                });
                None
            }
        };
        let (ja, en) = (take(Lang::Ja), take(Lang::En));
        match (ja, en) {
            (Some(ja), Some(en)) if problems.is_empty() => Ok(Messages { ja, en }),
            _ => Err(problems),
        }
    }

    /// The built-in catalogues, compiled once.
    pub fn built_in() -> &'static Messages {
        static BUILT_IN: std::sync::OnceLock<Option<Messages>> = std::sync::OnceLock::new();
        BUILT_IN
            .get_or_init(|| Messages::from_files(&MappingFiles::built_in()).ok())
            .as_ref()
            .expect("the shipped catalogues compile (tests/messages.rs)")
    }

    fn catalogue(&self, lang: Lang) -> &Catalogue {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// The message `id` in `lang` with `args`; the id itself when the
    /// catalogue lacks it (never, once loaded: loading checks every id).
    /// A message without arguments is borrowed from the catalogue.
    pub fn format<'a>(&'a self, lang: Lang, id: &str, args: &FluentArgs<'_>) -> Cow<'a, str> {
        self.try_format(lang, id, args).unwrap_or_else(|(text, _)| text)
    }

    /// As [`Messages::format`], but a message that Fluent could not format
    /// whole (an argument missing, an unknown function) is an error, with the
    /// text as far as it went and Fluent's complaints.
    ///
    /// # Errors
    /// The message is unknown or did not format without an error.
    pub fn try_format<'a>(&'a self, lang: Lang, id: &str, args: &FluentArgs<'_>) -> Result<Cow<'a, str>, (Cow<'a, str>, Vec<String>)> {
        let bundle = &self.catalogue(lang).bundle;
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return Err((Cow::Owned(id.to_string()), vec![format!("no message {id}")]));
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        if errors.is_empty() {
            Ok(text)
        } else {
            Err((text, errors.iter().map(ToString::to_string).collect()))
        }
    }

    /// A diagnostic's message in `lang`, from its code and arguments.
    pub fn render<'a, K: AsRef<str>, V: AsRef<str>>(&'a self, lang: Lang, code: DiagCode, args: &[(K, V)]) -> Cow<'a, str> {
        let args = fluent_args(args.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
        self.format(lang, code.as_str(), &args)
    }

    /// A diagnostic's message in `lang` from a row of the `diagnostics` table:
    /// its `code` and `message_args` (a JSON object; unreadable → no arguments).
    /// The workbook and the HTML report call this to show a run's diagnostics
    /// in their own language whatever the run's was.
    pub fn diagnostic(&self, lang: Lang, code: DiagCode, args_json: &str) -> String {
        self.render(lang, code, &args_from_json(args_json)).into_owned()
    }

    /// A summary line in `lang` with `args`.
    pub fn ui(&self, lang: Lang, ui: Ui, args: &[(&str, String)]) -> String {
        let args = fluent_args(args.iter().map(|(k, v)| (*k, v.as_str())));
        self.format(lang, ui.id(), &args).into_owned()
    }

    /// A summary line in `lang` with a number `$count`, which the language's
    /// plural rules select on (`1 override`, `2 overrides`), and `args`.
    pub fn ui_count(&self, lang: Lang, ui: Ui, count: usize, args: &[(&str, String)]) -> String {
        let mut fa = fluent_args(args.iter().map(|(k, v)| (*k, v.as_str())));
        fa.set("count", FluentValue::from(count));
        self.format(lang, ui.id(), &fa).into_owned()
    }

    /// The mappings in force, said in `lang`: `built-in`, or the user folder
    /// and what it overrides and adds.
    pub fn mappings_summary(&self, lang: Lang, files: &MappingFiles) -> String {
        let Some(p) = files.summary_parts() else {
            return match files.source() {
                super::files::Source::BuiltIn => self.ui(lang, Ui::MappingsBuiltIn, &[]),
                _ => files.describe(),
            };
        };
        let mut parts = Vec::new();
        if !p.overrides.is_empty() {
            parts.push(self.ui_count(lang, Ui::MappingsOverrides, p.overrides.len(), &[("files", p.overrides.join(", "))]));
        }
        if !p.added.is_empty() {
            parts.push(self.ui_count(lang, Ui::MappingsAdded, p.added.len(), &[("files", p.added.join(", "))]));
        }
        if parts.is_empty() {
            parts.push(self.ui(lang, Ui::MappingsSame, &[]));
        }
        self.ui(lang, Ui::MappingsOverlay, &[("dir", p.dir), ("parts", parts.join("; "))])
    }
}

/// A diagnostic's arguments as the `message_args` column holds them: a JSON
/// object, keys in the diagnostic's order.
pub fn args_json<K: AsRef<str>>(args: &[(K, String)]) -> String {
    // Written into one buffer: a `serde_json::Value` per key and value cost
    // two copies each, on every diagnostic of a run.
    let mut out = Vec::with_capacity(16 + args.iter().map(|(k, v)| k.as_ref().len() + v.len() + 6).sum::<usize>());
    out.push(b'{');
    for (i, (k, v)) in args.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(&mut out, k.as_ref());
        out.push(b':');
        write_json_str(&mut out, v);
    }
    out.push(b'}');
    // JSON text of `str`s is UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// `s` as a JSON string literal, appended to `out`.
fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a `str` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The arguments of a `message_args` JSON object, in its order (none when it
/// is not one; a value that is not a string is taken as its JSON text).
pub fn args_from_json(json: &str) -> Vec<(String, String)> {
    serde_json::from_str::<OrderedArgs>(json).map(|a| a.0).unwrap_or_default()
}

/// A JSON object's members in their order (serde_json's map sorts its keys).
struct OrderedArgs(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for OrderedArgs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedArgs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedArgs, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.push((k, v));
                }
                Ok(OrderedArgs(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// The language and catalogues of this process's run, set once by the command.
struct Run {
    messages: &'static Messages,
    terminal: Lang,
    explicit: Option<Lang>,
}

static RUN: RwLock<Option<Run>> = RwLock::new(None);

/// Sets the run's catalogues (those of the mappings in force). They live to
/// the end of the process: a command installs them once.
pub fn install(messages: Messages) {
    let messages: &'static Messages = Box::leak(Box::new(messages));
    if let Ok(mut run) = RUN.write() {
        let (terminal, explicit) = run.as_ref().map_or((Lang::En, None), |r| (r.terminal, r.explicit));
        *run = Some(Run {
            messages,
            terminal,
            explicit,
        });
    }
}

/// Sets the language `--lang` named (if any) and the terminal's (see
/// [`terminal_language`]); the built-in catalogues serve until [`install`].
pub fn set_language(explicit: Option<Lang>, terminal: Lang) {
    let messages = messages();
    if let Ok(mut run) = RUN.write() {
        *run = Some(Run {
            messages,
            terminal,
            explicit,
        });
    }
}

/// The run's catalogues: those installed, else the built-in ones.
pub fn messages() -> &'static Messages {
    RUN.read()
        .ok()
        .and_then(|r| r.as_ref().map(|r| r.messages))
        .unwrap_or_else(Messages::built_in)
}

/// The run's language for the terminal and the tables (English until set).
pub fn run_language() -> Lang {
    RUN.read().ok().and_then(|r| r.as_ref().map(|r| r.terminal)).unwrap_or(Lang::En)
}

/// The language the workbook and the HTML report use: `--lang` when given, else Japanese.
pub fn document_language_of_run() -> Lang {
    document_language(RUN.read().ok().and_then(|r| r.as_ref().and_then(|r| r.explicit)))
}

/// A diagnostic's message in the run's language.
pub fn run_text(d: &Diagnostic) -> Cow<'static, str> {
    messages().render(run_language(), d.code, &d.args)
}

/// A row of the `diagnostics` table (`code`, `message_args`) in the language
/// of the documents (the workbook, the HTML report): `--lang` when given, else
/// Japanese. An unknown code gives `None`.
pub fn document_text(code: &str, args_json: &str) -> Option<String> {
    let code = DiagCode::parse(code)?;
    Some(messages().diagnostic(document_language_of_run(), code, args_json))
}

/// A summary line in the run's language.
pub fn run_ui(ui: Ui, args: &[(&str, String)]) -> String {
    messages().ui(run_language(), ui, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn explicit_lang_wins_over_the_environment() {
        assert_eq!(terminal_language(Some(Lang::En), env(&[("LANG", "ja_JP.UTF-8")])), Lang::En);
        assert_eq!(terminal_language(Some(Lang::Ja), env(&[("LC_ALL", "C")])), Lang::Ja);
    }

    #[test]
    fn lc_all_then_lc_messages_then_lang() {
        let all = [("LC_ALL", "ja_JP.UTF-8"), ("LC_MESSAGES", "C"), ("LANG", "en_US.UTF-8")];
        assert_eq!(terminal_language(None, env(&all)), Lang::Ja);
        let messages = [("LC_MESSAGES", "ja_JP.eucJP"), ("LANG", "C")];
        assert_eq!(terminal_language(None, env(&messages)), Lang::Ja);
        assert_eq!(terminal_language(None, env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(terminal_language(None, env(&[("LC_ALL", ""), ("LANG", "ja")])), Lang::Ja);
    }

    #[test]
    fn c_posix_and_others_are_english() {
        for v in ["C", "POSIX", "C.UTF-8", "en_GB.UTF-8", "fr_FR"] {
            assert_eq!(terminal_language(None, env(&[("LANG", v)])), Lang::En, "{v}");
        }
        assert_eq!(terminal_language(None, env(&[])), Lang::En);
    }

    #[test]
    fn documents_default_to_japanese() {
        assert_eq!(document_language(None), Lang::Ja);
        assert_eq!(document_language(Some(Lang::En)), Lang::En);
    }

    #[test]
    fn args_round_trip_through_json() {
        let args = vec![("fy".to_string(), "2023".to_string()), ("raw".into(), "\"1,266\"\n".into())];
        let json = args_json(&args);
        assert_eq!(json, r#"{"fy":"2023","raw":"\"1,266\"\n"}"#);
        assert_eq!(args_from_json(&json), args);
        let reversed = vec![("z".to_string(), "1".to_string()), ("a".into(), "2".into())];
        assert_eq!(args_from_json(&args_json(&reversed)), reversed, "the order is kept");
        assert!(args_from_json("not json").is_empty());
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = compile("x/ja.ftl", Lang::Ja, "unmapped = ok\n= broken\n", &FiscalYears::default())
            .err()
            .unwrap();
        assert!(e.iter().any(|e| e.message.starts_with("line 2: ")), "{e:?}");
    }

    #[test]
    fn a_missing_message_is_named() {
        let e = compile("x/en.ftl", Lang::En, "unmapped = ok\n", &FiscalYears::default())
            .err()
            .unwrap();
        assert!(e.iter().any(|e| e.key == "slid_target_repaired"), "{e:?}");
    }
}
