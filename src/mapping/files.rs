//! The mapping files in force: the shipped ones, compiled into the binary, and
//! a user's folder laid over them.
//!
//! An installed `torikumi` has no checkout beside it, so the files of
//! `mappings/` are built in (see `build.rs`). A user folder adds files and
//! replaces built-ins: a file with the same relative path replaces the
//! built-in one, and a layout whose `[layout] name` is a built-in layout's
//! replaces that layout whatever its file name. Every file keeps where it came
//! from, so a message names the user's file (`mappings/x.toml`) or the
//! built-in one (`built-in:gunma_dx_kobetsu.toml`).
//!
//! ```text
//!   built-in                        user folder (./mappings)        in force
//!   gunma_dx_kobetsu.toml  ──────── gunma_dx_kobetsu.toml      →    the user's
//!   saitama_program.toml   ──────── my_saitama.toml            →    the user's
//!                                   ([layout] name = "saitama_program")
//!   vocabulary.toml                                            →    built-in
//!                                   kochi_plan.toml            →    added
//! ```

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::MappingError;

mod built_in {
    include!(concat!(env!("OUT_DIR"), "/built_in_mappings.rs"));
}

/// What marks a built-in file in messages: `built-in:vocabulary.toml`.
pub const BUILT_IN_PREFIX: &str = "built-in:";
/// The folder under a mappings folder that holds the render layouts.
pub const RENDER_FOLDER: &str = "render";
/// The sub-folder of the HTML report's phrases.
pub const REPORT_FOLDER: &str = "report";
/// The folder used when `--mappings` is not given and it exists in the current directory.
pub const DEFAULT_FOLDER: &str = "mappings";

/// Where a mapping file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary from the package's `mappings/`.
    BuiltIn,
    /// Read from this file of a user's folder.
    User(PathBuf),
}

/// What a mapping file declares, by its place and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A layout (one document family): any other `*.toml` of the top folder.
    Layout,
    /// `vocabulary.toml`.
    Vocabulary,
    /// `evaluation.toml`.
    Evaluation,
    /// `display.toml`.
    Display,
    /// `render/*.toml`: a standard sheet `render` writes.
    Render,
    /// `report/*.toml`: the HTML report's phrases.
    Report,
    /// `messages/*.ftl`: the catalogues of messages for people, one per language.
    Messages,
}

impl FileKind {
    /// The kind of the file at `path` (relative to the mappings folder, `/`-separated).
    pub fn of(path: &str) -> FileKind {
        match path {
            super::VOCABULARY_FILE => FileKind::Vocabulary,
            super::EVALUATION_FILE => FileKind::Evaluation,
            super::display::DISPLAY_FILE => FileKind::Display,
            p if p.starts_with(&format!("{RENDER_FOLDER}/")) => FileKind::Render,
            p if p.starts_with(&format!("{REPORT_FOLDER}/")) => FileKind::Report,
            p if p.starts_with(&format!("{}/", super::messages::MESSAGES_FOLDER)) => FileKind::Messages,
            _ => FileKind::Layout,
        }
    }

    /// The kind as `mappings list` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Layout => "layout",
            FileKind::Vocabulary => "vocabulary",
            FileKind::Evaluation => "evaluation",
            FileKind::Display => "display",
            FileKind::Render => "render",
            FileKind::Report => "report",
            FileKind::Messages => "messages",
        }
    }

    /// Kinds that declare `[layout] name` and can replace a built-in by it.
    fn named(self) -> bool {
        matches!(self, FileKind::Layout | FileKind::Render)
    }
}

/// One mapping file in force.
#[derive(Debug, Clone)]
pub struct MappingFile {
    /// Path relative to the mappings folder, `/`-separated (`render/gunma_dx_kobetsu.toml`).
    pub path: String,
    /// Where the text comes from.
    pub origin: Origin,
    /// The file's text.
    pub text: String,
    /// `[layout] name` of a layout or render layout, when it can be read.
    pub name: Option<String>,
}

impl MappingFile {
    /// How messages name the file: the user's path, or `built-in:PATH`.
    pub fn label(&self) -> String {
        match &self.origin {
            Origin::BuiltIn => format!("{BUILT_IN_PREFIX}{}", self.path),
            Origin::User(p) => p.display().to_string(),
        }
    }

    /// What the file declares.
    pub fn kind(&self) -> FileKind {
        FileKind::of(&self.path)
    }
}

/// A built-in file a user file replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The built-in's path (`gunma_dx_kobetsu.toml`).
    pub built_in: String,
    /// The user file in its place (its relative path).
    pub by: String,
    /// True when the user file's text is the built-in's, byte for byte (an exported copy).
    pub same_text: bool,
}

