//! One way to read a configuration file: TOML text → a serde spec, with every
//! problem as a [`MappingError`] naming the file and the key path. Unknown keys
//! are all reported (serde_ignored); a value of the wrong type is reported and
//! its key dropped, and the spec tried again, so one run lists every bad key
//! instead of stopping at the first.

use serde::de::DeserializeOwned;

use super::MappingError;

/// Most wrong-typed keys reported per element before giving up on it (each costs a retry).
const MAX_RETRIES: usize = 32;

/// Parses TOML text into a table; a syntax error names its line.
///
/// # Errors
/// The syntax error, as `file: line N: message`.
pub fn parse_table(file: &str, text: &str) -> Result<toml::Table, MappingError> {
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        MappingError {
            file: file.to_string(),
            key: String::new(),
            message: format!("{}{}", line.map(|l| format!("line {l}: ")).unwrap_or_default(), e.message().trim()),
        }
    })
}

/// Deserialises `value` (the element at key path `prefix`, `""` for the whole
/// file) into `T`, pushing every problem to `errors` with its full key path.
/// The value is what remains with the wrong-typed keys dropped (their
/// defaults in their place), so a caller can go on checking it; `None` when
/// even that cannot be read (a required key missing or wrong).
pub fn from_value<T: DeserializeOwned>(file: &str, prefix: &str, value: &toml::Value, errors: &mut Vec<MappingError>) -> Option<T> {
    let err = |key: String, message: String| MappingError {
        file: file.to_string(),
        key,
        message,
    };
    let mut value = value.clone();
    let mut unknown: Vec<String> = Vec::new();
    let mut bad: Vec<MappingError> = Vec::new();
    let mut result = None;
    let mut dropped: Vec<String> = Vec::new();
    for _ in 0..MAX_RETRIES {
        let mut seen = Vec::new();
        let mut note = |p: serde_ignored::Path<'_>| seen.push(p.to_string());
        let attempt = T::deserialize(serde_ignored::Deserializer::new(value.clone(), &mut note));
        for k in seen {
            if !unknown.contains(&k) {
                unknown.push(k);
            }
        }
        match attempt {
            Ok(t) => {
                result = Some(t);
                break;
            }
            Err(e) => {
                let (message, path) = split_message(&e.to_string());
                if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
                    // A required key dropped for its type was reported already.
                    let key = join(&path, field);
                    if !dropped.contains(&key) {
                        bad.push(err(join(prefix, &key), "missing".into()));
                    }
                    break;
                }
                bad.push(err(join(prefix, &path), message));
                // Drop the bad key and try again to find the next problem; a
                // key inside an array element cannot be dropped by path: stop.
                if path.is_empty() || !remove_path(&mut value, &path) {
                    break;
                }
                dropped.push(path);
            }
        }
    }
    errors.extend(unknown.iter().map(|k| err(join(prefix, &indexed(k)), "unknown key".into())));
    if result.is_none() && bad.is_empty() {
        bad.push(err(prefix.to_string(), "cannot be read".into()));
    }
    errors.extend(bad);
    result
}

/// The elements of the array of tables `key` (`[[key]]`), each with its
/// index, deserialised one by one so that every element's problems are
/// reported; an element with any problem is left out.
pub fn array_of<T: DeserializeOwned>(file: &str, key: &str, items: &[toml::Value], errors: &mut Vec<MappingError>) -> Vec<(usize, T)> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut errs = Vec::new();
        let t = from_value::<T>(file, &format!("{key}[{i}]"), item, &mut errs);
        match t {
            Some(t) if errs.is_empty() => out.push((i, t)),
            _ => errors.append(&mut errs),
        }
    }
    out
}

/// toml's error text is `message` and, for a nested value, a line
/// ``in `a.b` ``: the message on one line and the key path.
fn split_message(text: &str) -> (String, String) {
    let mut message = Vec::new();
    let mut path = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.strip_prefix("in `").and_then(|l| l.strip_suffix('`')) {
            Some(p) => path = p.to_string(),
            None => message.push(line),
        }
    }
    (message.join(" "), path)
}

fn join(prefix: &str, key: &str) -> String {
    match (prefix.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{key}"),
    }
}

/// serde_ignored writes array indexes as path segments (`units.2.unit`); the
/// messages write them as `units[2].unit`.
fn indexed(path: &str) -> String {
    let mut out = String::new();
    for seg in path.split('.') {
        if !out.is_empty() && seg.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

/// Removes the value at a dotted path of table keys; false when the path
/// crosses an array or is not there.
fn remove_path(value: &mut toml::Value, path: &str) -> bool {
    let keys: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = keys.split_last() else { return false };
    let mut cur = value;
    for k in parents {
        match cur.as_table_mut().and_then(|t| t.get_mut(*k)) {
            Some(next) if next.is_table() => cur = next,
            _ => return false,
        }
    }
    cur.as_table_mut().is_some_and(|t| t.remove(*last).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        a: u8,
        #[serde(default)]
        b: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        size: Option<u8>,
        inner: Inner,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[test]
    fn every_problem_with_its_key_path() {
        let text = "name = \"n\"\nsize = \"x\"\ncolour = 2\n[inner]\na = 3\nb = 4\nz = 1\n[[list]]\na = 1\nq = 2\n";
        let table = parse_table("f.toml", text).unwrap();
        let mut errors = Vec::new();
        let got = from_value::<Outer>("f.toml", "", &toml::Value::Table(table), &mut errors);
        // What is left once the bad keys are dropped is still read.
        assert_eq!(got.map(|o| o.list.len()), Some(1));
        let keys: Vec<(&str, &str)> = errors.iter().map(|e| (e.key.as_str(), e.message.as_str())).collect();
        for want in ["colour", "inner.z", "list[0].q"] {
            assert!(keys.contains(&(want, "unknown key")), "{want}: {keys:?}");
        }
        for want in ["size", "inner.b"] {
            assert!(keys.iter().any(|(k, m)| *k == want && m.contains("invalid")), "{want}: {keys:?}");
        }
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors.iter().all(|e| e.to_string().lines().count() == 1));
        // A required key of the wrong type: reported once, and nothing is read.
        let mut errors = Vec::new();
        let table = parse_table("f.toml", "name = 1\n[inner]\na = 1\n").unwrap();
        assert!(from_value::<Outer>("f.toml", "", &toml::Value::Table(table), &mut errors).is_none());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key, "name");
    }

    #[test]
    fn missing_fields_and_syntax_lines() {
        let mut errors = Vec::new();
        let table = parse_table("f.toml", "name = \"n\"\n[inner]\nb = \"x\"\n").unwrap();
        assert!(from_value::<Outer>("f.toml", "", &toml::Value::Table(table), &mut errors).is_none());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].key.as_str(), errors[0].message.as_str()), ("inner.a", "missing"));
        let e = parse_table("f.toml", "a = 1\nb = \n").unwrap_err();
        assert!(e.message.starts_with("line 2: "), "{e}");
    }
}