/// Where the files in force were taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The built-in files only.
    BuiltIn,
    /// A folder alone, without the built-ins ([`MappingFiles::folder`]).
    Folder(PathBuf),
    /// The built-ins with a user folder laid over them.
    Overlay(PathBuf),
}

/// A user folder laid over the built-ins, as the summary line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryParts<'a> {
    /// The folder (`./mappings`).
    pub dir: String,
    /// Its files that replace a built-in with other text.
    pub overrides: Vec<&'a str>,
    /// Its files that replace none.
    pub added: Vec<&'a str>,
}

/// The set of mapping files in force, sorted by relative path.
#[derive(Debug, Clone)]
pub struct MappingFiles {
    files: Vec<MappingFile>,
    source: Source,
    replaced: Vec<Replaced>,
}

/// `[layout] name` of a TOML text, when it parses and has one.
fn layout_name(text: &str) -> Option<String> {
    let table = text.parse::<toml::Table>().ok()?;
    Some(table.get("layout")?.get("name")?.as_str()?.to_string())
}

impl MappingFiles {
    /// The shipped mapping files, compiled into the binary.
    pub fn built_in() -> MappingFiles {
        let mut files: Vec<MappingFile> = built_in::BUILT_IN
            .iter()
            .map(|(path, text)| MappingFile {
                path: (*path).to_string(),
                origin: Origin::BuiltIn,
                text: (*text).to_string(),
                name: FileKind::of(path).named().then(|| layout_name(text)).flatten(),
            })
            .collect();
        // One order for every set (the key hashes the files in order).
        files.sort_by(|a, b| a.path.cmp(&b.path));
        MappingFiles {
            files,
            source: Source::BuiltIn,
            replaced: Vec::new(),
        }
    }

    /// The `*.toml` files of `dir` and of its `render/` folder alone, without
    /// the built-ins (a complete mappings folder, as the tests keep).
    ///
    /// # Errors
    /// The folder cannot be listed, or a file in it cannot be read as UTF-8
    /// text: every such problem at once.
    pub fn folder(dir: &Path) -> Result<MappingFiles, Vec<MappingError>> {
        Ok(MappingFiles {
            files: read_folder(dir)?,
            source: Source::Folder(dir.to_path_buf()),
            replaced: Vec::new(),
        })
    }

    /// The built-ins with the files of `dir` laid over them (see the module
    /// documentation for what replaces what).
    ///
    /// # Errors
    /// As [`MappingFiles::folder`].
    pub fn overlay(dir: &Path) -> Result<MappingFiles, Vec<MappingError>> {
        let user = read_folder(dir)?;
        let mut files = MappingFiles::built_in().files;
        let mut replaced = Vec::new();
        // Same relative path first, so a user file named like a built-in
        // replaces that one rather than another of the same layout name.
        let mut by_name = Vec::new();
        for u in user {
            match files.iter().position(|b| b.origin == Origin::BuiltIn && b.path == u.path) {
                Some(i) => {
                    let b = files.remove(i);
                    replaced.push(Replaced {
                        built_in: b.path,
                        by: u.path.clone(),
                        same_text: b.text == u.text,
                    });
                    files.push(u);
                }
                None => by_name.push(u),
            }
        }
        for u in by_name {
            let kind = u.kind();
            let same_name =
                |b: &MappingFile| b.origin == Origin::BuiltIn && kind.named() && b.kind() == kind && b.name.is_some() && b.name == u.name;
            if let Some(i) = files.iter().position(same_name) {
                let b = files.remove(i);
                replaced.push(Replaced {
                    built_in: b.path,
                    by: u.path.clone(),
                    same_text: b.text == u.text,
                });
            }
            files.push(u);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        replaced.sort_by(|a, b| a.built_in.cmp(&b.built_in));
        Ok(MappingFiles {
            files,
            source: Source::Overlay(dir.to_path_buf()),
            replaced,
        })
    }

    /// The files in force for a command: the built-ins with `dir` laid over
    /// them; without `dir`, with `./mappings` laid over them when that folder
    /// exists (a checkout's, or one made by `mappings export`), else the
    /// built-ins alone.
    ///
    /// # Errors
    /// As [`MappingFiles::folder`].
    pub fn in_force(dir: Option<&Path>) -> Result<MappingFiles, Vec<MappingError>> {
        match dir {
            Some(d) => MappingFiles::overlay(d),
            None if Path::new(DEFAULT_FOLDER).is_dir() => MappingFiles::overlay(Path::new(DEFAULT_FOLDER)),
            None => Ok(MappingFiles::built_in()),
        }
    }

    /// Every file in force, sorted by relative path.
    pub fn iter(&self) -> impl Iterator<Item = &MappingFile> {
        self.files.iter()
    }

    /// The file at `path` (relative, `/`-separated), if one is in force.
    pub fn get(&self, path: &str) -> Option<&MappingFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The files of one kind, sorted by relative path.
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &MappingFile> {
        self.files.iter().filter(move |f| f.kind() == kind)
    }

    /// Where the files were taken from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The built-ins replaced by user files.
    pub fn replaced(&self) -> &[Replaced] {
        &self.replaced
    }

    /// The user file that replaced the built-in at `path`, if one did.
    pub fn replacement_of(&self, path: &str) -> Option<&Replaced> {
        self.replaced.iter().find(|r| r.built_in == path)
    }

    /// The built-in `path` a user file at `user_path` replaced, if it did.
    pub fn replaced_by(&self, user_path: &str) -> Option<&Replaced> {
        self.replaced.iter().find(|r| r.by == user_path)
    }

    /// The set as one name for set-wide messages (`built-in + mappings`).
    pub fn describe(&self) -> String {
        match &self.source {
            Source::BuiltIn => "built-in".into(),
            Source::Folder(d) => d.display().to_string(),
            Source::Overlay(d) => format!("built-in + {}", d.display()),
        }
    }

    /// The run summary's line: `built-in + ./mappings (1 override: gunma_dx_kobetsu.toml; 1 added: kochi.toml)`.
    /// A user file equal to the built-in it replaces is not counted as an override.
    /// English, as `--json` gives it; the terminal's line is `Messages::mappings_summary`.
    pub fn summary(&self) -> String {
        let Some(p) = self.summary_parts() else {
            return self.describe();
        };
        let plural = |n: usize, one: &str, many: &str| if n == 1 { one.to_string() } else { format!("{n} {many}") };
        let mut parts = Vec::new();
        if !p.overrides.is_empty() {
            parts.push(format!(
                "{}: {}",
                plural(p.overrides.len(), "1 override", "overrides"),
                p.overrides.join(", ")
            ));
        }
        if !p.added.is_empty() {
            parts.push(format!("{}: {}", plural(p.added.len(), "1 added", "added"), p.added.join(", ")));
        }
        if parts.is_empty() {
            parts.push("same as built-in".into());
        }
        format!("built-in + {} ({})", p.dir, parts.join("; "))
    }

    /// What the summary line says of a user folder laid over the built-ins
    /// (none for the built-ins alone or a folder alone).
    pub fn summary_parts(&self) -> Option<SummaryParts<'_>> {
        let Source::Overlay(dir) = &self.source else {
            return None;
        };
        let dir = if dir.is_relative() && !dir.starts_with(".") && !dir.starts_with("..") {
            format!("./{}", dir.display())
        } else {
            dir.display().to_string()
        };
        let overrides: Vec<&str> = self.replaced.iter().filter(|r| !r.same_text).map(|r| r.by.as_str()).collect();
        let added: Vec<&str> = self
            .files
            .iter()
            .filter(|f| f.origin != Origin::BuiltIn && self.replaced_by(&f.path).is_none())
            .map(|f| f.path.as_str())
            .collect();
        Some(SummaryParts { dir, overrides, added })
    }

    /// A hash of every file in force (relative path and text), whatever its
    /// origin: a folder that equals the built-ins gives the built-ins' key.
    /// The catalogues of messages are left out: the cache holds no text for people.
    pub fn key(&self) -> String {
        let mut h = Sha256::new();
        for f in self.files.iter().filter(|f| f.kind() != FileKind::Messages) {
            // Lengths first, so no two different sets give the same bytes.
            h.update((f.path.len() as u64).to_le_bytes());
            h.update(f.path.as_bytes());
            h.update((f.text.len() as u64).to_le_bytes());
            h.update(f.text.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The `*.toml` files of `dir` and `dir/render`, sorted by relative path.
fn read_folder(dir: &Path) -> Result<Vec<MappingFile>, Vec<MappingError>> {
    let problem = |path: &Path, message: String| MappingError {
        file: path.display().to_string(),
        key: String::new(),
        message,
    };
    let list_ext = |d: &Path, ext: &str| -> std::io::Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
            .collect();
        v.sort();
        Ok(v)
    };
    let list = |d: &Path| list_ext(d, "toml");
    let top = list(dir).map_err(|e| vec![problem(dir, format!("cannot read the mappings folder: {e}"))])?;
    let mut errors = Vec::new();
    let mut paths: Vec<(String, PathBuf)> = top
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
        .collect();
    // The catalogues are Fluent files (`messages/ja.ftl`), the rest TOML.
    let sub_folders = [
        (RENDER_FOLDER, "toml"),
        (REPORT_FOLDER, "toml"),
        (super::messages::MESSAGES_FOLDER, "ftl"),
    ];
    for (folder, ext) in sub_folders {
        let sub = dir.join(folder);
        match if sub.is_dir() { list_ext(&sub, ext) } else { Ok(Vec::new()) } {
            Ok(v) => paths.extend(v.into_iter().filter_map(|p| {
                let name = p.file_name()?.to_str()?.to_string();
                Some((format!("{folder}/{name}"), p))
            })),
            Err(e) => errors.push(problem(&sub, format!("cannot read the folder: {e}"))),
        }
    }
    let mut files = Vec::new();
    for (rel, path) in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(MappingFile {
                name: FileKind::of(&rel).named().then(|| layout_name(&text)).flatten(),
                path: rel,
                origin: Origin::User(path),
                text,
            }),
            Err(e) => errors.push(problem(&path, format!("cannot read: {e}"))),
        }
    }
    files.sort_by(|a: &MappingFile, b: &MappingFile| a.path.cmp(&b.path));
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_are_the_shipped_files() {
        let b = MappingFiles::built_in();
        let paths: Vec<&str> = b.iter().map(|f| f.path.as_str()).collect();
        for p in [
            "vocabulary.toml",
            "evaluation.toml",
            "display.toml",
            "gunma_dx_kobetsu.toml",
            "render/gunma_dx_kobetsu.toml",
        ] {
            assert!(paths.contains(&p), "{p} not built in: {paths:?}");
        }
        let dx = b.get("gunma_dx_kobetsu.toml").unwrap();
        assert_eq!(dx.name.as_deref(), Some("gunma_dx_kobetsu"));
        assert_eq!(dx.label(), "built-in:gunma_dx_kobetsu.toml");
        assert_eq!(b.get("render/gunma_reform_plan.toml").unwrap().kind(), FileKind::Render);
        assert_eq!(b.summary(), "built-in");
    }

    #[test]
    fn a_user_layout_replaces_a_built_in_by_path_or_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let b = MappingFiles::built_in();
        let dx = b
            .get("gunma_dx_kobetsu.toml")
            .unwrap()
            .text
            .replace("群馬県庁DXアクションプラン", "別の計画");
        std::fs::write(dir.path().join("mine.toml"), &dx).unwrap();
        std::fs::write(dir.path().join("vocabulary.toml"), &b.get("vocabulary.toml").unwrap().text).unwrap();
        std::fs::write(dir.path().join("new_family.toml"), "[layout]\nname = \"new_family\"\n").unwrap();
        let o = MappingFiles::overlay(dir.path()).unwrap();
        assert!(o.get("gunma_dx_kobetsu.toml").is_none());
        assert_eq!(o.get("mine.toml").unwrap().origin, Origin::User(dir.path().join("mine.toml")));
        // The render layout of the same name is another kind: it stays.
        assert_eq!(o.get("render/gunma_dx_kobetsu.toml").unwrap().origin, Origin::BuiltIn);
        assert_eq!(o.replacement_of("gunma_dx_kobetsu.toml").unwrap().by, "mine.toml");
        assert!(o.replacement_of("vocabulary.toml").unwrap().same_text);
        let s = o.summary();
        assert!(s.ends_with("(1 override: mine.toml; 1 added: new_family.toml)"), "{s}");
        assert_ne!(o.key(), b.key());
    }

    #[test]
    fn an_exported_copy_has_the_built_in_key() {
        let dir = tempfile::tempdir().unwrap();
        let b = MappingFiles::built_in();
        std::fs::create_dir(dir.path().join("render")).unwrap();
        std::fs::create_dir(dir.path().join("report")).unwrap();
        std::fs::create_dir(dir.path().join("messages")).unwrap();
        for f in b.iter() {
            std::fs::write(dir.path().join(&f.path), &f.text).unwrap();
        }
        let o = MappingFiles::overlay(dir.path()).unwrap();
        assert_eq!(o.key(), b.key());
        assert!(o.summary().ends_with("(same as built-in)"), "{}", o.summary());
        let alone = MappingFiles::folder(dir.path()).unwrap();
        assert_eq!(alone.key(), b.key());
    }

    #[test]
    fn a_missing_folder_is_named() {
        let e = MappingFiles::overlay(Path::new("/no/such/folder")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.starts_with("cannot read the mappings folder"), "{}", e[0]);
        assert_eq!(e[0].file, "/no/such/folder");
    }
}
